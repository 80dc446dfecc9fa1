"""The periodic task beat runs by name. The send task is defined beside what it runs
(delivery.send_outbound_emails)."""

from celery import shared_task
from django.conf import settings

from . import delivery
from .outbox import send_on_commit


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox():
    """Hands the broker again, in batches, the rows queued while it was down or left in flight
    by a worker that died."""
    stale = delivery.stale_email_ids(settings.OUTBOX_STALE_SECONDS)
    delivery.requeue_stuck_sending(stale)
    send_on_commit(stale)
    return len(stale)
