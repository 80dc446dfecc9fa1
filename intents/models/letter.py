from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, OrderBy, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.organisations.models import Organisation

from .call import Call, CooperationMode

# What an applicant writes: edited by the form, saved by the actions, frozen in each version.
LETTER_FIELDS = [
    "title",
    "summary",
    "objectives",
    "contribution",
    "mass_kg",
    "power_w",
    "data_volume_gb",
    "trl",
    "funding_status",
    "timeline",
    "partner_organisations",
    "contact_name",
    "contact_email",
]


class NullsLastIndex(models.Index):
    """An index with DESC NULLS LAST columns, as PostgreSQL reads them for the matching ORDER BY.
    SQLite refuses the modifier in an index and needs none: its DESC already sorts NULLs last."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        index = self
        if schema_editor.connection.vendor == "sqlite":
            index = self.clone()
            index.expressions = tuple(
                OrderBy(column.expression, descending=True)
                if isinstance(column, OrderBy) and column.descending and column.nulls_last
                else column
                for column in self.expressions
            )
        return models.Index.create_sql(index, model, schema_editor, using=using, **kwargs)


class LetterState(models.TextChoices):
    """A letter's state. There is no "under review" state: nothing ever set it, and whether a
    filed letter has reviewers is read from its assignments, so a state would only repeat them
    (and every rule for "submitted" would have to name it too)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SELECTED = "selected", _("Selected")
    WAITLISTED = "waitlisted", _("Waitlisted")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")

    @classmethod
    def changeable(cls):
        """The states in which the applicant may still change the letter, until the deadline."""
        return (cls.DRAFT, cls.SUBMITTED)

    @classmethod
    def reviewable(cls):
        """Filed and awaiting a decision: the letters reviewers read and the office decides."""
        return (cls.SUBMITTED,)

    @classmethod
    def standing(cls):
        """Filed and not withdrawn since, decided or not: counted on the dashboard and ranked."""
        return tuple(state for state in cls if state not in (cls.DRAFT, cls.WITHDRAWN))


# Submitted at least once, withdrawn since or not: the letters the office and reviewers see.
FILED_LETTER = Q(submitted_at__isnull=False)
# Not withdrawn: the drafts and the filed letters still standing.
CURRENT_LETTER = ~Q(state=LetterState.WITHDRAWN)
# Filed and not withdrawn since, decided or not.
STANDING_LETTER = Q(state__in=LetterState.standing())
# Filed and awaiting a decision: the letters reviewers read.
REVIEWABLE_LETTER = FILED_LETTER & Q(state__in=LetterState.reviewable())
# The ranking's letters, and the condition of its index: one Q, so the two never drift apart
# and the database can read the ranking from the index.
RANKED_LETTER = FILED_LETTER & STANDING_LETTER


class LetterQuerySet(models.QuerySet):
    def drafts(self):
        """Never submitted: the organisation's working papers."""
        return self.filter(state=LetterState.DRAFT)

    def filed(self):
        """Submitted at least once, withdrawn since or not."""
        return self.filter(FILED_LETTER)

    def current(self):
        """Not withdrawn: drafts and filed letters still standing."""
        return self.filter(CURRENT_LETTER)

    def standing(self):
        """Filed and not withdrawn since, decided or not."""
        return self.filter(STANDING_LETTER)

    def reviewable(self):
        """Filed and awaiting a decision: the letters reviewers read."""
        return self.filter(REVIEWABLE_LETTER)

    def ranked(self):
        """The ranking's letters: filed and still standing."""
        return self.filter(RANKED_LETTER)


