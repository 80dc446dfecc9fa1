from celery import shared_task

from .office import archive


@shared_task(name="intents.build_documents_zip", acks_late=True)
def build_documents_zip(job_id):
    archive.build(job_id)
