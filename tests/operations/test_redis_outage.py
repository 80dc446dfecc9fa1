"""Redis down, the database up: sign-in, uploads, the letter pages and the dashboard keep
answering. The cache and the broker are a redis-server of the test's own, stopped mid-test (the
shared one is never touched); the cache fails open (portal/cache.py) and counts its failures,
lockouts still come from the database."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from intents.models import Document
from portal.cache import failures
from portal.celery import app

from ..factories import PASSWORD, pdf_upload
from ..notifications.processes import PrivateRedis, new_queue_name, routed
from ..notifications.smtp_sink import free_port
from ..sign_in import sign_in


def failed_open():
    return sum(
        sample.value for sample in failures.collect()[0].samples if sample.name.endswith("_total")
    )


@pytest.fixture
def redis_down(settings):
    """The cache and the broker on a private Redis that has just been stopped."""
    redis = PrivateRedis(free_port()).start()
    settings.REDIS_URL = redis.url
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    try:
        with routed(app, broker_url=redis.url, queue=new_queue_name()):
            redis.stop()
            yield redis
    finally:
        redis.stop()


def test_an_applicant_signs_in_with_redis_down(client, owner, redis_down):
    before = failed_open()
    assert sign_in(client, owner.email, PASSWORD)
    assert client.get(reverse("home")).status_code == 200
    assert failed_open() > before


def test_lockouts_still_come_from_the_database_with_redis_down(client, owner, redis_down):
    for _attempt in range(5):
        assert not sign_in(client, owner.email, "wrong password")
    assert AccessAttempt.objects.filter(username=owner.email).exists()
    response = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.status_code != 500
    assert "_auth_user_id" not in client.session


def test_an_upload_is_stored_with_redis_down(client, owner, draft, signed_letter_type, redis_down):
    client.force_login(owner)
    response = client.post(
        reverse("letters:document_upload", args=[draft.pk]),
        {"document_type": signed_letter_type.pk, "file": pdf_upload()},
        follow=True,
    )
    assert response.status_code == 200
    assert "The document was uploaded and checked." in response.content.decode()
    assert Document.objects.filter(letter=draft).count() == 1


def test_the_letter_pages_answer_with_redis_down(client, owner, submitted, redis_down):
    client.force_login(owner)
    for url in (
        reverse("home"),
        reverse("letters:letter_detail", args=[submitted.pk]),
        reverse("letters:letter_receipt", args=[submitted.pk, 1]),
        reverse("letters:call_detail", args=[submitted.call.slug]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_dashboard_is_counted_afresh_with_redis_down(client, officer, submitted, redis_down):
    client.force_login(officer)
    before = failed_open()
    for _visit in range(3):
        response = client.get(reverse("office:dashboard", args=[submitted.call.slug]))
        assert response.status_code == 200
    assert failed_open() > before  # each visit missed the cache and counted afresh


def test_healthz_says_degraded_not_down_with_redis_down(client, db, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["broker"].startswith("error") and body["cache"].startswith("error")
