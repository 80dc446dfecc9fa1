"""Putting e-mails in the outbox. Call inside the transaction of the change that causes them."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.audit.log import record
from portal.refusals import Refused

from .models import OutboundEmail

logger = logging.getLogger(__name__)


def queue_email(*, key, to, subject, body_text, body_html="", attachments=()):
    """Write the outbox row (once per key) and send it after the surrounding commit."""
    email, created = write_email(
        key=key,
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments,
    )
    if created:
        transaction.on_commit(lambda: enqueue_send(email.pk))
    return email


def write_email(*, key, to, subject, body_text, body_html="", attachments=()):
    """The outbox row alone, as (row, created); the caller hands new rows to the broker."""
    return OutboundEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "to": to,
            "subject": subject[:255],
            "body_text": body_text,
            "body_html": body_html,
            "attachments": list(attachments),
        },
    )


def render_templated_email(*, template, context, language=None, time_zone="UTC"):
    """`<template>_subject.txt`, `.txt` and `.html` rendered in a language and time zone, as
    (subject, text body, HTML body): what the outbox sends, or what a preview shows."""
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(time_zone):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    return " ".join(subject.split()), body_text, body_html


def queue_templated_email(
    *, key, to, template, context, language=None, time_zone="UTC", attachments=()
):
    """Render the e-mail in the recipient's language and zone, and queue it."""
    subject, body_text, body_html = render_templated_email(
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


# Rows per broker message: one task sends them over one SMTP session and one database
# connection, which is what lets a reminder run of thousands go out at hundreds per second.
SEND_BATCH_SIZE = 50


def enqueue_send(email_id):
    """Hand the row to the broker; if the broker is down the sweeper sends it later."""
    return enqueue_all([email_id])


def enqueue_all(email_ids, countdown=None):
    """Hand rows to the broker in batches, stopping at the first refusal: a broker that is down
    would make every further try wait for its time-out, and the sweeper sends what is left."""
    from .tasks import send_outbound_emails

    email_ids = list(email_ids)
    for start in range(0, len(email_ids), SEND_BATCH_SIZE):
        try:
            send_outbound_emails.apply_async(
                (email_ids[start : start + SEND_BATCH_SIZE],), countdown=countdown
            )
        except Exception:
            waiting = len(email_ids) - start
            logger.warning("Broker unreachable; %s outbox row(s) wait for the sweeper", waiting)
            return False
    return True


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
        transaction.on_commit(lambda: enqueue_send(email_id))
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
            transaction.on_commit(lambda: enqueue_all(moved))
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
