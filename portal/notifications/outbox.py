"""Putting e-mails in the outbox. Call inside the transaction of the change that causes them.

render_email() renders a template; queue_email() writes the row (once per key) and hands it to
send_on_commit(), the one way rows reach the broker: the rows a transaction queued go on its
commit, OUTBOX_BATCH_SIZE to a task (delivery.send_outbound_emails)."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit.log import record
from portal.refusals import Refused

from .delivery import send_outbound_emails
from .models import OutboundEmail

logger = logging.getLogger(__name__)


def render_email(*, template, context, language=None, time_zone="UTC"):
    """`<template>_subject.txt`, `.txt` and `.html` rendered in a language and time zone, as
    (subject, text body, HTML body): what the outbox sends, or what a preview shows."""
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(time_zone):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    return " ".join(subject.split()), body_text, body_html


def queue_email(*, key, to, subject, body_text, body_html="", attachments=()):
    """Write the outbox row, once per key, and send a new one after the surrounding commit;
    returns (row, created)."""
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "to": to,
            "subject": subject[:255],
            "body_text": body_text,
            "body_html": body_html,
            "attachments": list(attachments),
        },
    )
    if created:
        send_on_commit([email.pk])
    return email, created


def queue_templated_email(
    *, key, to, template, context, language=None, time_zone="UTC", attachments=()
):
    """render_email() in the recipient's language and zone, then queue_email()."""
    subject, body_text, body_html = render_email(
        template=template, context=context, language=language, time_zone=time_zone
    )
    return queue_email(
        key=key,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
    )


def send_on_commit(email_ids):
    """Hand these rows to the broker when the surrounding transaction commits, together with
    every other row it queued (at once outside a transaction): one callback per transaction,
    OUTBOX_BATCH_SIZE rows per broker message, each sent by one task over one SMTP session."""
    batch = _open_batch()
    if batch is None:
        transaction.on_commit(_Batch(email_ids))
    else:
        batch.email_ids.extend(email_ids)


class _Batch:
    """The rows a transaction queued, handed to the broker once, on its commit."""

    def __init__(self, email_ids):
        self.email_ids = list(email_ids)
        self.handed = False

    def __call__(self):
        self.handed = True
        size = settings.OUTBOX_BATCH_SIZE
        for start in range(0, len(self.email_ids), size):
            # A broker that is down would make every further try wait for its time-out.
            if not send_outbound_emails.publish((self.email_ids[start : start + size],)):
                waiting = len(self.email_ids) - start
                logger.warning("%s outbox row(s) wait for the sweeper", waiting)
                return


def _open_batch():
    """The batch of the transaction under way that a new row can join: not handed over yet,
    and registered in savepoints that all still enclose the row, so that a rollback dropping
    the batch drops the row as well."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    active = set(connection.savepoint_ids)
    # Django keeps (savepoint ids, callback, robust) for each callback of the transaction.
    for savepoints, callback, _robust in reversed(connection.run_on_commit):
        if isinstance(callback, _Batch) and not callback.handed and savepoints <= active:
            return callback
    return None


class ResendRefused(Refused):
    """The row is not failed (any more): nothing was changed."""


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


def resend(*, user, email_id):
    """Queue a failed e-mail once more, as the office asks: the only way out of "failed".

    The row goes back to queued with a fresh count of attempts; its last error stays until the
    next try replaces it. Raises ResendRefused when the row is not failed, e.g. on a second
    click, and changes nothing then."""
    with transaction.atomic():
        email = OutboundEmail.objects.only(*LISTED_FIELDS).get(pk=email_id)
        if not _requeue(user, email):
            raise ResendRefused(_refusal(email_id))
        send_on_commit([email_id])
    return email


def resend_failed(*, user, email_ids):
    """Queue the failed ones among these rows (ids, or a query of them) once more, each
    audited; returns how many. Rows no longer failed (another officer got there first) are
    left alone."""
    with transaction.atomic():
        rows = OutboundEmail.objects.filter(
            pk__in=email_ids, state=OutboundEmail.State.FAILED
        ).only(*LISTED_FIELDS)
        moved = [email.pk for email in list(rows.order_by("pk")) if _requeue(user, email)]
        if moved:
            send_on_commit(moved)
    return len(moved)


def _requeue(user, email):
    """The conditional UPDATE that makes a resend happen once, however many clicks."""
    previous_attempts = email.attempts
    now = timezone.now()
    moved = OutboundEmail.objects.filter(pk=email.pk, state=OutboundEmail.State.FAILED).update(
        state=OutboundEmail.State.QUEUED, attempts=0, next_attempt_at=now, claimed_at=None
    )
    if not moved:
        return False
    email.state, email.attempts, email.next_attempt_at = OutboundEmail.State.QUEUED, 0, now
    record(
        user,
        "email.resent",
        email,
        kind=email.kind,
        attempts=previous_attempts,
        last_error=email.last_error,
    )
    return True


def _refusal(email_id):
    state = OutboundEmail.objects.filter(pk=email_id).values_list("state", flat=True).first()
    if state == OutboundEmail.State.SENT:
        return _("This e-mail was sent already; it is not sent twice.")
    if state in (OutboundEmail.State.QUEUED, OutboundEmail.State.SENDING):
        return _("This e-mail is already queued to be sent again; nothing was changed.")
    return _("Only a failed e-mail can be sent again; nothing was changed.")
