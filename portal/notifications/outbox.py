"""Putting e-mails in the outbox. Call inside the transaction of the change that causes them.

render_email() renders a template; queue_email() writes the row (once per key) and hands it to
send_on_commit(), the one way rows reach the broker: the rows a transaction queued go on its
commit, OUTBOX_BATCH_SIZE to a task (delivery.send_outbound_emails)."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

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


def queue_email(*, key, to, subject, body_text, body_html="", attachments=(), language=None):
    """Write the outbox row, once per key, and send a new one after the surrounding commit;
    returns (row, created). `language`: the one the message is written in (the site's default
    if None), which the sender's name follows."""
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "to": to,
            "language": language or settings.LANGUAGE_CODE,
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
        language=language,
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
