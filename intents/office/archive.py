"""The ZIP of a call's documents, built in the background (the office asks for it with
`office.actions.request_documents_zip`): building it file by file on local disk so a call of any
size fits in a few megabytes of memory, and recovering a build whose worker died.

Recovery is by lease. A build holds `lease_expires_at` and renews it with each progress update
(and, while the finished archive is being stored, from a heartbeat thread). A running job whose
lease ran out went down with its worker: the sweeper (`intents.sweep_export_jobs`, every minute)
removes its partial file if it is on this node and queues it again, up to EXPORT_MAX_ATTEMPTS
attempts; after the last one the job fails with a message for the office, which can start a new
one. Each attempt is numbered, and every write a build makes is conditional on its number, so a
build that lost its lease (a worker frozen rather than dead) stops at its next update and never
overwrites the work of the attempt that replaced it.
"""

import csv
import datetime as dt
import io
import logging
import re
import threading
import time
import zipfile
from contextlib import contextmanager, suppress
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files import File
from django.db import connections
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.storage import is_missing, read_chunks, unavailable_errors

from ..models import Document, ExportJob
from ..uploads import clean_file_name
from .exports import neutralise

logger = logging.getLogger(__name__)

State = ExportJob.State
COPY_CHUNK = 2**20
PROGRESS_EVERY = 10  # documents between two progress updates
# Characters Windows refuses in file names; folders are already cut off by clean_file_name.
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# A build's partial file in WORK_DIR: export-<job id>-<attempt>.part.
PART = re.compile(r"export-(\d+)-(\d+)\.part")


def recover(jobs, now=None):
    """Retry each running job of `jobs` whose lease ran out, or fail it once it used its last
    attempt; return the ids of the jobs queued again (the caller hands them to the broker)."""
    now = now or timezone.now()
    lost = jobs.filter(state=State.RUNNING).filter(
        Q(lease_expires_at__lt=now) | Q(lease_expires_at__isnull=True)
    )
    requeued = []
    for job in lost.only("pk", "attempts", "lease_expires_at"):
        remove_part(part_path(job.pk, job.attempts))
        # Conditional: a build that renewed its lease meanwhile keeps its job.
        same = ExportJob.objects.filter(
            pk=job.pk,
            state=State.RUNNING,
            attempts=job.attempts,
            lease_expires_at=job.lease_expires_at,
        )
        if job.attempts < settings.EXPORT_MAX_ATTEMPTS:
            if same.update(state=State.QUEUED, lease_expires_at=None, done=0):
                logger.warning("Export job %s lost its worker (attempt %s); retried", *_ids(job))
                requeued.append(job.pk)
        elif same.update(
            state=State.FAILED,
            lease_expires_at=None,
            finished_at=now,
            error=ngettext(
                "The worker building this archive stopped, and it was not tried again. "
                "Start a new one; if it stops again, ask the administrator.",
                "The workers building this archive stopped %(count)s times, so it was not "
                "tried again. Start a new one; if it stops again, ask the administrator.",
                job.attempts,
            )
            % {"count": job.attempts},
        ):
            logger.error("Export job %s lost its worker (attempt %s); given up", *_ids(job))
    return requeued


def sweep():
    """The periodic sweeper: retry the builds that went down with their worker, hand the broker
    again the jobs that waited longer than a lease (it was down when they were asked for), and
    remove the partial files on this node that no live build owns. Returns the ids handed over.
    A job handed over twice is built once: the build claims it with a conditional UPDATE."""
    now = timezone.now()
    requeued = recover(ExportJob.objects.all(), now=now)
    waiting = ExportJob.objects.filter(
        state=State.QUEUED,
        created_at__lt=now - dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS),
    ).values_list("pk", flat=True)
    handed = sorted({*requeued, *waiting})
    for job_id in handed:
        build_documents_zip.publish((job_id,))
    remove_stale_parts(now=now)
    return handed


def _ids(job):
    return job.pk, job.attempts


def work_dir():
    return Path(settings.WORK_DIR)


def part_path(job_id, attempt):
    """Where attempt `attempt` of a job builds its archive: named after both, so a retry (or
    the sweeper) finds what an earlier attempt left on this node."""
    return work_dir() / f"export-{job_id}-{attempt}.part"


def remove_part(path):
    with suppress(FileNotFoundError):
        path.unlink()
        logger.info("Removed the partial archive %s", path.name)


def remove_stale_parts(now=None):
    """Remove each partial file in WORK_DIR whose attempt is not running under a live lease."""
    now = now or timezone.now()
    folder = work_dir()
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        match = PART.fullmatch(path.name)
        if match is None:
            continue
        job_id, attempt = (int(number) for number in match.groups())
        alive = ExportJob.objects.filter(
            pk=job_id, state=State.RUNNING, attempts=attempt, lease_expires_at__gte=now
        ).exists()
        if not alive:
            remove_part(path)


def archived_documents(call):
    """The current documents of the call's standing letters (a withdrawn letter is out of
    the running, so its files stay out of the archive), in the archive's order."""
    return (
        Document.objects.current()
        .of_standing_letters()
        .filter(letter__call=call)
        .select_related("letter", "document_type")
        .order_by("letter__reference", "document_type__position", "pk")
    )


def archive_name(document):
    """`<reference>/<type code>-<document id>-<file name>`: unique, relative, no way out."""
    name = clean_file_name(document.original_name)
    parts = (document.letter.reference, f"{document.document_type.code}-{document.pk}-{name}")
    return "/".join(UNSAFE.sub("_", part) for part in parts)


