from celery import shared_task

from . import documents_lifecycle
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


@shared_task(name="intents.purge_removed_documents", acks_late=True)
def purge_removed_documents():
    """Run by beat every hour: deletes the stored files of removed draft documents no receipt
    names, once past the grace period. Two runs at once delete each file once."""
    return documents_lifecycle.purge_removed_documents()


@shared_task(name="intents.make_blind_copy", acks_late=True)
def make_blind_copy(document_id):
    """Enqueued on commit of an upload to a blind-review call: the reviewers' copy without the
    PDF's identifying metadata. Made again on demand if it never ran."""
    documents_lifecycle.make_blind_copy(document_id)
