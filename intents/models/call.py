import zoneinfo
from datetime import timedelta

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import TIME_ZONE_CHOICES

from .translated import Bilingual

# The technical fields a cooperation mode may ask for; each mode lists the ones it needs.
TECHNICAL_FIELDS = ["mass_kg", "power_w", "data_volume_gb"]


def default_reminder_hours():
    return [30 * 24, 7 * 24, 24, 3]


class Call(Bilingual, models.Model):
    """A call for cooperation, e.g. the Chang'e-8 call for international partners."""

    title = models.CharField(_("title"), max_length=255)
    title_zh = models.CharField(_("title (Chinese)"), max_length=255, blank=True)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.TextField(_("description"))
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    deadline = models.DateTimeField(_("deadline for letters of intent"))
    time_zone = models.CharField(
        _("official time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default="UTC"
    )
    grace_minutes = models.PositiveIntegerField(
        _("grace minutes"),
        default=0,
        help_text=_("Submissions are still accepted this many minutes after the deadline."),
    )
    review_deadline = models.DateTimeField(_("review deadline"), null=True, blank=True)
    selection_date = models.DateField(_("selection date"), null=True, blank=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]+$", _("Use capital letters and digits only."))],
    )
    # An empty list is a call without reminders.
    reminder_hours = models.JSONField(
        _("reminder schedule (hours before the deadline)"),
        default=default_reminder_hours,
        blank=True,
    )
    score_max = models.PositiveSmallIntegerField(
        _("top of the scoring scale"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text=_("Reviewers score each criterion from 1 to this number."),
    )
    reviewers_per_letter = models.PositiveSmallIntegerField(
        _("reviewers per letter"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    conflict_same_country = models.BooleanField(
        _("reviewers may not judge letters from their own country"), default=False
    )
    blind_review = models.BooleanField(
        _("blind review"),
        default=False,
        help_text=_(
            "Hide the applicant's organisation, members, country and partners from reviewers."
        ),
    )
    reviewers_see_other_reviews = models.BooleanField(
        _("reviewers see the other reviews once they submit their own"), default=False
    )
    share_reviewer_comments = models.BooleanField(
        _("applicants see the reviewers' shareable comments with the decision"), default=False
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-deadline"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("letters:call_detail", args=[self.slug])

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def closes_at(self):
        """The last instant a submission is accepted, grace included, before any extension."""
        return self.deadline + timedelta(minutes=self.grace_minutes)

    @property
    def is_open(self):
        now = timezone.now()
        return self.opens_at <= now <= self.closes_at

    @property
    def reviews_open(self):
        return self.review_deadline is None or timezone.now() <= self.review_deadline


class CooperationMode(Bilingual, models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="modes"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    description = models.TextField(_("what this mode asks for"))
    description_zh = models.TextField(_("what this mode asks for (Chinese)"), blank=True)
    technical_fields = models.JSONField(
        _("technical fields required"),
        default=list,
        blank=True,
        help_text=_("Any of: mass_kg, power_w, data_volume_gb."),
    )

    class Meta:
        verbose_name = _("cooperation mode")
        verbose_name_plural = _("cooperation modes")
        ordering = ["call", "number"]
        constraints = [
            models.UniqueConstraint(fields=["call", "number"], name="one_mode_number_per_call")
        ]

    def __str__(self):
        return f"{self.number}. {self.localized('name')}"


class DocumentType(Bilingual, models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="document_types"
    )
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    required_for = models.ManyToManyField(
        CooperationMode,
        verbose_name=_("required for modes"),
        related_name="required_document_types",
        blank=True,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "code"], name="one_document_code_per_call")
        ]

    def __str__(self):
        return self.localized("name")


class ReferenceSequence(models.Model):
    """The last reference number given in a call. A row of its own, so saving the call (from an
    office page or the admin) can never write an old count back over a submission in flight."""

    call = models.OneToOneField(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="reference_sequence"
    )
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference sequence")
        verbose_name_plural = _("reference sequences")

    def __str__(self):
        return f"{self.call.reference_prefix}: {self.last_number}"


class Criterion(Bilingual, models.Model):
    """One line of the call's rubric. A review's total is the weight-averaged score."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("name"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    description = models.TextField(_("what reviewers judge"), blank=True)
    description_zh = models.TextField(_("what reviewers judge (Chinese)"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("scoring criterion")
        verbose_name_plural = _("scoring criteria")
        ordering = ["call", "position", "pk"]

    def __str__(self):
        return self.localized("name")
