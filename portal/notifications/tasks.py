from celery import shared_task
from django.conf import settings

from . import delivery
from .outbox import send_on_commit


@shared_task(name="notifications.sweep_outbox")
def sweep_outbox():
    stale = delivery.stale_email_ids(settings.OUTBOX_STALE_SECONDS)
    delivery.requeue_stuck_sending(stale)
    send_on_commit(stale)
    return len(stale)
