"""`/healthz`: each dependency checked on its own, for load balancers and operators.

503 only when the database is down: without Redis the web still takes letters (e-mails wait in
the outbox, caches fail open) and without object storage every page but uploads and downloads
still answers, so a load balancer must keep sending traffic; "degraded" tells the operator.
"""

import os
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as CheckTimedOut

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from portal.storage import private_storage

OK = "ok"
# A check that has not answered by then counts as failed; the page must answer quickly.
CHECK_SECONDS = 3.0
# Not a dependency of this configuration: nothing to check.
NOT_USED = {"in-process", "local"}


def database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return OK


def broker():
    if not settings.REDIS_URL:
        return "in-process"
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return OK


def cache_state():
    ping = getattr(cache, "ping", None)
    if ping is None:
        return "local"  # a process's own memory: nothing that can be down
    ping()
    return OK


def storage():
    files = private_storage()
    location = getattr(files, "location", "")
    if hasattr(files, "bucket_name"):
        files.exists("healthz")  # a HEAD request: the bucket answers and we may read it
    else:
        # The folder is made by the first upload; a new node has none yet, which is fine.
        os.makedirs(location, exist_ok=True)
        if not os.access(location, os.W_OK):
            raise PermissionError(f"cannot write to {location}")
    return OK


CHECKS = {"broker": broker, "cache": cache_state, "storage": storage}


def _outcome(future):
    try:
        return future.result(timeout=CHECK_SECONDS)
    except CheckTimedOut:
        return "error: no answer"
    except Exception as error:
        return f"error: {type(error).__name__}"


@never_cache
def healthz(request):
    try:
        states = {"database": database()}
    except Exception as error:
        states = {"database": f"error: {type(error).__name__}"}
    # The other checks run side by side, each with its own time limit.
    pool = ThreadPoolExecutor(max_workers=len(CHECKS))
    futures = {name: pool.submit(check) for name, check in CHECKS.items()}
    states.update({name: _outcome(future) for name, future in futures.items()})
    pool.shutdown(wait=False)
    if states["database"] != OK:
        status = "down"
    elif any(state not in NOT_USED and state != OK for state in states.values()):
        status = "degraded"
    else:
        status = OK
    return JsonResponse({"status": status, **states}, status=503 if status == "down" else 200)
