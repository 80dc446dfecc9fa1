import shutil

import pytest
from django.conf import settings

from portal.celery import app

from ..services import require
from .processes import Worker, forget_queue, new_queue_name, routed
from .smtp_sink import SmtpSink


@pytest.fixture
def redis_url():
    require(settings.REDIS_URL, "REDIS_URL is not set: the fault tests need a real Redis")
    return settings.REDIS_URL


@pytest.fixture
def redis_server_binary():
    require(shutil.which("redis-server"), "redis-server is not on PATH")


@pytest.fixture
def sink():
    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def queue(redis_url):
    """A queue of this test's own on the real Redis, and this process publishing into it."""
    name = new_queue_name()
    with routed(app, broker_url=redis_url, queue=name):
        yield name
    forget_queue(redis_url, name)


@pytest.fixture
def workers(transactional_db, tmp_path):
    """`workers(...)` starts a worker process (see processes.Worker); all stop after the test."""
    started = []

    def start(**options):
        worker = Worker(log_dir=tmp_path, **options)
        started.append(worker)
        return worker.start()

    yield start
    for worker in started:
        worker.stop()
