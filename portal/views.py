from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception as error:
        return f"error: {type(error).__name__}"


def _broker_state():
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        return "ok"
    except Exception as error:
        return f"error: {type(error).__name__}"


@never_cache
def healthz(request):
    """503 only when the database is down. Without the broker the web still takes letters
    (e-mails wait in the outbox), so a load balancer must keep sending traffic."""
    database, broker = _database_state(), _broker_state()
    if database != "ok":
        status = "down"
    elif broker not in ("ok", "in-process"):
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, "database": database, "broker": broker},
        status=503 if status == "down" else 200,
    )
