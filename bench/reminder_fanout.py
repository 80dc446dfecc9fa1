"""How fast 10,000 deadline reminders are written and then sent by one worker process.

Run with `.venv/bin/python bench/reminder_fanout.py` (or `make bench-reminders`), with
REDIS_URL set and, for the figures that count, DATABASE_URL on PostgreSQL. It uses the test
settings on a database of its own (a test database next to DATABASE_URL's, or a temporary
SQLite file, dropped at the end), seeds 10,000 organisations with a draft each (bulk inserts),
times `send_due()` writing the reminders to the outbox and handing them to Redis, then starts
ONE worker process (`celery worker --pool=solo`, the test settings) that sends them to an
aiosmtpd server in this process. It checks that every row was sent and that the server
accepted each Message-ID exactly once, prints one JSON line and records it in
bench/results.json and docs/PERFORMANCE.md.

For exploring, not for the record: BENCH_REMINDERS (another count), BENCH_POOL and
BENCH_CONCURRENCY (another Celery pool; the figures are then printed but not recorded) and
BENCH_KEEP=1 (keep the data folder with the worker's log).
"""

import datetime as dt
import json
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REMINDERS = int(os.environ.get("BENCH_REMINDERS", "10000"))
POOL = os.environ.get("BENCH_POOL", "solo")
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "1"))
TARGET_PER_SECOND = 200
SECTION = "Reminder fan-out (10,000 reminders, one worker)"

sys.path.insert(0, str(ROOT))
VAR_DIR = Path(tempfile.mkdtemp(prefix="portal-bench-"))
os.environ["PORTAL_VAR_DIR"] = str(VAR_DIR)
os.environ["PRIVATE_STORAGE_ROOT"] = str(VAR_DIR / "private")
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
# A queue of the run's own: this process publishes into it, the worker reads it.
QUEUE = os.environ["PORTAL_TEST_QUEUE"] = f"portal-bench-{uuid.uuid4().hex[:8]}"
os.environ.pop("EMAIL_URL", None)
if not os.environ.get("REDIS_URL"):
    raise SystemExit("Set REDIS_URL (e.g. redis://127.0.0.1:6379/0): the fan-out goes through it.")

import django  # noqa: E402

from bench import report  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from intents.models import Call, CooperationMode, LetterOfIntent  # noqa: E402
from intents.reminders.engine import send_due  # noqa: E402
from portal.accounts.models import User  # noqa: E402
from portal.notifications.models import OutboundEmail  # noqa: E402
from portal.organisations.models import Membership, Organisation, Role  # noqa: E402
from tests.notifications.processes import Worker, forget_queue, wait_until  # noqa: E402
from tests.notifications.smtp_sink import SmtpSink  # noqa: E402


def seed(now):
    """A call closing in 2.5 hours, so its "3 hours before" reminder is due, and REMINDERS
    organisations each with one owner and one draft: one reminder each."""
    call = Call.objects.create(
        title="Benchmark call",
        slug=f"bench-{uuid.uuid4().hex[:8]}",
        description="Reminder fan-out benchmark.",
        opens_at=now - dt.timedelta(days=90),
        deadline=now + dt.timedelta(hours=2, minutes=30),
        time_zone="Asia/Shanghai",
        reference_prefix="BENCH",
        reminder_hours=[30 * 24, 7 * 24, 24, 3],
    )
    mode = CooperationMode.objects.create(
        call=call, number=3, name="Joint exploration of the lunar surface", description="-"
    )
    numbers = range(REMINDERS)
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", full_name=f"Owner {n}", password="!") for n in numbers
    )
    organisations = Organisation.objects.bulk_create(
        Organisation(
            legal_name=f"Bench Institute {n}",
            short_name=f"BI{n}",
            kind=Organisation.Kind.RESEARCH,
            country="FR",
            postal_address="1 Rue de la Lune\nParis",
            contact_name="Claire Dupont",
            contact_email="claire@example.org",
        )
        for n in numbers
    )
    Membership.objects.bulk_create(
        Membership(organisation=organisation, user=user, role=Role.OWNER)
        for organisation, user in zip(organisations, users, strict=True)
    )
    LetterOfIntent.objects.bulk_create(
        LetterOfIntent(
            call=call,
            mode=mode,
            organisation=organisation,
            title="Dust spectrometer",
            created_by=user,
        )
        for organisation, user in zip(organisations, users, strict=True)
    )
    return call


