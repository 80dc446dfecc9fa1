"""Putting e-mails in the outbox. Call inside the transaction of the change that causes them."""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboundEmail

logger = logging.getLogger(__name__)


def queue_email(*, key, to, subject, body_text, body_html=""):
    """Write the outbox row (once per key) and send it after the surrounding commit."""
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=key,
        defaults={
            "to": to,
            "subject": subject[:255],
            "body_text": body_text,
            "body_html": body_html,
        },
    )
    if created:
        transaction.on_commit(lambda: enqueue_send(email.pk))
    return email


def render_templated_email(*, template, context, language=None, time_zone="UTC"):
    """`<template>_subject.txt`, `.txt` and `.html` rendered in a language and time zone, as
    (subject, text body, HTML body): what the outbox sends, or what a preview shows."""
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(time_zone):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    return " ".join(subject.split()), body_text, body_html


def queue_templated_email(*, key, to, template, context, language=None, time_zone="UTC"):
    """Render the e-mail in the recipient's language and zone, and queue it."""
    subject, body_text, body_html = render_templated_email(
        template=template, context=context, language=language, time_zone=time_zone
    )
    return queue_email(key=key, to=to, subject=subject, body_text=body_text, body_html=body_html)


def enqueue_send(email_id):
    """Hand the row to the broker; if the broker is down the sweeper sends it later."""
    from .tasks import send_outbound_email

    try:
        send_outbound_email.delay(email_id)
    except Exception:
        logger.warning("Broker unreachable; outbox row %s waits for the sweeper", email_id)
