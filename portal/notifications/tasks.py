from celery import shared_task
from django.conf import settings

from . import delivery


@shared_task(
    name="notifications.send_outbound_email",
    bind=True,
    acks_late=True,
    max_retries=8,
)
def send_outbound_email(self, email_id):
    try:
        delivery.deliver(email_id)
    except delivery.TransientDeliveryError as error:
        # 30 s, 60 s, 120 s … up to about an hour: outlasts a typical SMTP outage.
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 3600)) from error


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox():
    stale = delivery.stale_email_ids(settings.OUTBOX_STALE_SECONDS)
    delivery.requeue_stuck_sending(stale)
    for email_id in stale:
        send_outbound_email.delay(email_id)
    return len(stale)
