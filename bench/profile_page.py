"""Profile one of the benchmarked pages in this process with pyinstrument.

    .venv/bin/python bench/profile_page.py ranking [--letters 5000] [--requests 5]

The first use seeds a database of its own (portal_loadbench_profile_<letters>, kept for the next
profile; `--fresh` seeds it again) with `manage.py seed_bench`, then requests the page through
Django's whole handler and middleware (the test client, signed in with the seeded session) and
writes pyinstrument's text and HTML reports under var/bench/profiles/. It also prints the
number of queries and their total time per request. Pages: see bench.run.page_targets, plus
"floor", "submit" (one applicant's submit of its draft: the rush's request, once per letter)
and "upload" (a 20 MB PDF to one draft).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run as bench  # noqa: E402


def prepare(letters, fresh):
    name = f"{bench.DB_PREFIX}_profile_{letters}"
    var = bench.VAR / name
    manifest = var / "manifest.json"
    if fresh or not manifest.exists():
        template = bench.migrated_template(bench.FULL)
        bench.admin_sql(
            f"DROP DATABASE IF EXISTS {name} WITH (FORCE)",
            f"CREATE DATABASE {name} TEMPLATE {template}",
            f"DROP DATABASE {template}",
        )
        var.mkdir(parents=True, exist_ok=True)
        env = bench.environment(name, var)
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "seed_bench",
                f"--letters={letters}",
                f"--organisations={max(200, int(letters * 0.4))}",
                "--officer-sessions=2",
                f"--manifest={manifest}",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        bench.admin_sql_db(name, "VACUUM ANALYZE")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
    os.environ.update(bench.environment(name, var))
    return name, var, manifest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("page")
    parser.add_argument("--letters", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--fresh", action="store_true")
    options = parser.parse_args()
    _name, var, manifest_path = prepare(options.letters, options.fresh)

    import django

    django.setup()
    import json

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    from bench.pdf import scanned_pdf

    manifest = json.loads(manifest_path.read_text())

    class Cycle:
        pass

    cycle = Cycle()
    cycle.manifest = manifest
    targets = bench.page_targets(cycle)
    targets["floor"] = [
        {"path": "/bench/floor/", "cookies": {"sessionid": manifest["applicants"][0]["session"]}}
    ]
    client = Client(HTTP_HOST="127.0.0.1")
    profiler = Profiler(interval=0.0005)
    timings, query_counts, query_ms = [], [], []
    for number in range(options.requests + 1):
        if options.page in ("submit", "upload"):
            applicant = manifest["applicants"][-(number + 1)]
            client.cookies["sessionid"] = applicant["session"]
            pk = applicant["letter"]
            if options.page == "submit":
                page = client.get(f"/letters/{pk}/submit/")
                version = page.context["form"].initial["version"]
                request = lambda pk=pk, version=version: client.post(  # noqa: E731
                    f"/letters/{pk}/submit/", {"version": version}
                )
            else:
                from django.core.files.uploadedfile import SimpleUploadedFile

                data = scanned_pdf(20 * 2**20 - 16 * 1024)
                form = client.get(f"/letters/{pk}/").context["upload_form"]
                kind = form.fields["document_type"].queryset.first().pk
                request = lambda pk=pk, kind=kind, data=data: client.post(  # noqa: E731
                    f"/letters/{pk}/documents/",
                    {"document_type": kind, "file": SimpleUploadedFile("a.pdf", data)},
                )
        else:
            target = targets[options.page][0]
            client.cookies["sessionid"] = target["cookies"]["sessionid"]
            request = lambda target=target: client.get(target["path"])  # noqa: E731
        if number == 0 and options.page not in ("submit", "upload"):
            request()  # warm: imports, templates, static manifest
            continue
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            profiler.start()
            response = request()
            profiler.stop()
            timings.append(time.perf_counter() - started)
        if response.status_code not in (200, 302):
            raise SystemExit(f"HTTP {response.status_code}")
        query_counts.append(len(queries))
        query_ms.append(sum(float(q["time"]) for q in queries.captured_queries) * 1000)
    out = bench.VAR / "profiles"
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{options.page}-{options.letters}"
    # PROFILE_SHOW_ALL=1 keeps the library frames pyinstrument folds away by default.
    show_all = bool(os.environ.get("PROFILE_SHOW_ALL"))
    stem.with_suffix(".txt").write_text(profiler.output_text(unicode=True, show_all=show_all))
    stem.with_suffix(".html").write_text(profiler.output_html())
    print(
        f"{options.page} at {options.letters} letters: {len(timings)} requests, "
        f"mean {sum(timings) / len(timings) * 1000:.0f} ms, "
        f"{sum(query_counts) / len(query_counts):.0f} queries taking "
        f"{sum(query_ms) / len(query_ms):.0f} ms per request; profile in {stem}.txt"
    )


if __name__ == "__main__":
    main()
