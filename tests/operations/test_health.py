"""/healthz reports each dependency on its own and answers 503 only without the database."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tests.notifications.processes import PrivateRedis
from tests.notifications.smtp_sink import free_port

ROOT = Path(__file__).resolve().parents[2]


def outage_cache(port):
    return {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_healthz_is_ok_with_every_dependency_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in ("ok", "in-process")
    assert body["cache"] == "local"
    assert body["storage"] == "ok"


def test_a_broker_that_is_down_degrades_health_but_keeps_the_web_in_service(client, db, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"].startswith("error")


def test_the_cache_on_redis_is_checked_and_its_outage_reported(client, db, settings):
    redis = PrivateRedis(free_port()).start()
    try:
        settings.CACHES = outage_cache(redis.port)
        assert client.get("/healthz").json()["cache"] == "ok"
        redis.stop()
        body = client.get("/healthz").json()
        assert body["cache"].startswith("error")
        assert body["status"] == "degraded"
    finally:
        redis.stop()


def test_object_storage_is_checked_and_its_outage_reported_quickly(client, db, s3_storage):
    assert client.get("/healthz").json()["storage"] == "ok"
    s3_storage.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 10
    assert response.status_code == 200
    assert response.json()["storage"].startswith("error")
    assert response.json()["status"] == "degraded"


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    # A process of its own whose database cannot be reached: the test's own must stay up.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "PORTAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/gone",
        "ALLOWED_HOSTS": "testserver",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    assert answer["body"]["status"] == "down"
    assert answer["body"]["database"].startswith("error")
    assert answer["body"]["storage"] == "ok"
