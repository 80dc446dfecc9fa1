"""Sending one outbox row: claim it, send it, record the outcome."""

import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboundEmail


class TransientDeliveryError(Exception):
    def __init__(self, reason, retry_in):
        super().__init__(reason)
        self.retry_in = retry_in


def backoff_seconds(attempts):
    """30 s, 60 s, 120 s … capped at an hour: outlasts a typical SMTP outage."""
    first = settings.OUTBOX_RETRY_SECONDS
    return min(first * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)


def claim(email_id):
    """Mark the row in flight; return it, or None when another worker got there first."""
    claimed = OutboundEmail.objects.filter(pk=email_id, state=OutboundEmail.State.QUEUED).update(
        state=OutboundEmail.State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return OutboundEmail.objects.get(pk=email_id) if claimed else None


def deliver(email_id):
    """Send a queued row once. Raises TransientDeliveryError when a later try may succeed."""
    email = claim(email_id)
    if email is None:
        return False
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        to=[email.to],
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["name"], attachment["content"], attachment["mimetype"])
    try:
        message.send()
    except Exception as error:
        # Whatever the backend raised, the row must leave the in-flight state.
        transient, reason = classify(error)
        if not transient:
            _fail(email, reason)
            return False
        if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            _fail(email, f"gave up after {email.attempts} attempts: {reason}")
            return False
        retry_in = backoff_seconds(email.attempts)
        _release(email, reason, retry_in)
        raise TransientDeliveryError(reason, retry_in) from error
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def classify(error):
    """(worth retrying?, reason): 4xx replies and lost connections are; 5xx replies are not."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in error.recipients.values()]
        reason = "; ".join(
            f"{code} {message.decode(errors='replace')} ({address})"
            for address, (code, message) in error.recipients.items()
        )
        return all(400 <= code < 500 for code in codes), reason
    if isinstance(error, smtplib.SMTPResponseException):
        message = error.smtp_error
        if isinstance(message, bytes):
            message = message.decode(errors="replace")
        return 400 <= error.smtp_code < 500, f"{error.smtp_code} {message}"
    if isinstance(error, smtplib.SMTPException) and not isinstance(
        error, smtplib.SMTPServerDisconnected
    ):
        return False, repr(error)
    # Lost connections, time-outs and errors we do not know: worth another try, up to the cap.
    return True, repr(error)


def _release(email, reason, retry_in):
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.QUEUED,
        last_error=reason[:2000],
        next_attempt_at=timezone.now() + timedelta(seconds=retry_in),
    )


def _fail(email, reason):
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.FAILED, last_error=reason[:2000]
    )


def stale_email_ids(stale_after_seconds):
    """Rows waiting too long: queued while the broker was down, or in flight when a worker died."""
    cutoff = timezone.now() - timedelta(seconds=stale_after_seconds)
    stuck_sending = Q(state=OutboundEmail.State.SENDING, claimed_at__lt=cutoff)
    stuck_queued = Q(state=OutboundEmail.State.QUEUED, next_attempt_at__lt=cutoff)
    return list(
        OutboundEmail.objects.filter(stuck_sending | stuck_queued).values_list("pk", flat=True)
    )


def requeue_stuck_sending(email_ids):
    """A row in flight for too long belonged to a worker that died: let it be claimed again."""
    OutboundEmail.objects.filter(pk__in=email_ids, state=OutboundEmail.State.SENDING).update(
        state=OutboundEmail.State.QUEUED, next_attempt_at=timezone.now()
    )
