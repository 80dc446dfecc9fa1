from celery import shared_task
from django.conf import settings

from . import delivery
from .outbox import enqueue_all


@shared_task(name="notifications.send_outbound_emails", bind=True, acks_late=True)
def send_outbound_emails(self, email_ids):
    """Send a batch of outbox rows; each row that may get through later goes back to the
    broker on its own, after its back-off. The row counts its attempts and gives up at
    OUTBOX_MAX_ATTEMPTS, not Celery."""
    for email_id, retry_in in delivery.deliver_all(email_ids):
        # In-process (no broker), never hold a web request: the sweeper tries again.
        if not self.request.is_eager:
            enqueue_all([email_id], countdown=retry_in)


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox():
    stale = delivery.stale_email_ids(settings.OUTBOX_STALE_SECONDS)
    delivery.requeue_stuck_sending(stale)
    enqueue_all(stale)
    return len(stale)
