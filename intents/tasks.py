from celery import shared_task

from .office import archive
from .reminders import engine as reminders


# Acknowledged on receipt, not at the end (acks_late=False): a build is recovered by its lease
# (archive.sweep retries a build whose worker died), not by the broker. A late-acked build
# killed with its worker would stay unacknowledged in Redis until the visibility timeout and
# then come back as a second, useless copy of what the sweeper already retried.
@shared_task(name="intents.build_documents_zip", acks_late=False)
def build_documents_zip(job_id):
    archive.build(job_id)


@shared_task(name="intents.sweep_export_jobs")
def sweep_export_jobs():
    """Run by beat every minute: retries the archive builds whose worker died."""
    return archive.sweep()


@shared_task(name="intents.send_due_reminders", acks_late=True)
def send_due_reminders():
    """Run by beat every few minutes; a second run at once, or a late one, sends nothing twice."""
    return reminders.send_due()
