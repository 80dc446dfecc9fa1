"""Downloads stream from the storage a chunk at a time: documents and the finished archive, read
from a real S3 server (moto, in its own process) through the real views.

The memory test puts a 256 MB archive in the bucket and downloads it through the view while
measuring this process: a 1 GB archive must keep a web worker under +50 MB, so the growth
while streaming 256 MB must stay far below that (it does not depend on the size).
"""

import hashlib
import io
import tracemalloc
import zipfile
from pathlib import Path

from django.urls import reverse
from django.utils import timezone

from intents.models import ExportJob
from intents.office import archive
from portal.audit.models import AuditEvent
from tests.services import require

MiB = 2**20
BIG_ARCHIVE = 256 * MiB
PART = 16 * MiB


def drain(response):
    """Read a streamed body a chunk at a time, as a WSGI server would: (bytes, SHA-256)."""
    assert response.streaming
    digest, size = hashlib.sha256(), 0
    for chunk in response.streaming_content:
        digest.update(chunk)
        size += len(chunk)
    # Exhausting the body closed the response (the test client's wrapper does it).
    return size, digest.hexdigest()


def body(response):
    assert response.streaming
    return b"".join(response.streaming_content)


def test_a_document_is_streamed_from_s3_as_an_attachment_and_audited(
    s3_storage, client, owner, submitted
):
    document = submitted.documents.get()
    client.force_login(owner)

    response = client.get(document.get_download_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(document.size)
    assert response["Content-Disposition"] == 'attachment; filename="letter.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    data = body(response)
    assert len(data) == document.size
    assert hashlib.sha256(data).hexdigest() == document.sha256
    event = AuditEvent.objects.get(verb="document.downloaded")
    assert (event.actor, event.data) == (owner, {"document": "letter.pdf"})


def test_a_document_missing_from_the_bucket_is_not_found(s3_storage, client, owner, submitted):
    document = submitted.documents.get()
    s3_storage.client().delete_object(Bucket=s3_storage.bucket, Key=f"portal/{document.file.name}")
    client.force_login(owner)

    assert client.get(document.get_download_url()).status_code == 404
    assert not AuditEvent.objects.filter(verb="document.downloaded").exists()


def test_the_archive_is_built_into_s3_and_streamed_back(s3_storage, client, officer, submitted):
    document = submitted.documents.get()
    job = ExportJob.objects.create(call=submitted.call, requested_by=officer)

    assert archive.build(job.pk)

    job.refresh_from_db()
    assert job.state == ExportJob.State.DONE
    key = f"portal/{job.file.name}"
    assert key in list(s3_storage.keys())
    assert (
        job.size
        == s3_storage.client().head_object(Bucket=s3_storage.bucket, Key=key)["ContentLength"]
    )
    client.force_login(officer)
    response = client.get(reverse("office:export_download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Length"] == str(job.size)
    zf = zipfile.ZipFile(io.BytesIO(body(response)))
    name = f"{submitted.reference}/signed-letter-{document.pk}-letter.pdf"
    assert zf.namelist() == [name, "manifest.csv"]
    assert hashlib.sha256(zf.read(name)).hexdigest() == document.sha256


def rss_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/self/status")


def reset_peak_rss():
    """Linux: writing 5 to clear_refs resets VmHWM to the current RSS."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        require(False, "a kernel that lets a process reset its peak RSS")


def test_a_256_mb_archive_streams_through_the_view_with_the_web_process_growing_under_50_mb(
    s3_storage, client, officer, call
):
    name = "exports/big-archive.zip"
    expected = s3_storage.put_big_object(f"portal/{name}", BIG_ARCHIVE, PART)
    job = ExportJob.objects.create(
        call=call,
        requested_by=officer,
        state=ExportJob.State.DONE,
        file=name,
        size=BIG_ARCHIVE,
        total=1,
        done=1,
        finished_at=timezone.now(),
    )
    client.force_login(officer)
    # Warm: the view's imports and templates, and this thread's S3 client (loading botocore's
    # service model takes ~10 MB once per process and thread, whatever the download's size).
    client.get(reverse("office:export_detail", args=[job.pk]))
    assert job.file.storage.size(name) == BIG_ARCHIVE

    reset_peak_rss()
    rss_before = rss_kib("VmRSS")
    tracemalloc.start()
    try:
        response = client.get(reverse("office:export_download", args=[job.pk]))
        assert response.status_code == 200
        assert response["Content-Length"] == str(BIG_ARCHIVE)
        size, digest = drain(response)
        _current, traced_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth = (rss_kib("VmHWM") - rss_before) * 1024

    assert (size, digest) == (BIG_ARCHIVE, expected)
    print(
        f"\nstreamed {size / MiB:.0f} MiB: peak RSS +{rss_growth / MiB:.1f} MiB, "
        f"Python allocations peak {traced_peak / MiB:.1f} MiB"
    )
    assert traced_peak < 8 * MiB
    assert rss_growth < 25 * MiB
