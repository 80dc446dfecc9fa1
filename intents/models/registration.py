from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.organisations.models import Organisation

from .call import Call


class CallRegistration(models.Model):
    """An organisation that told the office it means to answer a call: it is reminded of the
    deadline until it starts a letter (a draft is then reminded of as a draft)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="registrations"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="call_registrations",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("registration for a call")
        verbose_name_plural = _("registrations for calls")
        ordering = ["call", "registered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "organisation"], name="one_registration_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} — {self.call}"
