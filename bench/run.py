"""The portal under load, started as production runs it: `make bench-portal`.

For each data size it creates a PostgreSQL database of its own (from a migrated template),
seeds it with `manage.py seed_bench`, collects the static files, and starts gunicorn with
production's deploy/gunicorn.conf.py (workers = cores, gthread; bench.settings: production's
settings plus the floor view) and one Celery
worker (2 processes) on Redis. Load comes from bench/load.py, a separate process. The scenarios:

  floor     a constant response through the same middleware stack, signed in (20 users, 1 user)
  pages     the organisation home, the call page, the reviewer's desk, the office letters list,
            ranking and dashboard: 20 concurrent users each (5,000 letters)
  growth    letters list, ranking and dashboard at 500, 5,000 and 50,000 letters, one user
  rush      200 applicants amend and submit within 60 seconds; checked in the database
  upload    10 users upload a 20 MB PDF at once; web workers' peak resident memory
  exports   the letters and reviews Excel files and the documents ZIP of the whole call
  hostile   the call page (20 users) alone, then while two applicants each upload the
            chained-filter PDF of tests/intents/hostile_pdfs.py at once, then after

`--only hostile` seeds the main size and runs that scenario alone (`make bench-hostile`); its
figures go into bench/results.json ("hostile_uploads") and docs/PERFORMANCE.md either way.

It writes its figures into bench/results.json ("portal") and then rewrites docs/PERFORMANCE.md
(bench/report.py). `--quick` is a smoke run: small data, seconds instead of minutes, and its
figures are printed, not recorded. Databases are dropped at the end (--keep to keep them).

Settings from the environment: BENCH_PG_URL (postgres://postgres@127.0.0.1:5432),
BENCH_LOAD_REDIS_URL (redis://127.0.0.1:6379/13: a Redis database of the bench's own, flushed
at each start),
BENCH_NOTE (a sentence on the machine's state, e.g. "measured while the machine was otherwise
idle", recorded with the figures).
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import runpy
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import report  # noqa: E402
from bench.pdf import scanned_pdf  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
REDIS_URL = os.environ.get("BENCH_LOAD_REDIS_URL", "redis://127.0.0.1:6379/13")
DB_PREFIX = "portal_loadbench"
VAR = ROOT / "var" / "bench"
CORES = os.cpu_count() or 2
# Threads per web worker, read from production's configuration file the bench starts.
GUNICORN_THREADS = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))["threads"]
HEALTH_REQUEST = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"

FULL = {
    "sizes": [500, 5000, 50000],
    "main_size": 5000,
    "organisations_per_letter": 0.4,  # 2,000 organisations for 5,000 letters
    "users": 20,
    "warmup": 2.0,
    "page_seconds": 10.0,
    "floor_seconds": 10.0,
    "growth_seconds": 8.0,
    "growth_requests": 40,
    "fresh_visits": 7,
    "rush_applicants": 200,
    "rush_window": 60.0,
    "upload_users": 10,
    "upload_mib": 20,
    "hostile_uploaders": 2,
    "hostile_alone": 10.0,
    "hostile_after": 10.0,
    "document_bytes": 32 * 1024,
    "growth_document_bytes": 1024,
}
QUICK = {
    **FULL,
    "sizes": [200, 1000, 3000],
    "main_size": 1000,
    "warmup": 0.5,
    "page_seconds": 2.0,
    "floor_seconds": 2.0,
    "growth_seconds": 2.0,
    "growth_requests": 10,
    "fresh_visits": 3,
    "rush_applicants": 20,
    "rush_window": 8.0,
    "upload_users": 3,
    "upload_mib": 5,
    "hostile_alone": 3.0,
    "hostile_after": 3.0,
    "document_bytes": 4 * 1024,
}


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- processes and their memory -------------------------------------------------------------


def children(pid):
    """Direct children of a process, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command may hold spaces and parentheses: the parent id follows the last ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def status_kib(pid, field):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak(pids):
    """Linux resets a process's high-water mark (VmHWM) to its current resident set."""
    for pid in pids:
        with suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")


