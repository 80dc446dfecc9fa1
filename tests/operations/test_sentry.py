"""Sentry is optional: nothing is set up without SENTRY_DSN; with one, an error in a view reaches
it without what the user typed. Error e-mails to ADMINS carry no form values either."""

import gzip
import json
import logging
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sentry_sdk
from django.conf import settings
from django.core import mail
from django.test import RequestFactory, override_settings
from django.views.debug import ExceptionReporter

from portal.operations.errors import ConfidentialReporterFilter, scrub_event

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Our confidential lunar drill budget is 41 million"


class Collector(BaseHTTPRequestHandler):
    """A stand-in for Sentry's ingestion: keeps every envelope posted to it."""

    envelopes: list

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.envelopes.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Collector)
    server.envelopes = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_without_a_dsn_sentry_is_not_set_up():
    assert settings.SENTRY_DSN == ""
    assert not sentry_sdk.get_client().is_active()


# A process of its own, as a web node started with SENTRY_DSN: through Django's WSGI handler, as
# gunicorn calls it, a view raises while handling a form with a confidential field and query.
PROCESS = """
import io, os, sys, types
from urllib.parse import quote_plus, urlencode
from wsgiref.util import setup_testing_defaults
import django
django.setup()
import sentry_sdk
from django.core.wsgi import get_wsgi_application
from django.test import override_settings
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

@csrf_exempt
def explode(request):
    raise RuntimeError("the lander's ladder is missing")

urls = types.ModuleType("sentry_urls")
urls.urlpatterns = [path("explode/", explode)]
sys.modules["sentry_urls"] = urls
typed = os.environ["TYPED"]
body = urlencode({"summary": typed}).encode()
environ = {
    "REQUEST_METHOD": "POST",
    "PATH_INFO": "/explode/",
    "QUERY_STRING": "q=" + quote_plus(typed),
    "CONTENT_TYPE": "application/x-www-form-urlencoded",
    "CONTENT_LENGTH": str(len(body)),
    "HTTP_X_REQUEST_ID": "req-sentry-0001",
    "HTTP_AUTHORIZATION": "Bearer not-for-sentry",
    "wsgi.input": io.BytesIO(body),
}
setup_testing_defaults(environ)
statuses = []
with override_settings(ROOT_URLCONF="sentry_urls"):
    application = get_wsgi_application()
    b"".join(application(environ, lambda status, headers, *args: statuses.append(status)))
print(statuses[0].split()[0], sentry_sdk.get_client().is_active())
sentry_sdk.flush(5)
"""


def test_an_error_in_a_view_reaches_sentry_without_what_the_user_typed(sentry_server):
    port = sentry_server.server_address[1]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/42",
        "SENTRY_ENVIRONMENT": "drill",
        "TYPED": SECRET,
    }
    result = subprocess.run(
        [sys.executable, "-c", PROCESS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["500", "True"]

    events = []
    for url, envelope in sentry_server.envelopes:
        assert url == "/api/42/envelope/"
        for line in envelope.splitlines():
            item = json.loads(line)
            if item.get("exception"):
                events.append(item)
        assert SECRET.encode() not in envelope
        assert SECRET.replace(" ", "+").encode() not in envelope
        assert b"not-for-sentry" not in envelope
    [event] = events
    [error] = event["exception"]["values"]
    assert error["type"] == "RuntimeError"
    assert error["value"] == "the lander's ladder is missing"
    assert event["environment"] == "drill"
    assert event["tags"]["request_id"] == "req-sentry-0001"
    request = event["request"]
    assert request["url"] == "http://127.0.0.1/explode/"
    assert request["method"] == "POST"
    assert request["headers"]["X-Request-Id"] == "req-sentry-0001"
    assert not {"data", "query_string", "cookies"} & set(request)
    assert request["headers"].get("Authorization") in (None, "[Filtered]")
    assert all("vars" not in frame for frame in error["stacktrace"]["frames"])


def test_scrubbing_removes_the_body_the_query_string_and_the_cookies():
    event = {
        "request": {
            "url": "https://portal.example/letters/7/edit/",
            "method": "POST",
            "data": {"summary": SECRET},
            "query_string": "q=" + SECRET,
            "cookies": {"sessionid": "abc"},
        }
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"] == {
        "url": "https://portal.example/letters/7/edit/",
        "method": "POST",
    }


def test_an_error_e_mail_to_the_admins_names_the_fields_but_not_their_values():
    request = RequestFactory().post("/letters/7/edit/", {"summary": SECRET, "title": "Drill"})
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        reporter = ExceptionReporter(request, *sys.exc_info())
    reporter.filter = ConfidentialReporterFilter()
    text = reporter.get_traceback_text()
    assert "summary" in text and "title" in text
    assert SECRET not in text and "Drill" not in text


@override_settings(ADMINS=[("Night operator", "ops@example.org")])
def test_a_server_error_is_e_mailed_to_the_admins_without_the_form():
    """Django's own path: a 500 in a view goes to mail_admins, from SERVER_EMAIL."""
    request = RequestFactory().post("/letters/7/edit/", {"summary": SECRET})
    logging.getLogger("django.request").error(
        "Internal Server Error: %s",
        request.path,
        exc_info=(RuntimeError, RuntimeError("boom"), None),
        extra={"status_code": 500, "request": request},
    )
    [message] = mail.outbox
    assert message.to == ["ops@example.org"]
    assert message.from_email == settings.SERVER_EMAIL
    assert "summary" in message.body
    assert SECRET not in message.body
