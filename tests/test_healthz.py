from .notifications.smtp_sink import free_port


def test_healthz_is_ok_with_the_database_and_broker_up(client, db):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["database"] == "ok"


def test_a_broker_that_is_down_degrades_health_but_keeps_the_web_in_service(client, db, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"].startswith("error")
