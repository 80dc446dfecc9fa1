"""The cache: Redis shared by every web process when there is one (rate-limit counters must be
shared), else per process, enough for one runserver."""

import environ


def cache_settings(env: environ.Env, *, redis_url: str) -> tuple[dict, list[str]]:
    """CACHES, and the system checks silenced for that cache."""
    if not redis_url:
        # django-ratelimit rightly says memory is not shared; accepted for the laptop only.
        return (
            {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            ["django_ratelimit.E003", "django_ratelimit.W001"],
        )
    caches = {
        "default": {
            # Fails open (portal/cache.py): with Redis down, pages answer from the database.
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": env.str("CACHE_URL", default=redis_url),
            "KEY_PREFIX": "portal",
            # Short, so a Redis that is down costs a request a fraction of a second.
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_TIMEOUT", default=0.5),
                "socket_timeout": env.float("CACHE_TIMEOUT", default=0.5),
            },
        }
    }
    # Django's own Redis backend increments atomically; django-ratelimit's list predates it.
    return caches, ["django_ratelimit.W001"]
