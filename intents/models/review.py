"""The reviewer pool, assignments, conflicts of interest and reviews.

State changes go through intents.reviewing; views never write these rows themselves.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from portal.organisations.models import Organisation

from .call import Call, CooperationMode, Criterion
from .letter import LetterOfIntent
from .paths import through


def new_reviewer_token():
    return secrets.token_urlsafe(32)


# A place in the pool the office has not taken back (invited or joined).
IN_POOL = Q(removed_at__isnull=True)
# A reviewer who joined the pool and is still in it: the ones who can be assigned letters.
ACTIVE_REVIEWER = Q(user__isnull=False) & IN_POOL
# A review its reviewer has submitted; a draft review counts for nothing yet.
SUBMITTED_REVIEW = Q(submitted_at__isnull=False)


class ReviewerQuerySet(models.QuerySet):
    def in_pool(self):
        """Invited or joined, and not removed from the pool."""
        return self.filter(IN_POOL)

    def active(self):
        """Joined and still in the pool: the reviewers letters can be assigned to."""
        return self.filter(ACTIVE_REVIEWER)


class ReviewQuerySet(models.QuerySet):
    def submitted(self):
        """Submitted by the reviewer: the reviews that count."""
        return self.filter(SUBMITTED_REVIEW)


class ScoreQuerySet(models.QuerySet):
    def of_submitted_reviews(self):
        """The scores of submitted reviews."""
        return self.filter(through("review", SUBMITTED_REVIEW))


class Reviewer(models.Model):
    """A place in a call's reviewer pool: an invitation until a user accepts it."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="reviewers"
    )
    email = models.EmailField(_("e-mail address"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewer_places",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation in the portal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    affiliation = models.CharField(_("affiliation"), max_length=255, blank=True)
    country = CountryField(_("country"))
    expertise = models.ManyToManyField(
        CooperationMode,
        verbose_name=_("expertise (cooperation modes)"),
        related_name="experts",
        blank=True,
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_reviewer_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # A reviewer who declared conflicts leaves the pool but stays on record, so the declared
    # conflicts keep counting if the office invites them again.
    removed_at = models.DateTimeField(_("removed from the pool at"), null=True, blank=True)

    objects = ReviewerQuerySet.as_manager()

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["call", "email"]
        constraints = [
            models.UniqueConstraint(fields=["call", "email"], name="one_reviewer_place_per_email"),
            models.UniqueConstraint(
                fields=["call", "user"],
                condition=models.Q(user__isnull=False),
                name="one_reviewer_place_per_user",
            ),
        ]

    def __str__(self):
        return str(self.user) if self.user_id else self.email

    @property
    def is_active(self):
        return self.user_id is not None and self.removed_at is None

    def get_invitation_url(self):
        return reverse("reviewing:reviewer_invitation", args=[self.token])


class Assignment(models.Model):
    """A reviewer asked to read one letter. Until the reviewer confirms they have no conflict,
    they see only the letter's title and cooperation mode."""

    class Origin(models.TextChoices):
        MANUAL = "manual", _("By hand")
        AUTOMATIC = "automatic", _("Automatic")

    class Progress(models.TextChoices):
        TO_DECLARE = "to_declare", _("To declare")
        TO_REVIEW = "to_review", _("To review")
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    reviewer = models.ForeignKey(
        Reviewer, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="assignments"
    )
    letter = models.ForeignKey(
        LetterOfIntent,
        verbose_name=_("letter"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL
    )
    # Why the automatic assignment chose this reviewer, as data the page puts into words.
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    no_conflict_confirmed_at = models.DateTimeField(
        _("no conflict confirmed at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["letter", "reviewer"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "letter"], name="one_assignment_per_pair")
        ]

    def __str__(self):
        return f"{self.letter} — {self.reviewer}"

    def get_absolute_url(self):
        return reverse("reviewing:assignment_detail", args=[self.pk])

    @property
    def progress(self):
        """Where the reviewer stands; reads `review` so select_related it on lists."""
        if self.no_conflict_confirmed_at is None:
            return self.Progress.TO_DECLARE
        review = getattr(self, "review", None)
        if review is None:
            return self.Progress.TO_REVIEW
        if review.submitted_at is None:
            return self.Progress.DRAFT
        return self.Progress.SUBMITTED

    def get_progress_display(self):
        return self.Progress(self.progress).label


class ConflictDeclaration(models.Model):
    """A reviewer's own statement that they cannot judge a letter. It outlives the assignment it
    removed, so automatic assignment never offers the pair again."""

    class Kind(models.TextChoices):
        INSTITUTIONAL = "institutional", _("Institutional")
        COLLABORATIVE = "collaborative", _("Collaborative")
        FINANCIAL = "financial", _("Financial")
        PERSONAL = "personal", _("Personal")
        OTHER = "other", _("Other")

    reviewer = models.ForeignKey(
        Reviewer, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="conflicts"
    )
    letter = models.ForeignKey(
        LetterOfIntent, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(_("kind of conflict"), max_length=15, choices=Kind.choices)
    note = models.TextField(_("note to the programme office"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["reviewer", "letter"], name="one_declaration_per_pair")
        ]

    def __str__(self):
        return f"{self.reviewer} ✕ {self.letter} ({self.get_kind_display()})"


class Review(models.Model):
    class Recommendation(models.TextChoices):
        SELECT = "select", _("Select")
        WAITLIST = "waitlist", _("Waitlist")
        NOT_SELECT = "not_select", _("Do not select")

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("assignment"), on_delete=models.PROTECT, related_name="review"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    comment_to_committee = models.TextField(_("comment to the committee"), blank=True)
    comment_to_applicant = models.TextField(
        _("comment that may be shared with the applicant"), blank=True
    )
    # The weighted score, kept on the row so lists and rankings need no arithmetic per page.
    total = models.DecimalField(
        _("weighted score"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self):
        return str(self.assignment)

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Score(models.Model):
    review = models.ForeignKey(
        Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.PositiveSmallIntegerField(_("score"))

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class AssignmentRun(models.Model):
    """One run of automatic assignment and its explanation, kept for the office to read."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="assignment_runs"
    )
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    report = models.JSONField(_("report"), default=dict)

    class Meta:
        verbose_name = _("automatic assignment run")
        verbose_name_plural = _("automatic assignment runs")
        ordering = ["-run_at", "-pk"]

    def __str__(self):
        return f"{self.call.reference_prefix} {self.run_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("reviewing:assignment_run", args=[self.call.slug, self.pk])
