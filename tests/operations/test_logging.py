"""Log lines an operator can search: JSON, each naming its request, its user and its path; the
request id taken from X-Request-ID when sane, echoed on the response, and carried to the
Celery tasks a request queues."""

import datetime as dt
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django_guid import get_guid, set_guid

from portal.celery import app
from portal.operations.logging import JsonFormatter, RequestContextFilter
from tests.notifications.processes import (
    PrivateRedis,
    Worker,
    forget_queue,
    new_queue_name,
    routed,
    wait_until,
)
from tests.notifications.smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[2]
GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def captured():
    """A real handler with the real formatter and filter on the root logger, as LOGGING
    configures the console in production; yields a function returning the lines as dicts."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    # Where LOGGING puts the console: the root, and Django's loggers (which stop there).
    loggers = [logging.getLogger(), logging.getLogger("django")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def test_a_sane_request_id_from_the_client_is_kept_and_echoed(client, db):
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-7f3a.92:b_1"})
    assert response["X-Request-ID"] == "proxy-7f3a.92:b_1"
    assert response["Access-Control-Expose-Headers"] == "X-Request-ID"


def test_a_request_without_an_id_is_given_a_new_one(client, db):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


@pytest.mark.parametrize(
    "given",
    [
        "short",  # under 8 characters
        "x" * 129,  # over 128
        'forged" "level": "CRITICAL',  # quotes and spaces that could forge a field
        "two\tparts",
        "ünïcode-request-id",
    ],
)
def test_an_insane_request_id_is_replaced_by_a_new_one(client, db, given):
    response = client.get("/healthz", headers={"X-Request-ID": given})
    assert response["X-Request-ID"] != given
    assert GENERATED.fullmatch(response["X-Request-ID"])


def test_a_log_line_inside_a_request_names_its_request_id_user_and_path(client, owner, captured):
    """An applicant asks for the office's outbox: Django logs the refusal as JSON."""
    client.force_login(owner)
    response = client.get(reverse("notifications:outbox"), headers={"X-Request-ID": "req-0042-abc"})
    assert response.status_code == 403

    [line] = [line for line in captured() if line["logger"] == "django.request"]
    assert line["request_id"] == "req-0042-abc"
    assert line["user_id"] == owner.pk
    assert line["path"] == "/office/outbox/"
    assert line["level"] == "WARNING"
    assert line["message"].startswith("Forbidden")
    assert list(line)[:7] == [
        "timestamp", "level", "logger", "message", "request_id", "user_id", "path"
    ]  # fmt: skip
    stamp = dt.datetime.fromisoformat(line["timestamp"])
    assert stamp.utcoffset() == dt.timedelta(0)
    assert abs(dt.datetime.now(dt.UTC) - stamp) < dt.timedelta(minutes=1)


def test_the_not_found_line_django_logs_after_the_middleware_still_names_the_request(
    client, db, captured
):
    client.get("/no-such-page/", headers={"X-Request-ID": "req-404-page"})
    [line] = [line for line in captured() if line["logger"] == "django.request"]
    assert line["message"] == "Not Found: /no-such-page/"
    assert line["request_id"] == "req-404-page"
    assert line["path"] == "/no-such-page/"
    assert line["user_id"] is None
    assert "request" not in line  # its repr would carry the query string


def test_a_refused_page_is_logged_in_one_line_without_a_traceback(client, owner, call, captured):
    client.force_login(owner)
    assert client.get(reverse("office:office_letters", args=[call.slug])).status_code == 403
    [line] = [line for line in captured() if line["logger"] == "django.request"]
    assert line["message"].startswith("Forbidden")
    assert "exc_info" not in line


def test_a_line_after_the_request_names_no_request(client, db, captured):
    client.get("/healthz", headers={"X-Request-ID": "req-finished-1"})
    logging.getLogger("portal.test").warning("between requests")
    [line] = [line for line in captured() if line["logger"] == "portal.test"]
    assert line["request_id"] is None and line["path"] is None and line["user_id"] is None


def test_an_exception_is_logged_with_its_traceback_in_the_same_json_object(captured):
    try:
        raise ValueError("the regolith is too hard")
    except ValueError:
        logging.getLogger("portal.test").exception("Drilling failed")
    [line] = captured()
    assert line["message"] == "Drilling failed"
    assert "ValueError: the regolith is too hard" in line["exc_info"]


def test_the_console_writes_json_in_production_and_text_with_debug_on():
    """LOG_FORMAT follows DEBUG unless it is said."""
    script = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.LOG_FORMAT, settings.LOGGING['handlers']['console']['formatter'])"
    )

    def log_format(**said):
        env = {
            key: value for key, value in os.environ.items() if key not in ("DEBUG", "LOG_FORMAT")
        }
        env.update(said, DJANGO_SETTINGS_MODULE="tests.settings")
        return subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
            check=True, timeout=60,
        ).stdout.split()  # fmt: skip

    assert log_format() == ["json", "json"]
    assert log_format(DEBUG="on") == ["text", "text"]
    assert log_format(DEBUG="on", LOG_FORMAT="json") == ["json", "json"]


@app.task(name="tests.operations.remember_request_id")
def remember_request_id(seen):
    seen.append(get_guid())


def test_a_task_run_in_process_keeps_the_id_of_the_request_it_runs_in():
    """Without a broker (laptop, tests) a task runs inside the request: it must neither give
    the request a new id nor clear it, or the response would lose it."""
    seen = []
    set_guid("req-eager-1234")
    try:
        remember_request_id.apply(args=[seen])
        assert seen == ["req-eager-1234"]
        assert get_guid() == "req-eager-1234"
    finally:
        set_guid(None)


@pytest.mark.skipif(
    not os.environ.get("CI") and not shutil.which("redis-server"), reason="no redis-server"
)
@pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored")
def test_a_workers_lines_are_json_and_name_the_request_that_queued_the_task(
    transactional_db, tmp_path
):
    """A real worker (on a redis-server of the test's own) with LOG_FORMAT=json: its lines are
    JSON, and the line about the task carries the id of the request that queued it."""
    broker = PrivateRedis(free_port()).start()
    queue = new_queue_name()
    worker = Worker(
        broker_url=broker.url,
        queue=queue,
        smtp_port=free_port(),
        env={"LOG_FORMAT": "json"},
        log_dir=tmp_path,
    )
    request_id = f"req-{uuid.uuid4().hex[:12]}"
    try:
        worker.start()
        with routed(app, broker_url=broker.url, queue=queue):
            set_guid(request_id)
            try:
                app.send_task("notifications.send_outbound_emails", args=[[]], queue=queue)
            finally:
                set_guid(None)

        def task_line():
            for text in worker.text().splitlines():
                if text.startswith("{") and "succeeded" in text:
                    return json.loads(text)
            return None

        line = wait_until(task_line, 20, f"the task's line (log: {worker.log})")
    finally:
        worker.stop()
        forget_queue(broker.url, queue)
        broker.stop()

    assert line["request_id"] == request_id
    assert line["logger"] == "celery.app.trace"
    assert "notifications.send_outbound_emails" in line["message"]
    ready = [text for text in worker.text().splitlines() if " ready." in text]
    assert ready and all(json.loads(text)["level"] == "INFO" for text in ready)
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
