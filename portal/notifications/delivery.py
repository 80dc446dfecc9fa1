"""Sending outbox rows: the task that takes a batch of them, claims them, sends each, and records
each outcome."""

import smtplib
from collections import defaultdict
from contextlib import suppress
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import OutboundEmail


def backoff_seconds(attempts):
    """30 s, 60 s, 120 s … capped at an hour: outlasts a typical SMTP outage."""
    first = settings.OUTBOX_RETRY_SECONDS
    return min(first * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)


def claim(email_ids):
    """Mark the queued rows among these in flight, in one commit, and return them; rows another
    worker got first are left out. Each conditional UPDATE waits for a concurrent claim of the
    same row to commit and then finds it no longer queued, so a row is claimed once."""
    now = timezone.now()
    claimed = []
    with transaction.atomic():
        # In id order, so that two workers claiming overlapping batches cannot deadlock.
        for email_id in sorted(set(email_ids)):
            if (
                OutboundEmail.objects.filter(pk=email_id, state=OutboundEmail.State.QUEUED).update(
                    state=OutboundEmail.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
                )
                == 1
            ):
                claimed.append(email_id)
    return list(OutboundEmail.objects.filter(pk__in=claimed).order_by("pk"))


def deliver_all(email_ids):
    """Send the queued rows among these over one SMTP session, each once; returns
    [(email id, seconds to wait)] for those a later try may get through.

    A claimed row is marked sent in its own commit right after the server accepts it, so a
    worker dying mid-batch leaves only unsent rows in flight, for the sweeper."""
    to_retry = []
    session = _Session()
    try:
        for email in claim(email_ids):
            if session.unreachable is None:
                retry_in = _deliver_one(email, session)
            else:
                # A server that cannot be reached (or times out) for one row would make every
                # row wait as long: the rest of the batch goes back with the same reason.
                retry_in = _record_failure(email, session.unreachable)
            if retry_in is not None:
                to_retry.append((email.pk, retry_in))
    finally:
        session.close()
    return to_retry


@shared_task(name="notifications.send_outbound_emails", bind=True, acks_late=True)
def send_outbound_emails(self, email_ids):
    """Send a batch of outbox rows; those that may get through later go back to the broker
    after their back-off, together when they wait as long (a relay that was down sends the
    batch back as one message, not one per row). The row counts its attempts and gives up at
    OUTBOX_MAX_ATTEMPTS, not Celery."""
    waiting = defaultdict(list)
    for email_id, retry_in in deliver_all(email_ids):
        waiting[retry_in].append(email_id)
    # In-process (no broker), never hold a web request: the sweeper tries again.
    if not self.request.is_eager:
        for retry_in, ids in waiting.items():
            self.publish((ids,), countdown=retry_in)


class _Session:
    """The mail backend's connection for a batch: made and opened at the first message, and
    again after a failure, which may leave it half-way through an SMTP transaction. A failure
    to open it is kept in `unreachable`."""

    def __init__(self):
        self.backend = None
        self.unreachable = None

    def send(self, message):
        try:
            if self.backend is None:
                self.backend = get_connection()
            self.backend.open()
        except Exception as error:
            self.unreachable = error
            raise
        self.backend.send_messages([message])

    def close(self):
        # A server that already hung up makes QUIT fail; smtplib's errors are OSErrors.
        if self.backend is not None:
            with suppress(OSError):
                self.backend.close()


def _deliver_one(email, session):
    """Send one claimed row and record the outcome; seconds to wait when worth another try."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.sender,
        to=[email.to],
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["name"], attachment["content"], attachment["mimetype"])
    try:
        session.send(message)
    except Exception as error:
        # Whatever the backend raised, the row must leave the in-flight state.
        session.close()
        return _record_failure(email, error)
    OutboundEmail.objects.filter(pk=email.pk).update(
        state=OutboundEmail.State.SENT, sent_at=timezone.now(), last_error=""
    )
    return None


def _record_failure(email, error):
    """Failed for good, or back in the queue; seconds to wait when worth another try."""
    transient, reason = classify(error)
    if not transient:
        _fail(email, reason)
        return None
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _fail(email, f"gave up after {email.attempts} attempts: {reason}")
        return None
    retry_in = backoff_seconds(email.attempts)
    _release(email, reason, retry_in)
    return retry_in


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
