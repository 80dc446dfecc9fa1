"""The cache on Redis, failing open: when Redis cannot be reached, a read is a miss and a write
is dropped, so sign-in, uploads and every page keep answering from the database.

What the cache holds here can all be lost: rate-limit counters (a limit is not applied while
Redis is down; lockouts after failed sign-ins come from the database, django-axes) and the
dashboard's counts (counted afresh). Each failure is counted for /metrics and logged, at most
once a minute per process so an outage does not flood the log.
"""

import logging
import time
from functools import wraps

from django.core.cache.backends.redis import RedisCache
from prometheus_client import Counter
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

failures = Counter(
    "portal_cache_failures",
    "Cache operations that failed open because Redis could not be reached.",
    ["operation"],
)
LOG_EVERY_SECONDS = 60


def _fail_open(fallback):
    """Run the operation; on a Redis error count it, log it now and then, return `fallback`."""

    def decorator(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                failures.labels(operation=method.__name__).inc()
                self._log_failure(method.__name__, error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _default(key, default=None, *args, **kwargs):
    return default


def _delta(key, delta=1, *args, **kwargs):
    return delta


class FailOpenRedisCache(RedisCache):
    _last_logged = 0.0

    def _log_failure(self, operation, error):
        now = time.monotonic()
        if now - FailOpenRedisCache._last_logged >= LOG_EVERY_SECONDS:
            FailOpenRedisCache._last_logged = now
            logger.warning(
                "Cache unreachable, failing open (%s: %s); further failures are counted in "
                "portal_cache_failures_total",
                operation,
                error,
            )

    def ping(self):
        """Raise if Redis does not answer: for the health check, which must not fail open."""
        self._cache.get_client(write=True).ping()

    # "Added" when Redis is down: a rate-limit counter starts again at its first use, and
    # allauth's lock around its counters is taken instead of waited for.
    add = _fail_open(lambda *args, **kwargs: True)(RedisCache.add)
    get = _fail_open(_default)(RedisCache.get)
    set = _fail_open(lambda *args, **kwargs: None)(RedisCache.set)
    touch = _fail_open(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = _fail_open(lambda *args, **kwargs: False)(RedisCache.delete)
    get_many = _fail_open(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = _fail_open(lambda *args, **kwargs: False)(RedisCache.has_key)
    incr = _fail_open(_delta)(RedisCache.incr)
    set_many = _fail_open(lambda *args, **kwargs: [])(RedisCache.set_many)
    delete_many = _fail_open(lambda *args, **kwargs: None)(RedisCache.delete_many)
    clear = _fail_open(lambda *args, **kwargs: False)(RedisCache.clear)