class LetterOfIntent(models.Model):
    """An organisation's letter of intent for one call. State changes go through
    intents.letters.actions."""

    # Defined at module level so that Meta's index condition (RANKED_LETTER) can use it.
    State = LetterState

    class Funding(models.TextChoices):
        SECURED = "secured", _("Secured")
        PARTIAL = "partial", _("Partly secured")
        APPLIED = "applied", _("Applied for")
        NOT_YET = "not_yet", _("Not yet sought")

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="letters"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    mode = models.ForeignKey(
        CooperationMode,
        verbose_name=_("cooperation mode"),
        on_delete=models.PROTECT,
        related_name="letters",
    )
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    contribution = models.TextField(_("proposed contribution"), blank=True)
    mass_kg = models.DecimalField(
        _("mass (kg)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    power_w = models.DecimalField(
        _("power (W)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    data_volume_gb = models.DecimalField(
        _("data volume (GB over the mission)"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    funding_status = models.CharField(
        _("funding status"), max_length=10, choices=Funding.choices, blank=True
    )
    timeline = models.TextField(_("timeline"), blank=True)
    partner_organisations = models.TextField(_("partner organisations"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    state = models.CharField(
        _("state"), max_length=15, choices=State.choices, default=State.DRAFT, db_index=True
    )
    reference = models.CharField(_("reference"), max_length=32, blank=True)
    # Bumped on every save; a form carrying an older number is refused (optimistic locking).
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    # The version the submit form carried: a replay of that form is recognised as such.
    submitted_from_version = models.PositiveIntegerField(
        _("submitted from version"), null=True, blank=True, editable=False
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved at"), auto_now=True)
    # The submitted reviews' totals summed up as the ranking sorts them (reviewing.scoring.
    # figures), so the ranking reads its order from an index instead of every review. Written
    # only by intents.reviewing.figures, in the transaction that changes a submitted review.
    review_count = models.PositiveIntegerField(_("review count"), default=0, editable=False)
    review_mean = models.DecimalField(
        _("review mean"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )
    review_median = models.DecimalField(
        _("review median"), max_digits=5, decimal_places=2, null=True, blank=True, editable=False
    )

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter of intent")
        verbose_name_plural = _("letters of intent")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "reference"],
                condition=~models.Q(reference=""),
                name="unique_reference_per_call",
            )
        ]
        # The office's list pages through a call's letters by reference: read in that order
        # from the index, a page costs the same for 500 letters or 50,000.
        indexes = [
            models.Index(fields=["call", "reference", "id"], name="letter_call_reference"),
            # The ranking (intents.office.ranking) pages through a call's ranked letters in this
            # order: highest mean, then median, then reference; unreviewed letters (no mean) last.
            NullsLastIndex(
                "call",
                F("review_mean").desc(nulls_last=True),
                F("review_median").desc(nulls_last=True),
                "reference",
                "id",
                name="letter_call_ranking",
                condition=RANKED_LETTER,
            ),
        ]

    def __str__(self):
        return self.reference or self.title

    def get_absolute_url(self):
        return reverse("letters:letter_detail", args=[self.pk])

    @property
    def is_draft(self):
        return self.state == self.State.DRAFT

    @property
    def is_submitted(self):
        return self.state == self.State.SUBMITTED

    @property
    def is_filed(self):
        """Submitted at least once, withdrawn since or not (as LetterQuerySet.filed)."""
        return self.submitted_at is not None

    @property
    def is_reviewable(self):
        """Filed and awaiting a decision (as LetterQuerySet.reviewable)."""
        return self.is_filed and self.state in self.State.reviewable()

    @property
    def is_standing(self):
        """Filed and not withdrawn since, decided or not (as LetterQuerySet.ranked)."""
        return self.is_filed and self.state in self.State.standing()

    def partner_list(self):
        return [line.strip() for line in self.partner_organisations.splitlines() if line.strip()]


class LetterVersion(models.Model):
    """A frozen copy of a letter at each submission or amendment, with its documents' hashes."""

    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission")
        AMENDMENT = "amendment", _("Amendment")

    letter = models.ForeignKey(
        LetterOfIntent, verbose_name=_("letter"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    snapshot = models.JSONField(_("content"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("filed at"))

    class Meta:
        verbose_name = _("letter version")
        verbose_name_plural = _("letter versions")
        ordering = ["letter", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "number"], name="one_version_number")
        ]

    def __str__(self):
        return f"{self.letter} v{self.number}"


class Extension(models.Model):
    """A later closing time granted to one organisation for one call."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="extensions"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    closes_at = models.DateTimeField(_("new closing time"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension")
        verbose_name_plural = _("extensions")
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="one_extension_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.call}"