def mib(kib):
    return None if kib is None else round(kib / 1024, 1)


@contextmanager
def memory_watch(pids, into):
    """Resident memory of `pids` before, and their peak during, the block."""
    before = {pid: status_kib(pid, "VmRSS") for pid in pids}
    reset_peak(pids)
    yield
    peaks = {pid: status_kib(pid, "VmHWM") for pid in pids}
    growth = [peaks[p] - before[p] for p in pids if peaks[p] is not None and before[p] is not None]
    into["rss_before_mib"] = mib(max(v for v in before.values() if v is not None))
    into["peak_rss_mib"] = mib(max(v for v in peaks.values() if v is not None))
    into["peak_growth_mib"] = mib(max(growth)) if growth else None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- databases ------------------------------------------------------------------------------


def admin_sql(*statements):
    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def database_url(name):
    return f"{PG_URL}/{name}"


def query(name, sql, params=()):
    with psycopg.connect(database_url(name)) as connection:
        return connection.execute(sql, params).fetchall()


def environment(database, var_dir):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("EMAIL_URL", "DEBUG", "SECURE", "DJANGO_SETTINGS_MODULE")
    }
    env.update(
        DATABASE_URL=database_url(database),
        REDIS_URL=REDIS_URL,
        PORTAL_VAR_DIR=str(var_dir),
        PRIVATE_STORAGE_ROOT=str(var_dir / "private"),
        DJANGO_SETTINGS_MODULE="bench.settings",
        PORTAL_BENCH="1",
        DEBUG="off",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args, log_file=None):
    started = time.perf_counter()
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=log_file or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log_file else None,
    )
    return time.perf_counter() - started


class Cycle:
    """One seeded database with its data folder."""

    def __init__(self, letters, settings, template, keep):
        self.letters = letters
        self.name = f"{DB_PREFIX}_{letters}"
        self.var = VAR / self.name
        self.keep = keep
        self.settings = settings
        self.template = template

    def __enter__(self):
        admin_sql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        admin_sql(f"CREATE DATABASE {self.name} TEMPLATE {self.template}")
        shutil.rmtree(self.var, ignore_errors=True)
        self.var.mkdir(parents=True)
        self.env = environment(self.name, self.var)
        return self

    def seed(self, *, main):
        s = self.settings
        organisations = max(200, int(self.letters * s["organisations_per_letter"]))
        applicants = (
            s["rush_applicants"] + 2 * s["upload_users"] + s["hostile_uploaders"]
            if main
            else min(20, organisations)
        )
        manifest_path = self.var / "manifest.json"
        args = [
            "seed_bench",
            f"--letters={self.letters}",
            f"--organisations={organisations}",
            f"--applicants={applicants}",
            f"--officer-sessions={s['users']}",
            f"--document-bytes={s['document_bytes'] if main else s['growth_document_bytes']}",
            f"--manifest={manifest_path}",
        ]
        if not main:
            args.append("--document-files=200")
        log(f"seeding {self.letters} letters ({organisations} organisations)")
        seconds = manage(self.env, *args)
        self.manifest = json.loads(manifest_path.read_text())
        self.manifest["wall_seconds"] = round(seconds, 1)
        # Fresh statistics, as autovacuum would have after a real cycle.
        admin_sql_db(self.name, "VACUUM ANALYZE")
        manage(self.env, "collectstatic", "--no-input", "-v0")
        return self.manifest

    def __exit__(self, *exc):
        if not self.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            shutil.rmtree(self.var / "private", ignore_errors=True)
            shutil.rmtree(self.var / "staticfiles", ignore_errors=True)


def admin_sql_db(name, statement):
    with psycopg.connect(database_url(name), autocommit=True) as connection:
        connection.execute(statement)


