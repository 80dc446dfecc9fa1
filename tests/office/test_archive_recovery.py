"""An archive build whose worker dies is recovered: real Celery worker processes on the real
Redis, documents and archives in a real S3 server (moto, in its own process), the worker
SIGKILLed in the middle of a build, and the sweeper run as the real task.

The build is slowed by what it has to do, not by sleeps: a few hundred documents of half a
megabyte each, every one fetched from S3. The workers run with a four-second lease
(tests/office/short_lease_settings.py) so a lost build is found in seconds, not minutes.
"""

import datetime as dt
import hashlib
import io
import json
import os
import time
import zipfile

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from intents.models import Document, ExportJob
from intents.office import archive
from intents.tasks import sweep_export_jobs
from portal.notifications.schedule import ensure_periodic_tasks

from ..notifications import conftest as faults
from ..notifications.processes import wait_until
from ..notifications.smtp_sink import free_port

pytestmark = pytest.mark.broker
# The fault tests' fixtures: the real Redis (required under CI), a queue of this test's own,
# and worker processes stopped after the test.
redis_url = faults.redis_url
queue = faults.queue
workers = faults.workers

State = ExportJob.State
DOCUMENTS = 300
DOCUMENT_BYTES = 512 * 1024
WORKER_SETTINGS = {"DJANGO_SETTINGS_MODULE": "tests.office.short_lease_settings"}


def parts():
    """The partial archives in this node's WORK_DIR (the workers share this machine's)."""
    folder = settings.WORK_DIR
    return sorted(path.name for path in folder.glob("*.part")) if folder.exists() else []


@pytest.fixture
def many_documents(s3_storage, submitted):
    """DOCUMENTS current documents of a filed letter, all stored in the S3 bucket (as one
    object, so the bucket stays small while the build still fetches each one)."""
    data = os.urandom(DOCUMENT_BYTES)
    storage = Document._meta.get_field("file").storage
    stored = storage.save("documents/recovery/shared.bin", ContentFile(data))
    first = submitted.documents.get()
    Document.objects.bulk_create(
        Document(
            letter=submitted,
            document_type=first.document_type,
            file=stored,
            original_name=f"annex-{number}.pdf",
            content_type="application/pdf",
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            page_count=1,
            uploaded_by=first.uploaded_by,
        )
        for number in range(DOCUMENTS)
    )
    return submitted


def start_worker(workers, redis_url, queue, s3_server):
    return workers(
        broker_url=redis_url,
        queue=queue,
        smtp_port=free_port(),
        # Prefork, as in production (deploy/Procfile): the solo pool runs a task inside the
        # consumer's loop and acknowledges an early-acked task only once it returns.
        pool="prefork",
        env={**s3_server.settings(), **WORKER_SETTINGS},
    )


def killed_mid_build(client, officer, call, worker):
    """The officer starts the archive; the worker is SIGKILLed once it has written part of it."""
    client.force_login(officer)
    response = client.post(reverse("office:export_documents", args=[call.slug]))
    job = ExportJob.objects.get(call=call, state__in=[State.QUEUED, State.RUNNING])
    assert response.url == job.get_absolute_url()

    def half_written():
        job.refresh_from_db()
        assert job.state in (State.QUEUED, State.RUNNING), (job.state, job.error)
        return job.state == State.RUNNING and job.done >= 50 and parts()

    wait_until(half_written, 60, "the worker to be part-way through the build")
    worker.kill()
    job.refresh_from_db()
    assert job.state == State.RUNNING and 0 < job.done < job.total == DOCUMENTS + 1
    assert job.attempts == 1
    assert parts() == [f"export-{job.pk}-1.part"]
    return job


