from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# What the outbox page shows of a row; never the bodies, which hold sign-in links.
LISTED_FIELDS = [
    "idempotency_key",
    "to",
    "subject",
    "state",
    "attempts",
    "next_attempt_at",
    "last_error",
    "created_at",
    "claimed_at",
    "sent_at",
]


class OutboundEmail(models.Model):
    """One e-mail in the outbox: written with the change that caused it, sent by a task.

    The idempotency key makes a second attempt to queue the same notification a no-op.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    idempotency_key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    to = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    # [{"name": ..., "mimetype": ..., "content": text}]: small text files such as a calendar
    # entry, kept with the row so a resend carries the same bytes.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    # The recipient's, which the message was written in; the sender's name follows it.
    # Empty: the site's default.
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When the next try is due; a queued row overdue by much is one whose task was lost.
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]

    def __str__(self):
        return f"{self.to}: {self.subject}"

    @property
    def kind(self):
        """What the message is, from its key: "receipt", "reminder", "decision" …"""
        return self.idempotency_key.split(":", 1)[0]

    @property
    def sender(self):
        """DEFAULT_FROM_EMAIL, its name in the message's language when our catalogue has it
        (the portal's own name does): a Chinese e-mail comes from 探月合作门户."""
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        if not name or "@" not in address:
            return settings.DEFAULT_FROM_EMAIL
        with translation.override(self.language or settings.LANGUAGE_CODE):
            name = gettext(name)
        username, domain = address.rsplit("@", 1)
        return str(Address(display_name=name, username=username, domain=domain))

    @property
    def message_id(self):
        """The same for every try, so a receiving system can tell a resend from a new e-mail."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "localhost"
        return f"<outbox.{self.pk}.{self.created_at:%Y%m%d%H%M%S}@{domain}>"
