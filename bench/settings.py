"""The production settings plus the floor view's URL, for the benchmarks only (bench/run.py).

Everything else comes from the environment as in production: DATABASE_URL, REDIS_URL, DEBUG off.
"""

import os

from portal.settings import *  # noqa: F403
from portal.settings import VAR_DIR

# portal.urls plus /bench/floor/, a constant response through the same middleware stack.
ROOT_URLCONF = "bench.urls"
# collectstatic writes into the bench's own data folder, not the project's staticfiles/.
STATIC_ROOT = VAR_DIR / "staticfiles"
# A queue of its own, so a worker of another run (or of the tests) never takes our tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("PORTAL_BENCH_QUEUE", "portal-bench")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "bench.storage.StaticFilesStorage"},
}
