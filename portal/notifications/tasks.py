from celery import shared_task
from django.conf import settings

from . import delivery


@shared_task(name="notifications.send_outbound_email", bind=True, acks_late=True)
def send_outbound_email(self, email_id):
    try:
        delivery.deliver(email_id)
    except delivery.TransientDeliveryError as error:
        if self.request.is_eager:
            # In-process (no broker): never hold a web request; the sweeper tries again.
            return
        # The row counts its attempts and gives up at OUTBOX_MAX_ATTEMPTS, not Celery.
        raise self.retry(exc=error, countdown=error.retry_in, max_retries=None) from error


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox():
    stale = delivery.stale_email_ids(settings.OUTBOX_STALE_SECONDS)
    delivery.requeue_stuck_sending(stale)
    for email_id in stale:
        send_outbound_email.delay(email_id)
    return len(stale)