def migrated_template(settings_):
    template = f"{DB_PREFIX}_template"
    admin_sql(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)", f"CREATE DATABASE {template}")
    env = environment(template, VAR / "template")
    (VAR / "template").mkdir(parents=True, exist_ok=True)
    seconds = manage(env, "migrate", "--no-input", "-v0")
    log(f"migrated the template database in {seconds:.1f} s")
    return template


# --- the portal's processes -----------------------------------------------------------------


class Portal:
    """gunicorn (deploy/gunicorn.conf.py, workers = cores) and one Celery worker, as in
    production."""

    def __init__(self, cycle):
        self.cycle = cycle
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        env, var = self.cycle.env, self.cycle.var
        flush_redis()
        self.logs = [open(var / "gunicorn.log", "ab"), open(var / "celery.log", "ab")]
        self.web = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config=deploy/gunicorn.conf.py",
                "portal.wsgi",
                "--log-level=warning",
                "--access-logfile=/dev/null",
            ],
            cwd=ROOT,
            # Production's configuration file, one worker per core as there; workers are not
            # recycled, so the memory watch follows the same processes for a whole scenario.
            env={
                **env,
                "WEB_CONCURRENCY": str(CORES),
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_MAX_REQUESTS": "0",
            },
            stdout=self.logs[0],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.worker = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "portal",
                "worker",
                "--concurrency=2",
                "--loglevel=warning",
                f"--queues={env.get('PORTAL_BENCH_QUEUE', 'portal-bench')}",
                f"--hostname=bench-{self.port}@%h",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.logs[1],
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready()
        return self

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.web.poll() is not None:
                raise SystemExit(f"gunicorn stopped; see {self.cycle.var / 'gunicorn.log'}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                    s.sendall(HEALTH_REQUEST)
                    answered = s.recv(64).startswith(b"HTTP/1.1 200")
                if answered and len(self.web_workers()) == CORES and len(self.task_workers()) >= 2:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit("The portal did not start in time.")

    def web_workers(self):
        return children(self.web.pid)

    def task_workers(self):
        return children(self.worker.pid)

    def __exit__(self, *exc):
        for process in (self.web, self.worker):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in (self.web, self.worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for handle in self.logs:
            handle.close()


def flush_redis():
    """Empty the bench's own Redis database (rate-limit counters, queued tasks of a past run)."""
    parts = urlsplit(REDIS_URL)
    number = int(parts.path.strip("/") or 0)
    if number == 0:
        raise SystemExit("BENCH_LOAD_REDIS_URL must name a Redis database of its own (not 0).")
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def load(portal, config):
    """Run bench/load.py in a process of its own and return what it printed."""
    config = {"base": portal.base, **config}
    with tempfile.NamedTemporaryFile("w", suffix=".json", dir=portal.cycle.var, delete=False) as f:
        json.dump(config, f)
    try:
        done = subprocess.run(
            [PYTHON, str(ROOT / "bench" / "load.py"), f.name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        os.unlink(f.name)
    if done.returncode != 0:
        raise SystemExit(f"load client failed:\n{done.stderr}")
    return json.loads(done.stdout)


# --- scenarios --------------------------------------------------------------------------------


def sessions(cookie_values):
    return [{"sessionid": value} for value in cookie_values]


def floor(portal, cycle, s, users, seconds):
    applicants = cycle.manifest["applicants"]
    targets = [
        {"path": "/bench/floor/", "cookies": {"sessionid": a["session"]}} for a in applicants
    ]
    result = {}
    with memory_watch(portal.web_workers(), result):
        result.update(
            load(
                portal,
                {
                    "kind": "closed",
                    "users": users,
                    "seconds": seconds,
                    "warmup": s["warmup"],
                    "targets": targets,
                },
            )
        )
    return result


def page_targets(cycle):
    m = cycle.manifest
    slug = m["call"]["slug"]
    applicants = m["applicants"]
    officer = [{"sessionid": key} for key in m["officer"]["sessions"]]
    desk = [{"sessionid": r["session"]} for r in m["desk_reviewers"]]
    office = lambda path: [{"path": path, "cookies": c} for c in officer]  # noqa: E731
    return {
        "organisation_home": [
            {"path": f"/organisations/{a['organisation']}/", "cookies": {"sessionid": a["session"]}}
            for a in applicants
        ],
        "call_page": [
            {"path": f"/calls/{slug}/", "cookies": {"sessionid": a["session"]}} for a in applicants
        ],
        "reviewer_desk": [{"path": "/review/", "cookies": c} for c in desk],
        "office_letters": office(f"/office/calls/{slug}/letters/"),
        "ranking": office(f"/office/calls/{slug}/ranking/"),
        "dashboard": office(f"/office/calls/{slug}/"),
    }


GROWTH_PAGES = ("office_letters", "ranking", "dashboard")


def pages(portal, cycle, s):
    results = {}
    for name, targets in page_targets(cycle).items():
        log(f"page {name}: {s['users']} users for {s['page_seconds']} s")
        result = {"path": targets[0]["path"]}
        with memory_watch(portal.web_workers(), result):
            result.update(
                load(
                    portal,
                    {
                        "kind": "closed",
                        "users": s["users"],
                        "seconds": s["page_seconds"],
                        "warmup": s["warmup"],
                        "targets": targets,
                    },
                )
            )
        results[name] = result
    return results


def pages_alone(portal, cycle, s):
    """The pages that growth() does not measure, one user: each request's own time."""
    results = {}
    for name, targets in page_targets(cycle).items():
        if name in GROWTH_PAGES:
            continue
        log(f"page {name}: one user")
        results[name] = load(
            portal,
            {
                "kind": "closed",
                "users": 1,
                "seconds": s["growth_seconds"] / 2,
                "max_requests": s["growth_requests"],
                "warmup": 0.01,
                "targets": targets[:1],
            },
        )
    return results


def growth(portal, cycle, s):
    """Each office page alone, one user: the time a request takes, without queueing."""
    targets = page_targets(cycle)
    result = {"letters": cycle.letters, "counts": cycle.manifest["counts"]}
    result["floor_1"] = floor(portal, cycle, s, 1, min(4.0, s["growth_seconds"]))
    for name in GROWTH_PAGES:
        log(f"growth {cycle.letters}: {name}")
        measured = {"path": targets[name][0]["path"]}
        with memory_watch(portal.web_workers(), measured):
            measured.update(
                load(
                    portal,
                    {
                        "kind": "closed",
                        "users": 1,
                        "seconds": s["growth_seconds"],
                        "max_requests": s["growth_requests"],
                        "warmup": 0.0,  # the first request of each page is measured too
                        "targets": targets[name][:1],
                    },
                )
            )
        result[name] = measured
    log(f"growth {cycle.letters}: dashboard counted afresh")
    result["dashboard_fresh"] = fresh_visits(portal, targets["dashboard"][:1], s["fresh_visits"])
    result["seed_seconds"] = cycle.manifest["wall_seconds"]
    return result


def fresh_visits(portal, targets, visits):
    """The dashboard keeps its counts in the cache until something changes; this is the visit
    that counts them: each request follows an emptied cache (the bench's Redis database)."""
    answers = []
    for _ in range(visits):
        flush_redis()
        answers.append(
            load(
                portal,
                {
                    "kind": "closed",
                    "users": 1,
                    "seconds": 30.0,
                    "max_requests": 1,
                    "warmup": 0.0,
                    "targets": targets,
                },
            )
        )
    times = sorted(answer["p50_ms"] for answer in answers if answer["p50_ms"] is not None)
    return {
        "path": targets[0]["path"],
        "throughput": 1000 * len(times) / sum(times) if times else 0.0,
        "p50_ms": statistics.median(times) if times else None,
        # With a handful of visits the slowest stands for both.
        "p95_ms": times[-1] if times else None,
        "p99_ms": times[-1] if times else None,
        "errors": sum(answer["errors"] for answer in answers),
    }


def rush(portal, cycle, s):
    applicants = cycle.manifest["applicants"][: s["rush_applicants"]]
    log(f"rush: {len(applicants)} applicants within {s['rush_window']} s")
    result = {}
    with memory_watch(portal.web_workers(), result):
        result.update(
            load(
                portal,
                {
                    "kind": "rush",
                    "window": s["rush_window"],
                    "applicants": applicants,
                    "seed": 3,
                },
            )
        )
    letters = [a["letter"] for a in applicants]
    rows = query(
        cycle.name,
        "SELECT state, reference FROM intents_letterofintent WHERE id = ANY(%s)",
        (letters,),
    )
    references = [reference for state, reference in rows if state == "submitted" and reference]
    keys = [f"receipt:{a['letter']}:v1:{a['user']}" for a in applicants]
    # The receipts were written in the submit's transaction; give the worker time to send them.
    deadline = time.monotonic() + 60
    while True:
        states = dict(
            query(
                cycle.name,
                "SELECT idempotency_key, state FROM notifications_outboundemail "
                "WHERE idempotency_key = ANY(%s)",
                (keys,),
            )
        )
        sent = sum(1 for state in states.values() if state == "sent")
        if sent == len(keys) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    duplicates = query(
        cycle.name,
        "SELECT count(*) - count(DISTINCT reference) FROM intents_letterofintent "
        "WHERE call_id = %s AND reference <> ''",
        (cycle.manifest["call"]["pk"],),
    )[0][0]
    result["check"] = {
        "submitted": len(references),
        "unique_references": len(set(references)),
        "duplicate_references_in_call": duplicates,
        "receipts_queued": len(states),
        "receipts_sent": sent,
        "receipts_expected": len(keys),
    }
    result["check"]["ok"] = (
        result["errors"] == 0
        and len(references) == len(set(references)) == len(applicants)
        and duplicates == 0
        and len(states) == len(keys)
    )
    return result


def upload(portal, cycle, s):
    applicants = cycle.manifest["applicants"][s["rush_applicants"] :]
    users, warm = applicants[: s["upload_users"]], applicants[s["upload_users"] :]
    size = s["upload_mib"] * 2**20 - 16 * 1024  # the form's other fields stay within the limit
    path = cycle.var / "upload.pdf"
    path.write_bytes(scanned_pdf(size))
    small = cycle.var / "warm.pdf"
    small.write_bytes(scanned_pdf(2**20))
    # Every worker has handled an upload before the measure: imports done, caches warm.
    load(portal, {"kind": "upload", "file": str(small), "users": warm[: 2 * CORES]})
    time.sleep(1.0)
    log(f"upload: {len(users)} users, {s['upload_mib']} MB each, at once")
    result = {}
    with memory_watch(portal.web_workers(), result):
        result.update(load(portal, {"kind": "upload", "file": str(path), "users": users}))
    stored = query(
        cycle.name,
        "SELECT count(*) FROM intents_document WHERE letter_id = ANY(%s) AND size = %s",
        ([u["letter"] for u in users], path.stat().st_size),
    )[0][0]
    result["check"] = {"stored": stored, "expected": len(users), "ok": stored == len(users)}
    path.unlink()
    return result


HOSTILE_MESSAGE = "The PDF is too complex to be checked."
CHECK_STOPPED = re.compile(r"PDF check stopped: (.+?) after ([\d.]+) s, peak memory (\w+) KiB")


def watch_checks(portal, stop, into):
    """Sample the web workers' children (the PDF check processes) every 0.2 s until `stop`:
    which worker started each, for how long it was seen, its peak resident memory."""
    workers = portal.web_workers()
    while not stop.is_set():
        now = time.monotonic()
        for worker in workers:
            for pid in children(worker):
                peak = status_kib(pid, "VmHWM")
                if peak is None:
                    continue
                entry = into.setdefault(pid, {"worker": worker, "first": now, "peak_kib": 0})
                entry["last"], entry["peak_kib"] = now, max(entry["peak_kib"], peak)
        stop.wait(0.2)


def stored_files(cycle):
    private = cycle.var / "private"
    return sum(1 for path in private.rglob("*") if path.is_file()) if private.exists() else 0


def check_temp_files():
    return len(list(Path(tempfile.gettempdir()).glob("pdf-check-*")))


def hostile(portal, cycle, s):
    """The call page under load (as in `pages`) alone, then while two applicants each upload
    the chained-filter PDF at the same moment, then after; the uploads must be refused as too
    complex (302 to the letter, with the message), store nothing, and cost the web workers no
    memory."""
    from tests.intents.hostile_pdfs import chained_filter_arrays

    uploaders = cycle.manifest["applicants"][-s["hostile_uploaders"] :]
    letters = [u["letter"] for u in uploaders]
    path = cycle.var / "hostile-chain.pdf"
    log("hostile: building the chained filter-array PDF")
    path.write_bytes(chained_filter_arrays())
    small = cycle.var / "hostile-warm.pdf"
    small.write_bytes(scanned_pdf(2**16))
    # Each worker has handled an upload before (imports done); the uploaders' letters each get
    # this small, accepted document: the measure counts documents from here.
    warm = load(portal, {"kind": "upload", "file": str(small), "users": uploaders})
    time.sleep(1.0)
    count_documents = lambda: query(  # noqa: E731
        cycle.name, "SELECT count(*) FROM intents_document WHERE letter_id = ANY(%s)", (letters,)
    )[0][0]
    before = {
        "documents": count_documents(),
        "files": stored_files(cycle),
        "check_temp_files": check_temp_files(),
    }
    log_file = cycle.var / "gunicorn.log"
    log_offset = log_file.stat().st_size
    targets = page_targets(cycle)["call_page"]
    log(
        f"hostile: call page, {s['users']} users: {s['hostile_alone']:.0f} s alone, then "
        f"{len(uploaders)} chained-filter uploads at once, then {s['hostile_after']:.0f} s after"
    )
    result, checks, stop = {"path": targets[0]["path"]}, {}, threading.Event()
    watcher = threading.Thread(target=watch_checks, args=(portal, stop, checks), daemon=True)
    watcher.start()
    try:
        with memory_watch(portal.web_workers(), result):
            result.update(
                load(
                    portal,
                    {
                        "kind": "hostile",
                        "users": s["users"],
                        "warmup": s["warmup"],
                        "alone": s["hostile_alone"],
                        "after": s["hostile_after"],
                        "targets": targets,
                        "uploaders": uploaders,
                        "file": str(path),
                        "message": HOSTILE_MESSAGE,
                    },
                )
            )
    finally:
        stop.set()
        watcher.join()
    time.sleep(0.5)  # a refused upload's temporary copy is removed as its request ends
    after = {
        "documents": count_documents(),
        "files": stored_files(cycle),
        "check_temp_files": check_temp_files(),
    }
    with log_file.open("rb") as handle:
        handle.seek(log_offset)
        logged = handle.read().decode("utf-8", "replace")
    result["check_processes"] = [
        {
            "web_worker": entry["worker"],
            "seen_seconds": round(entry["last"] - entry["first"], 1),
            "peak_rss_mib": mib(entry["peak_kib"]),
        }
        for _pid, entry in sorted(checks.items(), key=lambda item: item[1]["first"])
    ]
    result["check_log"] = [
        {"stopped_by": why, "seconds": float(seconds), "peak_kib": peak}
        for why, seconds, peak in CHECK_STOPPED.findall(logged)
    ]
    result["warm_upload_ms"] = warm["max_ms"]
    result["upload_settings"] = upload_check_settings(cycle)
    alone, during = result["alone"]["p95_ms"], result["during"]["p95_ms"]
    result["p95_ratio"] = round(during / alone, 2) if alone and during else None
    uploads = result["uploads"]
    result["check"] = {
        "refused_with_message": sum(
            1 for u in uploads if u.get("status") == 302 and u.get("message_shown")
        ),
        "uploads": len(uploads),
        "documents_before": before["documents"],
        "documents_after": after["documents"],
        "files_before": before["files"],
        "files_after": after["files"],
        "check_temp_files_left": after["check_temp_files"] - before["check_temp_files"],
    }
    c = result["check"]
    c["ok"] = (
        c["refused_with_message"] == len(uploaders)
        and c["documents_after"] == c["documents_before"]
        and c["files_after"] == c["files_before"]
        and c["check_temp_files_left"] <= 0
    )
    path.unlink()
    small.unlink()
    return result


def upload_check_settings(cycle):
    """UPLOAD_CHECK_SECONDS, UPLOAD_CHECK_MEMORY_MB and the check process's niceness, as the
    portal's processes read them."""
    done = subprocess.run(
        [
            PYTHON,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "from intents.pdf_check import NICENESS; "
            "print(s.UPLOAD_CHECK_SECONDS, s.UPLOAD_CHECK_MEMORY_MB, NICENESS)",
        ],
        cwd=ROOT,
        env=cycle.env,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, memory_mb, niceness = done.stdout.split()
    return {"seconds": float(seconds), "memory_mb": int(memory_mb), "niceness": int(niceness)}


def exports(portal, cycle, s):
    slug = cycle.manifest["call"]["slug"]
    officer = {"sessionid": cycle.manifest["officer"]["sessions"][0]}
    result = {}
    for kind in ("letters", "reviews"):
        log(f"export: {kind} as Excel")
        measured = {}
        with memory_watch(portal.web_workers(), measured):
            measured.update(
                load(
                    portal,
                    {
                        "kind": "fetch",
                        "path": f"/office/calls/{slug}/exports/{kind}/xlsx/",
                        "cookies": officer,
                    },
                )
            )
        result[f"{kind}_xlsx"] = measured
    log("export: the documents ZIP, built by the Celery worker")
    measured = {}
    with memory_watch(portal.task_workers(), measured):
        started = time.perf_counter()
        request = load(portal, {"kind": "start_zip", "slug": slug, "cookies": officer})
        job_id = int(request["job_path"].rstrip("/").rsplit("/", 1)[1])
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            state, total, size, error = query(
                cycle.name,
                "SELECT state, total, size, error FROM intents_exportjob WHERE id = %s",
                (job_id,),
            )[0]
            if state in ("done", "failed"):
                break
            time.sleep(0.2)
        measured["seconds"] = round(time.perf_counter() - started, 2)
    measured.update(state=state, documents=total, zip_mib=round(size / 2**20, 1), error=error)
    measured["throughput_mib_s"] = (
        round(measured["zip_mib"] / measured["seconds"], 1) if measured["seconds"] else None
    )
    result["documents_zip"] = measured
    if state == "done":
        download = {}
        with memory_watch(portal.web_workers(), download):
            download.update(
                load(
                    portal,
                    {
                        "kind": "fetch",
                        "path": f"/office/exports/{job_id}/download/",
                        "cookies": officer,
                    },
                )
            )
        result["documents_zip_download"] = download
    return result


# --- the run ----------------------------------------------------------------------------------


def machine():
    with psycopg.connect(f"{PG_URL}/postgres") as connection:
        server = connection.execute("SHOW server_version").fetchone()[0]
    load1, load5, _ = os.getloadavg()
    return {
        "cpus": CORES,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30),
        "python": platform.python_version(),
        "postgresql": server,
        "platform": f"{platform.system()} {platform.machine()}",
        "load_average_before": [round(load1, 2), round(load5, 2)],
        "gunicorn": (
            f"{CORES} gthread workers of {GUNICORN_THREADS} threads (deploy/gunicorn.conf.py, "
            "not recycled)"
        ),
        "celery": "one worker, prefork, 2 processes",
    }


@contextmanager
def template_database(settings_, keep):
    """A migrated template database for the run's cycles, dropped at the end unless `keep`."""
    VAR.mkdir(parents=True, exist_ok=True)
    template = migrated_template(settings_)
    try:
        yield template
    finally:
        if not keep:
            admin_sql(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")


def finished(results, started):
    results["seconds"] = round(time.time() - started, 1)
    results["date"] = dt.date.today().isoformat()
    return results


def run(settings_, keep):
    started = time.time()
    results = {"machine": machine(), "settings": settings_}
    results["note"] = os.environ.get("BENCH_NOTE", "")
    with template_database(settings_, keep) as template:
        main = settings_["main_size"]
        with Cycle(main, settings_, template, keep) as cycle:
            manifest = cycle.seed(main=True)
            results["seed"] = {k: manifest[k] for k in ("counts", "seconds", "wall_seconds")}
            with Portal(cycle) as portal:
                log(f"floor: {settings_['users']} users")
                results["floor"] = floor(
                    portal, cycle, settings_, settings_["users"], settings_["floor_seconds"]
                )
                results["pages"] = pages(portal, cycle, settings_)
                results["growth"] = {str(main): growth(portal, cycle, settings_)}
                results["pages_1"] = pages_alone(portal, cycle, settings_)
                results["rush"] = rush(portal, cycle, settings_)
                results["upload"] = upload(portal, cycle, settings_)
                results["hostile"] = hostile(portal, cycle, settings_)
                results["exports"] = exports(portal, cycle, settings_)
                log("floor again, to see the drift over the run")
                results["floor_end"] = floor(
                    portal, cycle, settings_, settings_["users"], settings_["floor_seconds"]
                )
        for size in settings_["sizes"]:
            if size == main:
                continue
            with Cycle(size, settings_, template, keep) as cycle:
                cycle.seed(main=False)
                with Portal(cycle) as portal:
                    results["growth"][str(size)] = growth(portal, cycle, settings_)
    return finished(results, started)


def run_hostile(settings_, keep):
    """The hostile-uploads scenario alone, on the main data size: `--only hostile`."""
    started = time.time()
    results = {"machine": machine(), "settings": settings_}
    with (
        template_database(settings_, keep) as template,
        Cycle(settings_["main_size"], settings_, template, keep) as cycle,
    ):
        cycle.seed(main=True)
        with Portal(cycle) as portal:
            results["hostile"] = hostile(portal, cycle, settings_)
    return finished(results, started)


def hostile_record(results, alone):
    """What bench/results.json keeps under "hostile_uploads": the figures and their context."""
    return {
        **results["hostile"],
        "machine": results["machine"],
        "users": results["settings"]["users"],
        "uploaders": results["settings"]["hostile_uploaders"],
        "alone_seconds": results["settings"]["hostile_alone"],
        "after_seconds": results["settings"]["hostile_after"],
        "main_size": results["settings"]["main_size"],
        "date": results["date"],
        "note": os.environ.get("BENCH_NOTE", ""),
        "run": "make bench-hostile" if alone else "make bench-portal",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run; nothing is recorded")
    parser.add_argument("--keep", action="store_true", help="keep the databases and data folders")
    parser.add_argument(
        "--only", choices=["hostile"], help="run one scenario alone (on the main data size)"
    )
    options = parser.parse_args()
    settings_ = QUICK if options.quick else FULL
    if options.only == "hostile":
        results = run_hostile(settings_, options.keep)
    else:
        results = run(settings_, options.keep)
    print(json.dumps(results, indent=1))
    if options.quick:
        (VAR / "quick.json").write_text(json.dumps(results, indent=1))
        log(f"smoke run in {results['seconds']} s; figures in {VAR / 'quick.json'}, not recorded")
        return
    report.record("hostile_uploads", hostile_record(results, alone=bool(options.only)))
    if not options.only:
        del results["hostile"]
        report.record("portal", results)
    report.write()
    log(f"done in {results['seconds']} s")


if __name__ == "__main__":
    main()
