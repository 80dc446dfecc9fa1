from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .letter import LetterOfIntent


class DecisionQuerySet(models.QuerySet):
    def released(self):
        """Released: the applicant has been told and the letter's state follows."""
        return self.filter(released_at__isnull=False)

    def unreleased(self):
        """Not released yet: the office's private decisions, still open to change."""
        return self.filter(released_at__isnull=True)


class Decision(models.Model):
    """The office's decision on a letter. Private until released: only then does the letter's
    state change and the applicant hear of it (intents.office.actions.decide /
    release_decisions)."""

    class Outcome(models.TextChoices):
        SELECTED = "selected", _("Selected")
        WAITLISTED = "waitlisted", _("Waitlisted")
        NOT_SELECTED = "not_selected", _("Not selected")

    letter = models.OneToOneField(
        LetterOfIntent, verbose_name=_("letter"), on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=15, choices=Outcome.choices)
    internal_note = models.TextField(_("internal note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.letter}: {self.get_outcome_display()}"

    @property
    def is_released(self):
        return self.released_at is not None
