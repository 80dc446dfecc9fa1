"""The ZIP of a call's documents, built in the background: starting a job, and building it
file by file on disk so a call of any size fits in a few megabytes of memory."""

import csv
import datetime as dt
import io
import logging
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit.log import record

from ..models import Call, Document, ExportJob
from ..uploads import clean_file_name
from .exports import neutralise

logger = logging.getLogger(__name__)

State = ExportJob.State
COPY_CHUNK = 2**20
PROGRESS_EVERY = 10  # documents between two progress updates
# Characters Windows refuses in file names; folders are already cut off by clean_file_name.
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# A build still running after this long went down with its worker (a redelivered task finds it
# claimed and leaves it), so it no longer stops a new one; builds copy over 100 MB a second.
ABANDONED_AFTER = dt.timedelta(hours=2)


def request_documents_zip(*, user, call):
    """A new job for the call's ZIP, or the one already waiting or being built: (job, created)."""
    with transaction.atomic():
        # Serialises two officers starting at once, so a call never has two jobs under way.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        under_way = call.exports.filter(
            kind=ExportJob.Kind.DOCUMENTS_ZIP, state__in=[State.QUEUED, State.RUNNING]
        )
        now = timezone.now()
        under_way.filter(state=State.RUNNING, created_at__lt=now - ABANDONED_AFTER).update(
            state=State.FAILED,
            error=_("The worker building this archive stopped."),
            finished_at=now,
        )
        job = under_way.first()
        created = job is None
        if created:
            job = ExportJob.objects.create(call=call, requested_by=user)
            record(user, "export.requested", call, kind=job.kind, job=job.pk)
        if job.state == State.QUEUED:
            # A waiting job is handed to the broker again: it may have been down the first time,
            # and the task builds a job only once.
            transaction.on_commit(lambda: enqueue_build(job.pk))
    return job, created


def enqueue_build(job_id):
    """Hand the job to the broker; if it is down the job stays queued and its page says so."""
    from ..tasks import build_documents_zip

    try:
        build_documents_zip.delay(job_id)
    except Exception:
        logger.warning("Broker unreachable; export job %s stays queued", job_id)


def archived_documents(call):
    """The current documents of the call's filed letters, in the archive's order."""
    return (
        Document.objects.filter(
            letter__call=call, letter__submitted_at__isnull=False, removed_at__isnull=True
        )
        .select_related("letter", "document_type")
        .order_by("letter__reference", "document_type__position", "pk")
    )


def archive_name(document):
    """`<reference>/<type code>-<document id>-<file name>`: unique, relative, no way out."""
    name = clean_file_name(document.original_name)
    parts = (document.letter.reference, f"{document.document_type.code}-{document.pk}-{name}")
    return "/".join(UNSAFE.sub("_", part) for part in parts)


def build(job_id):
    """Build the job's ZIP once; True if this call built it. A failure leaves no file behind."""
    jobs = ExportJob.objects.filter(pk=job_id)
    # Claimed by a conditional UPDATE: a job redelivered, or already built, is left alone.
    if not jobs.filter(state=State.QUEUED).update(state=State.RUNNING):
        return False
    storage = ExportJob._meta.get_field("file").storage
    part = stored = None
    try:
        job = jobs.select_related("call").get()
        documents = archived_documents(job.call)
        total = documents.count()
        jobs.update(total=total, done=0)
        # Built on local disk in the private storage folder, then handed to the storage.
        folder = Path(settings.PRIVATE_STORAGE_ROOT)
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=folder, prefix="export-", suffix=".part", delete=False
        ) as handle:
            part = Path(handle.name)
            write_zip(handle, documents, progress=lambda done: jobs.update(done=done))
        with part.open("rb") as finished:
            stored = storage.save(
                f"exports/{job.call.reference_prefix}-documents-{job.pk}.zip",
                _FinishedArchive(finished),
            )
        jobs.update(
            state=State.DONE,
            file=stored,
            size=storage.size(stored),
            done=total,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Export job %s failed", job_id)
        if stored:
            storage.delete(stored)
        jobs.update(state=State.FAILED, error=str(error) or repr(error), finished_at=timezone.now())
        return False
    finally:
        if part:
            part.unlink(missing_ok=True)
    return True


def write_zip(handle, documents, progress):
    """Copy each document into the archive a chunk at a time, then add the manifest."""
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow([_("Reference"), _("File"), "SHA-256", _("Size (bytes)"), _("Pages")])
    # Stored, not deflated: PDFs are compressed already, and this keeps the build fast.
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for done, document in enumerate(documents.iterator(chunk_size=200), start=1):
            name = archive_name(document)
            info = zipfile.ZipInfo(name, date_time=_zip_time(document.uploaded_at))
            info.file_size = document.size  # lets zipfile pick ZIP64 when a file needs it
            info.external_attr = 0o644 << 16
            try:
                with document.file.open("rb") as source, archive.open(info, "w") as target:
                    shutil.copyfileobj(source, target, COPY_CHUNK)
            except OSError as error:
                # Named, and without the server's paths: the office reads this on the job's page.
                raise OSError(f"{name}: {error.strerror or error}") from error
            writer.writerow(
                [neutralise(document.letter.reference), neutralise(name), document.sha256]
                + [document.size, document.page_count]
            )
            if done % PROGRESS_EVERY == 0:
                progress(done)
        archive.writestr("manifest.csv", "\ufeff" + manifest.getvalue())


def _zip_time(moment):
    return moment.astimezone(dt.UTC).timetuple()[:6]


class _FinishedArchive(File):
    """The built archive: file system storage moves it into place instead of copying it."""

    def temporary_file_path(self):
        return self.file.name