def measure():
    now = timezone.now()
    started = time.perf_counter()
    seed(now)
    seed_seconds = time.perf_counter() - started

    # Written and handed to Redis with no worker running, so the two phases are timed apart.
    started = time.perf_counter()
    written = send_due(now)
    write_seconds = time.perf_counter() - started
    if written != REMINDERS:
        raise SystemExit(f"send_due wrote {written} rows, not {REMINDERS}")

    with SmtpSink() as sink:
        worker = Worker(
            broker_url=settings.REDIS_URL,
            queue=QUEUE,
            smtp_port=sink.port,
            pool=POOL,
            concurrency=CONCURRENCY,
            log_dir=VAR_DIR,
        )
        load_before = round(os.getloadavg()[0], 2)
        try:
            worker.start(seconds=60)
            started = time.perf_counter()
            sent = OutboundEmail.objects.filter(state=OutboundEmail.State.SENT)
            wait_until(
                lambda: sent.count() == REMINDERS,
                10 * REMINDERS / TARGET_PER_SECOND,
                f"the fan-out (worker's log: {worker.log})",
                every=0.2,
            )
            send_seconds = time.perf_counter() - started
            wait_until(lambda: len(sink.messages) >= REMINDERS, 10, "the last arrivals")
            time.sleep(1)  # anything sent twice would arrive now
            peak_rss_kib = worker.peak_rss_kib()
        finally:
            worker.stop()
        arrivals = sink.arrivals()

    expected = set(
        OutboundEmail(pk=pk, created_at=created).message_id
        for pk, created in OutboundEmail.objects.values_list("pk", "created_at")
    )
    lost = len(expected - set(arrivals))
    doubled = sum(1 for times in arrivals.values() if times > 1)
    return {
        "reminders": REMINDERS,
        "seed_seconds": round(seed_seconds, 1),
        "send_due_seconds": round(write_seconds, 1),
        "send_due_per_second": round(REMINDERS / write_seconds),
        "fanout_seconds": round(send_seconds, 1),
        "messages_per_second": round(REMINDERS / send_seconds),
        "target_per_second": TARGET_PER_SECOND,
        "worker": f"celery --pool={POOL} --concurrency={CONCURRENCY}",
        "worker_peak_rss_mib": round(peak_rss_kib / 1024, 1),
        "load_before": load_before,
        "sent_rows": sent.count(),
        "arrived": sum(arrivals.values()),
        "lost": lost,
        "doubled": doubled,
        "database": connection.vendor,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.system()} {platform.machine()}, {cpu_model()}",
    }


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


SECTION_TEXT = """## Reminder fan-out (10,000 reminders, one worker)

`make bench-reminders` (`bench/reminder_fanout.py`), measured {date} on {machine}
({cpus} CPUs, {database}, Redis on loopback, Python {python}). A call with {reminders:,}
organisations, each with one draft and one owner, seeded with bulk inserts; `send_due()` (what
the beat task runs) renders every reminder in its recipient's language with its .ics file,
writes the outbox rows and hands them to Redis, with no worker running; then ONE worker
process (`--pool=solo`) sends them to an aiosmtpd server on loopback as production does: each
broker message carries up to 50 rows (`OUTBOX_BATCH_SIZE`), sent over one SMTP session, each row
marked sent in its own commit. The peak resident memory is the worker's VmHWM. The run checks that
every row is sent and that the server accepted every Message-ID exactly once.

| measure | value |
| --- | --- |
| `send_due()` wrote | {reminders:,} rows in {send_due_seconds} s ({send_due_per_second}/s) |
| one worker process sent them in | {fanout_seconds} s: **{messages_per_second}/s** |
| target | {target_per_second}/s |
| worker's peak resident memory | {worker_peak_rss_mib} MiB |
| rows sent / arrived / lost / doubled | {sent_rows} / {arrived} / {lost} / {doubled} |
| seeding (bulk inserts) | {seed_seconds} s |
| load average before the fan-out (1 min) | {load_before} |
"""


def main():
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        result = measure()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        forget_queue(os.environ["REDIS_URL"], QUEUE)
        if not os.environ.get("BENCH_KEEP"):
            shutil.rmtree(VAR_DIR, ignore_errors=True)
    print(json.dumps(result, sort_keys=True))
    if result["lost"] or result["doubled"] or result["sent_rows"] != REMINDERS:
        raise SystemExit("messages were lost or doubled")
    if (REMINDERS, POOL, CONCURRENCY) == (10000, "solo", 1):
        report.record("reminder_fanout", result)
        report.write_section(SECTION, SECTION_TEXT.format(**result))


if __name__ == "__main__":
    main()
