"""Writing due reminders and digests to the outbox: what the periodic task runs."""

from itertools import islice

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from portal.notifications.models import OutboundEmail
from portal.notifications.outbox import queue_email, render_email

from ..models import Call
from .audiences import applicant_reminders, office_digests, reviewer_reminders
from .calendar import ics_attachment

# Rows written per transaction: a crash loses at most one batch of work (the next run redoes
# it), and a long run never holds SQLite's write lock for long.
BATCH_SIZE = 200


def send_due(now=None):
    """Write every reminder and digest due at `now` that was not written before; return how
    many rows were written. Safe to run twice at once, or again at any time."""
    now = now or timezone.now()
    written = 0
    for call in active_calls(now):
        for kind in (applicant_reminders, reviewer_reminders, office_digests):
            written += write(kind(call, now), now)
    return written


def active_calls(now):
    """Open calls whose letters' or reviews' deadline (or an extension) is still ahead."""
    ahead = Q(deadline__gt=now) | Q(review_deadline__gt=now) | Q(extensions__closes_at__gt=now)
    return Call.objects.filter(ahead, opens_at__lte=now).distinct().order_by("pk")


def write(dues, now):
    written = 0
    for batch in batched(dues, BATCH_SIZE):
        already = set(
            OutboundEmail.objects.filter(
                idempotency_key__in=[due.key for due in batch]
            ).values_list("idempotency_key", flat=True)
        )
        fresh = [due for due in batch if due.key not in already]
        # Rendered before the transaction, which then only inserts.
        rendered = [(due, render(due, now)) for due in fresh]
        with transaction.atomic():
            for due, (subject, body_text, body_html, attachments) in rendered:
                _email, created = queue_email(
                    key=due.key,
                    to=due.recipient.email,
                    subject=subject,
                    body_text=body_text,
                    body_html=body_html,
                    attachments=attachments,
                    language=due.recipient.language,
                )
                written += created
    return written


def batched(items, size):
    """itertools.batched, which arrives with Python 3.12."""
    items = iter(items)
    while batch := tuple(islice(items, size)):
        yield batch


def render(due, now):
    recipient = due.recipient
    subject, body_text, body_html = render_email(
        template=due.template,
        context=due.context,
        language=recipient.language,
        time_zone=recipient.time_zone,
    )
    attachments = []
    if due.calendar is not None:
        with translation.override(recipient.language):
            attachments.append(ics_attachment(due.calendar, now))
    return subject, body_text, body_html, attachments
