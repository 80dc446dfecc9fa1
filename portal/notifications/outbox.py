"""Putting e-mails in the outbox. Call inside the transaction of the change that causes them."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

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


def enqueue_send(email_id):
    """Hand the row to the broker; if the broker is down the sweeper sends it later."""
    return enqueue_all([email_id])


def enqueue_all(email_ids):
    """Hand rows to the broker, stopping at the first refusal: a broker that is down would make
    every further try wait for its time-out, and the sweeper sends what is left later."""
    from .tasks import send_outbound_email

    for position, email_id in enumerate(email_ids):
        try:
            send_outbound_email.delay(email_id)
        except Exception:
            waiting = len(email_ids) - position
            logger.warning("Broker unreachable; %s outbox row(s) wait for the sweeper", waiting)
            return False
    return True