def unacked_builds(redis_url, queue):
    """The archive builds of `queue` Redis holds as delivered but not acknowledged (other tasks,
    such as the submission's e-mails, may be reserved by the worker meanwhile)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    try:
        held = [json.loads(raw) for _tag, raw in client.hscan_iter("unacked")]
    finally:
        client.close()
    return [
        message["headers"]["id"]
        for message, *route in held
        if queue in route and message["headers"]["task"] == "intents.build_documents_zip"
    ]


def lease_runs_out(job):
    def expired():
        job.refresh_from_db()
        return job.lease_expires_at < timezone.now()

    wait_until(expired, 30, "the dead build's lease to run out")


def test_a_dead_build_is_retried_by_the_sweeper_and_leaves_no_part_file(
    s3_storage, redis_url, queue, workers, client, officer, many_documents
):
    call = many_documents.call
    worker = start_worker(workers, redis_url, queue, s3_storage)
    job = killed_mid_build(client, officer, call, worker)
    killed_at = time.monotonic()
    # Acknowledged on receipt: nothing is left for Redis to hand back in two hours.
    assert unacked_builds(redis_url, queue) == []

    # Until its lease runs out the dead build still stops a second one.
    response = client.post(reverse("office:export_documents", args=[call.slug]))
    assert response.url == job.get_absolute_url()

    start_worker(workers, redis_url, queue, s3_storage)
    lease_runs_out(job)
    sweep_export_jobs.delay()  # what beat sends every minute, run by the new worker

    def done():
        job.refresh_from_db()
        assert job.state != State.FAILED, job.error
        return job.state == State.DONE

    wait_until(done, 240, "the retried build to finish", every=0.2)
    assert time.monotonic() - killed_at < 300
    assert (job.attempts, job.done, job.total, job.lease_expires_at) == (2, 301, 301, None)
    assert parts() == []
    assert f"portal/{job.file.name}" in list(s3_storage.keys())
    with job.file.open("rb") as stored:
        zf = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert len(zf.namelist()) == DOCUMENTS + 2  # the first document, the annexes, the manifest
    assert zf.testzip() is None

    # The officer can start a new one, and it is built too.
    response = client.post(reverse("office:export_documents", args=[call.slug]))
    second = ExportJob.objects.exclude(pk=job.pk).get(call=call)
    assert response.url == second.get_absolute_url()
    wait_until(
        lambda: ExportJob.objects.get(pk=second.pk).state == State.DONE, 240, "a second build"
    )
    assert parts() == []


def test_a_build_that_dies_on_its_last_attempt_fails_with_a_message_and_a_new_one_starts(
    s3_storage, redis_url, queue, workers, client, officer, many_documents, settings
):
    settings.EXPORT_MAX_ATTEMPTS = 1
    call = many_documents.call
    worker = start_worker(workers, redis_url, queue, s3_storage)
    job = killed_mid_build(client, officer, call, worker)
    lease_runs_out(job)

    # The real task, run here: this process's settings allow a single attempt.
    assert sweep_export_jobs.apply().get() == []

    job.refresh_from_db()
    assert job.state == State.FAILED and job.finished_at is not None
    assert job.error == (
        "The worker building this archive stopped, and it was not tried again. "
        "Start a new one; if it stops again, ask the administrator."
    )
    assert parts() == []
    page = client.get(job.get_absolute_url()).content.decode()
    assert "it was not tried again" in page
    assert reverse("office:export_documents", args=[call.slug]) in page

    response = client.post(reverse("office:export_documents", args=[call.slug]))
    fresh = ExportJob.objects.get(call=call, state=State.QUEUED)
    assert response.url == fresh.get_absolute_url()
    start_worker(workers, redis_url, queue, s3_storage)
    wait_until(lambda: ExportJob.objects.get(pk=fresh.pk).state == State.DONE, 240, "new build")
    assert parts() == []


# --- Without worker processes -------------------------------------------------------------


@pytest.fixture
def lost_job(submitted):
    return ExportJob.objects.create(
        call=submitted.call,
        state=State.RUNNING,
        attempts=1,
        done=3,
        total=9,
        lease_expires_at=timezone.now() - dt.timedelta(seconds=1),
    )


def test_a_build_that_lost_its_lease_cannot_write_over_its_successors_work(lost_job):
    lease = archive.Lease(lost_job.pk, attempt=1)  # the first attempt's, frozen, not dead
    assert archive.recover(ExportJob.objects.all()) == [lost_job.pk]
    assert archive.build(lost_job.pk) is True  # the second attempt
    finished = ExportJob.objects.get(pk=lost_job.pk)
    assert (finished.state, finished.attempts, finished.done) == (State.DONE, 2, 1)

    with pytest.raises(archive.LeaseLost):
        lease.progress(10)
    with pytest.raises(archive.LeaseLost):
        lease.update(state=State.FAILED, error="late")
    again = ExportJob.objects.get(pk=lost_job.pk)
    assert (again.state, again.done, again.error, again.file) == (
        State.DONE,
        1,
        "",
        finished.file,
    )


def test_the_sweeper_removes_partial_files_no_live_build_owns(lost_job, settings):
    folder = settings.WORK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    live = ExportJob.objects.create(
        call=lost_job.call,
        state=State.RUNNING,
        attempts=2,
        lease_expires_at=timezone.now() + dt.timedelta(minutes=1),
    )
    names = [
        f"export-{lost_job.pk}-1.part",  # the lost build's
        f"export-{live.pk}-1.part",  # an earlier attempt of the live build
        f"export-{live.pk}-2.part",  # the live build's own
        "export-999999-1.part",  # a job that no longer exists
        "notes.txt",  # not a partial archive
    ]
    for name in names:
        (folder / name).write_bytes(b"x")

    archive.sweep()

    assert sorted(path.name for path in folder.iterdir() if path.name in names) == [
        f"export-{live.pk}-2.part",
        "notes.txt",
    ]
    (folder / "notes.txt").unlink()
    (folder / f"export-{live.pk}-2.part").unlink()


def test_the_sweeper_runs_every_minute(db):
    from django_celery_beat.models import PeriodicTask

    ensure_periodic_tasks()
    sweeper = PeriodicTask.objects.get(task="intents.sweep_export_jobs")
    assert (sweeper.interval.every, sweeper.interval.period) == (60, "seconds")
    assert PeriodicTask.objects.get(task="notifications.sweep_outbox").interval.every == 300


def test_the_job_page_says_when_a_build_is_being_retried(client, officer, lost_job):
    client.force_login(officer)
    assert 'id="export-retried"' not in client.get(lost_job.get_absolute_url()).content.decode()
    archive.recover(ExportJob.objects.all())
    page = client.get(lost_job.get_absolute_url()).content.decode()
    assert "The worker building this archive stopped; it is being built again" in page
    assert "Waiting for a worker" in page
