"""The periodic tasks beat runs by name. A task a service publishes is defined beside that
service (office.archive.build_documents_zip, documents_lifecycle.make_blind_copy_task), which
never imports this module; importing the services here is what registers them in a worker."""

from celery import shared_task

from . import documents_lifecycle
from .office import archive
from .reminders import engine as reminders


@shared_task(name="intents.sweep_export_jobs")
def sweep_export_jobs():
    """Run by beat every minute: retries the archive builds whose worker died."""
    return archive.sweep()


@shared_task(name="intents.send_due_reminders", acks_late=True)
def send_due_reminders():
    """Run by beat every few minutes; a second run at once, or a late one, sends nothing twice."""
    return reminders.send_due()


@shared_task(name="intents.purge_removed_documents", acks_late=True)
def purge_removed_documents():
    """Run by beat every hour: deletes the stored files of removed draft documents no receipt
    names, once past the grace period. Two runs at once delete each file once."""
    return documents_lifecycle.purge_removed_documents()
