"""/metrics: request counts and latencies by view, and the portal's own figures computed at the
scrape, for the configured scraper and programme officers only; a page that does not exist for
everyone else."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from intents.models import ExportJob
from portal.notifications.models import OutboundEmail
from portal.operations import metrics
from tests.factories import CallFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scraper-token-0123456789abcdef"
State = OutboundEmail.State


@pytest.fixture
def scraper(settings):
    settings.METRICS_TOKEN = TOKEN
    return {"Authorization": f"Bearer {TOKEN}"}


def samples(response):
    """{(name, frozenset of labels): value} of a scrape."""
    assert response.status_code == 200
    text = response.content.decode()
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def email(number, state, *, age=None):
    row = OutboundEmail.objects.create(
        idempotency_key=f"test:{number}",
        to=f"someone{number}@example.org",
        subject="Your receipt",
        body_text="…",
        state=state,
    )
    if age is not None:
        OutboundEmail.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)
    return row


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_anonymous_visitor_is_told_the_page_does_not_exist(client, db, scraper, method):
    response = getattr(client, method)("/metrics")
    assert response.status_code == 404
    assert b"portal_outbox" not in response.content


def test_an_applicant_is_told_the_page_does_not_exist(client, owner, scraper):
    client.force_login(owner)
    assert client.get("/metrics").status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer {TOKEN}x",
        f"Bearer {TOKEN[:-1]}",
        f"Basic {TOKEN}",
        TOKEN,
        "Bearer ",
    ],
)
def test_a_wrong_token_is_told_the_page_does_not_exist(client, db, scraper, authorization):
    assert client.get("/metrics", headers={"Authorization": authorization}).status_code == 404


def test_no_token_opens_the_page_when_none_is_configured(client, db, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_the_scraper_reads_the_metrics_with_its_token(client, db, scraper):
    response = client.get("/metrics", headers=scraper)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "no-cache" in response["Cache-Control"]
    assert response.content.decode().count("# TYPE portal_outbox_messages gauge") == 1


def test_the_scraper_reads_the_metrics_from_an_allowed_address(client, db, settings):
    settings.METRICS_ALLOWED_IPS = ["10.20.0.0/16", "192.0.2.7"]
    assert client.get("/metrics", REMOTE_ADDR="10.20.3.4").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.21.3.4").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 404


def test_a_programme_officer_reads_the_metrics(client, officer):
    client.force_login(officer)
    assert client.get("/metrics").status_code == 200


def test_an_officer_without_two_factor_is_sent_to_set_it_up_first(client, db):
    officer = UserFactory(is_programme_officer=True, totp=False)
    client.force_login(officer)
    response = client.get("/metrics")
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_the_outbox_figures_count_real_rows_and_age_the_oldest_queued(client, db, scraper):
    email(1, State.QUEUED, age=dt.timedelta(hours=2))
    email(2, State.QUEUED, age=dt.timedelta(minutes=5))
    email(3, State.QUEUED)
    email(4, State.SENDING)
    email(5, State.FAILED)
    email(6, State.FAILED, age=dt.timedelta(days=3))  # failed, not queued: not the oldest
    email(7, State.SENT, age=dt.timedelta(days=9))

    figures = samples(client.get("/metrics", headers=scraper))

    def messages(state):
        return figures[("portal_outbox_messages", frozenset({("state", state)}))]

    assert messages("queued") == 3
    assert messages("sending") == 1
    assert messages("failed") == 2
    assert ("portal_outbox_messages", frozenset({("state", "sent")})) not in figures
    age = figures[("portal_outbox_oldest_queued_age_seconds", frozenset())]
    assert 7200 <= age < 7200 + 60
    assert figures[("portal_figures_up", frozenset({("source", "outbox")}))] == 1


def test_an_empty_outbox_reports_zeros(client, db, scraper):
    figures = samples(client.get("/metrics", headers=scraper))
    for state in ("queued", "sending", "failed"):
        assert figures[("portal_outbox_messages", frozenset({("state", state)}))] == 0
    assert figures[("portal_outbox_oldest_queued_age_seconds", frozenset())] == 0


def test_export_jobs_are_counted_by_state_from_what_intents_registered(client, db, scraper):
    call = CallFactory()
    for state in (ExportJob.State.QUEUED, ExportJob.State.FAILED, ExportJob.State.FAILED):
        ExportJob.objects.create(call=call, state=state)

    figures = samples(client.get("/metrics", headers=scraper))

    def jobs(state):
        return figures[("portal_export_jobs", frozenset({("state", state)}))]

    assert jobs("queued") == 1
    assert jobs("failed") == 2
    assert jobs("done") == 0
    assert figures[("portal_figures_up", frozenset({("source", "export_jobs")}))] == 1


def test_requests_are_counted_and_timed_by_view(client, db, scraper):
    for _ in range(3):
        client.get("/healthz")
    figures = samples(client.get("/metrics", headers=scraper))
    counted = [
        value
        for (name, labels), value in figures.items()
        if name == "django_http_requests_total_by_view_transport_method_total"
        and ("view", "healthz") in labels
        and ("method", "GET") in labels
    ]
    assert counted and counted[0] >= 3
    timed = [
        value
        for (name, labels), value in figures.items()
        if name == "django_http_requests_latency_seconds_by_view_method_count"
        and ("view", "healthz") in labels
    ]
    assert timed and timed[0] >= 3


def test_a_source_that_fails_is_reported_and_the_rest_still_scraped(
    client, db, scraper, monkeypatch
):
    def broken():
        raise RuntimeError("the figures' table is gone")

    monkeypatch.setitem(metrics._sources, "broken", broken)
    figures = samples(client.get("/metrics", headers=scraper))
    assert figures[("portal_figures_up", frozenset({("source", "broken")}))] == 0
    assert figures[("portal_figures_up", frozenset({("source", "outbox")}))] == 1
    assert ("portal_outbox_oldest_queued_age_seconds", frozenset()) in figures


# A process of its own, as a gunicorn worker: it serves requests with the test settings (no
# database needed: the page answers 404) or prints the page's text.
PROCESS = """
import sys
import django
django.setup()
from django.test import Client
if sys.argv[1] == "serve":
    for _ in range(int(sys.argv[2])):
        Client().get("/no-such-page/", HTTP_HOST="127.0.0.1")
else:
    from portal.operations.metrics import exposition
    sys.stdout.write(exposition().decode())
"""


def test_request_counts_add_up_over_processes_in_multiprocess_mode(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR, a scrape answered by one gunicorn worker counts every
    worker's requests."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }

    def run(*arguments):
        return subprocess.run(
            [sys.executable, "-c", PROCESS, *arguments],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        ).stdout

    run("serve", "2")
    run("serve", "3")
    text = run("scrape")

    counts = [
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "django_http_responses_total_by_status_view_method_total"
        and sample.labels.get("status") == "404"
    ]
    assert sum(counts) == 5
