"""The project's settings with a throw-away data folder, so tests never touch var/."""

import os
import tempfile
import uuid

os.environ.setdefault("PORTAL_VAR_DIR", tempfile.mkdtemp(prefix="portal-tests-"))

from portal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# A worker process that a fault test starts sends to the test's SMTP server (EMAIL_URL).
if not os.environ.get("EMAIL_URL"):
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A queue of our own per run, so tasks left in Redis by an earlier run are never consumed; a
# worker process started by a test is given the test's queue.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("PORTAL_TEST_QUEUE") or (
    f"portal-tests-{uuid.uuid4().hex[:8]}"
)
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# A file, not memory: concurrency tests need separate connections that really contend.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}  # noqa: F405
# Memory, even with REDIS_URL: tests clear the cache (rate-limit counters) between them, and
# clearing a Redis cache flushes the database the Celery broker uses.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
