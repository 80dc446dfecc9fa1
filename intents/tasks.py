from celery import shared_task

from .office import archive
from .reminders import engine as reminders


@shared_task(name="intents.build_documents_zip", acks_late=True)
def build_documents_zip(job_id):
    archive.build(job_id)


@shared_task(name="intents.send_due_reminders", acks_late=True)
def send_due_reminders():
    """Run by beat every few minutes; a second run at once, or a late one, sends nothing twice."""
    return reminders.send_due()
