"""How much memory and time the documents ZIP takes for 200 letters of about 1 MB each.

Run with `.venv/bin/python bench/zip_memory.py` (or `make bench-zip`). It uses the test settings
on a database of its own (a temporary SQLite file, or a test database next to DATABASE_URL's,
dropped at the end) and a temporary data folder, builds the ZIP in this process with the same
function the Celery task calls, prints one JSON line and records it in bench/results.json and
docs/PERFORMANCE.md.
"""

import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LETTERS = 200
DOCUMENT_BYTES = 2**20
SECTION = "Documents ZIP (200 documents)"

sys.path.insert(0, str(ROOT))
# A data folder of our own, whatever the environment says: the run writes about 600 MB there.
VAR_DIR = Path(tempfile.mkdtemp(prefix="portal-bench-"))
os.environ["PORTAL_VAR_DIR"] = str(VAR_DIR)
os.environ["PRIVATE_STORAGE_ROOT"] = str(VAR_DIR / "private")
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"

import django  # noqa: E402

from bench import report  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.db import connection  # noqa: E402

from intents.models import Document, DocumentType, ExportJob  # noqa: E402
from intents.models.document import private_storage, random_document_name  # noqa: E402
from intents.office import archive  # noqa: E402
from tests.office.cycle import build_cycle  # noqa: E402


def rss_kib():
    """The resident set now, from /proc on Linux (None elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss():
    """Linux lets a process reset its high-water mark, so ru_maxrss then measures the build."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def max_rss_kib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


def make_call():
    """A call with LETTERS filed letters, each with one document of random bytes."""
    cycle = build_cycle(letters=LETTERS, reviews_per_letter=0, reviewers=1, drafts=0)
    document_type = DocumentType.objects.get(call=cycle.call, code="signed-letter")
    storage = private_storage()
    Document.objects.bulk_create(
        Document(
            letter=letter,
            document_type=document_type,
            file=storage.save(
                random_document_name(None, ""), ContentFile(os.urandom(DOCUMENT_BYTES))
            ),
            original_name=f"letter-{number}.pdf",
            content_type="application/pdf",
            size=DOCUMENT_BYTES,
            sha256="0" * 64,
            page_count=1,
        )
        for number, letter in enumerate(cycle.letters)
    )
    return cycle.call


def timed_build(call):
    job = ExportJob.objects.create(call=call)
    started = time.perf_counter()
    archive.build(job.pk)
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    if job.state != ExportJob.State.DONE:
        raise SystemExit(f"The archive was not built: {job.error}")
    return job, seconds


def measure():
    call = make_call()
    # First run: time and resident memory, without tracemalloc's overhead.
    rss_before, max_before = rss_kib(), max_rss_kib()
    peak_reset = reset_peak_rss()
    job, seconds = timed_build(call)
    max_after = max_rss_kib()
    # Second run: the peak of Python's own allocations.
    tracemalloc.start()
    timed_build(call)
    _current, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    total_mib = LETTERS * DOCUMENT_BYTES / 2**20
    # With the high-water mark reset (Linux), the build's own peak over the memory before it.
    growth = max_after - rss_before if peak_reset else max_after - max_before
    return {
        "documents": job.total,
        "document_mib": DOCUMENT_BYTES / 2**20,
        "zip_mib": round(job.size / 2**20, 1),
        "seconds": round(seconds, 2),
        "throughput_mib_s": round(total_mib / seconds, 1),
        "rss_before_mib": round(rss_before / 1024, 1) if rss_before else None,
        "ru_maxrss_before_mib": round(max_before / 1024, 1),
        "ru_maxrss_after_mib": round(max_after / 1024, 1),
        "rss_peak_growth_mib": round(max(0, growth) / 1024, 1),
        "peak_reset": peak_reset,
        "tracemalloc_peak_mib": round(python_peak / 2**20, 2),
        "database": connection.vendor,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


SECTION_TEXT = """## Documents ZIP (200 documents)

`make bench-zip` (`bench/zip_memory.py`): a call with 200 filed letters, each with one document
of {document_mib:g} MiB of random bytes, put together in the process by
`intents.office.archive.build`, the function the Celery task calls. Documents are copied into
the archive 1 MiB at a time, so memory does not grow with the size of the call. The peak
resident memory is Linux's high-water mark, reset just before the build. The documents were
just written, so they are read from the page cache: the time is the copy's, not the disk's.

| measure | value |
| --- | --- |
| documents | {documents} |
| archive size | {zip_mib} MiB |
| time | {seconds} s ({throughput_mib_s} MiB/s) |
| resident memory before the build | {rss_before_mib} MiB |
| peak resident memory growth during the build | {rss_peak_growth_mib} MiB |
| peak of Python allocations (tracemalloc) | {tracemalloc_peak_mib} MiB |
| database, CPUs, Python | {database}, {cpus}, {python} |
"""


def main():
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        result = measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(VAR_DIR, ignore_errors=True)
    print(json.dumps(result, sort_keys=True))
    report.record("documents_zip", result)
    report.write_section(SECTION, SECTION_TEXT.format(**result))


if __name__ == "__main__":
    main()