class LeaseLost(Exception):
    """The job is no longer this attempt's: its lease ran out and the sweeper took it back."""


class BuildFailed(Exception):
    """A build stopped for a reason the office can read (no server paths, no endpoints)."""


class Lease:
    """One attempt's hold on its job: every write goes through here, conditional on the
    attempt's number, and renews the lease. A write that matches no row raises LeaseLost."""

    def __init__(self, job_id, attempt):
        self.attempt = attempt
        self.rows = ExportJob.objects.filter(pk=job_id, state=State.RUNNING, attempts=attempt)
        self.seconds = settings.EXPORT_LEASE_SECONDS
        self.renewed = time.monotonic()

    def update(self, **fields):
        now = timezone.now()
        if "state" not in fields:
            fields["lease_expires_at"] = now + dt.timedelta(seconds=self.seconds)
        if not self.rows.update(**fields):
            raise LeaseLost
        self.renewed = time.monotonic()

    def due(self):
        """A quarter of the lease has passed since it was last renewed."""
        return time.monotonic() - self.renewed > self.seconds / 4

    def progress(self, done):
        if done % PROGRESS_EVERY == 0 or self.due():
            self.update(done=done)

    @contextmanager
    def heartbeat(self):
        """Renew the lease from a thread while the body runs (storing the finished archive
        sends no progress); the thread closes its own database connection when it stops."""
        stop = threading.Event()

        def beat():
            try:
                while not stop.wait(self.seconds / 4):
                    try:
                        self.update()
                    except LeaseLost:
                        return
            finally:
                connections.close_all()

        thread = threading.Thread(target=beat, name="export-lease", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


def build(job_id):
    """Build the job's ZIP once; True if this call built it. A failure leaves no file behind."""
    claimed = ExportJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING,
        attempts=F("attempts") + 1,
        lease_expires_at=timezone.now() + dt.timedelta(seconds=settings.EXPORT_LEASE_SECONDS),
        done=0,
        error="",
    )
    # Claimed by a conditional UPDATE: a job redelivered, running or already built is left alone.
    if not claimed:
        return False
    job = ExportJob.objects.select_related("call").get(pk=job_id)
    lease = Lease(job.pk, job.attempts)
    storage = ExportJob._meta.get_field("file").storage
    part = part_path(job.pk, job.attempts)
    stored = None
    try:
        # What an earlier attempt left on this node goes first.
        for leftover in work_dir().glob(f"export-{job.pk}-*.part"):
            remove_part(leftover)
        documents = archived_documents(job.call)
        total = documents.count()
        lease.update(total=total, done=0)
        part.parent.mkdir(parents=True, exist_ok=True)
        with part.open("wb") as handle:
            write_zip(handle, documents, storage=storage, progress=lease.progress)
        size = part.stat().st_size
        with lease.heartbeat(), part.open("rb") as finished:
            try:
                stored = storage.save(
                    f"exports/{job.call.reference_prefix}-documents-{job.pk}.zip",
                    _FinishedArchive(finished),
                )
            except unavailable_errors() as error:
                logger.warning("Export job %s: storing the archive failed: %r", job.pk, error)
                raise BuildFailed(
                    _("The archive was built but the storage did not take it. Try again later.")
                ) from error
        lease.update(
            state=State.DONE,
            file=stored,
            size=size,
            done=total,
            lease_expires_at=None,
            finished_at=timezone.now(),
        )
    except LeaseLost:
        logger.warning("Export job %s lost its lease (attempt %s); stopped", *_ids(job))
        _forget(storage, stored)
        return False
    except Exception as error:
        logger.exception("Export job %s failed", job_id)
        _forget(storage, stored)
        with suppress(LeaseLost):
            lease.update(
                state=State.FAILED,
                error=str(error) or repr(error),
                lease_expires_at=None,
                finished_at=timezone.now(),
            )
        return False
    finally:
        remove_part(part)
    return True


# Acknowledged on receipt, not at the end (acks_late=False): a build is recovered by its lease
# (sweep() retries a build whose worker died), not by the broker. A late-acked build killed
# with its worker would stay unacknowledged in Redis until the visibility timeout and then come
# back as a second, useless copy of what the sweeper already retried.
@shared_task(name="intents.build_documents_zip", acks_late=False)
def build_documents_zip(job_id):
    build(job_id)


def _forget(storage, stored):
    if stored:
        try:
            storage.delete(stored)
        except unavailable_errors():
            logger.exception("Could not remove the unfinished archive %s", stored)


def write_zip(handle, documents, *, storage, progress):
    """Copy each document into the archive a chunk at a time, then add the manifest.

    Documents are read with `read_chunks`: django-storages' S3 file object would download each
    one whole into memory first.
    """
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
                chunks = read_chunks(storage, document.file.name, COPY_CHUNK)
                with archive.open(info, "w") as target:
                    for chunk in chunks:
                        target.write(chunk)
            except unavailable_errors() as error:
                # Named, and without the server's paths: the office reads this on the job's page.
                raise BuildFailed(f"{name}: {_reason(error)}") from error
            writer.writerow(
                [neutralise(document.letter.reference), neutralise(name), document.sha256]
                + [document.size, document.page_count]
            )
            progress(done)
        archive.writestr("manifest.csv", "\ufeff" + manifest.getvalue())


def _reason(error):
    if is_missing(error):
        return _("the file is missing from the storage")
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return _("the storage did not answer")


def _zip_time(moment):
    return moment.astimezone(dt.UTC).timetuple()[:6]


class _FinishedArchive(File):
    """The built archive: file system storage moves it into place instead of copying it."""

    def temporary_file_path(self):
        return self.file.name
