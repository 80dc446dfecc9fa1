"""The processes fault tests start and always stop: Celery workers and a private Redis.

A worker is a real `celery -A portal worker` process with the test settings, on the test
process's *test* database, sending to the test's SMTP server. `routed` points the test
process's own Celery app at a broker and queue of the test's choosing, so tasks published by
the code under test reach that worker and no other.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))


def wait_until(condition, seconds, what, every=0.05):
    """Poll `condition` until it is true; fail, saying what was awaited, after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"waited {seconds} s for {what}")


def database_url():
    """The database the test process is using now (for tests, the test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        credentials = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + quote(db["PASSWORD"], safe="")
        host = f"{credentials}@" if credentials else ""
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{host}{db['HOST'] or 'localhost'}{port}/{quote(db['NAME'], safe='')}"
    raise NotImplementedError(f"no worker URL for {connection.vendor}")


def new_queue_name():
    return f"portal-faults-{uuid.uuid4().hex[:8]}"


class Worker:
    """`celery -A portal worker` in its own process group, logging to a file."""

    def __init__(
        self, *, broker_url, queue, smtp_port, pool="solo", concurrency=1, env=None, log_dir=None
    ):
        self.name = f"{queue}-{uuid.uuid4().hex[:4]}@%h"
        self.log = Path(log_dir or tempfile.mkdtemp(prefix="portal-worker-")) / (
            f"{self.name.split('@')[0]}.log"
        )
        self.command = [
            CELERY, "-A", "portal", "worker",
            f"--pool={pool}", f"--concurrency={concurrency}",
            "-Q", queue, "-n", self.name, "--loglevel=INFO",
            "--without-mingle", "--without-gossip", "--without-heartbeat",
        ]  # fmt: skip
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "PORTAL_VAR_DIR": os.environ["PORTAL_VAR_DIR"],
            "DATABASE_URL": database_url(),
            "REDIS_URL": broker_url,
            "PORTAL_TEST_QUEUE": queue,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            **(env or {}),
        }
        self.process = None

    def start(self, seconds=20):
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._ready, seconds, f"worker ready (log: {self.log})")
        return self

    def _ready(self):
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited with {self.process.returncode}:\n{self.text()}")
        return " ready." in self.text()

    def text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    @property
    def pid(self):
        return self.process.pid

    def kill(self):
        """SIGKILL, as the kernel's OOM killer or a pulled plug would: no clean-up at all."""
        self._signal_group(signal.SIGKILL)
        self.process.wait(10)

    def stop(self, seconds=10):
        """A warm shutdown, then SIGKILL for whatever is left of the group."""
        if self.process is None or self.process.poll() is not None:
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait(10)

    def _signal_group(self, signum):
        # Our own session: the worker and its pool children, nothing else.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signum)

    def peak_rss_kib(self):
        """VmHWM of the worker and its pool children (read while they live)."""
        pids = [self.pid]
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        if children.exists():
            pids += [int(pid) for pid in children.read_text().split()]
        return sum(status_kib(pid, "VmHWM") for pid in pids)


def status_kib(pid, field):
    """A /proc/<pid>/status figure in KiB (VmRSS, VmHWM); 0 once the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class PrivateRedis:
    """A redis-server of the test's own on a free port, without persistence: stopping it loses
    everything in it, as a broker crash without AOF would."""

    def __init__(self, port):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix="portal-redis-")
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, seconds=10):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", self.dir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        wait_until(self.answers, seconds, f"redis-server on port {self.port}")
        return self

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        wait_until(lambda: not self.answers(), 10, f"redis on port {self.port} to stop")

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def routed(app, *, broker_url, queue):
    """The Celery app of this process publishing to `broker_url`, into `queue`, until exit.

    Publishing takes its queue from `app.amqp`'s cached routing tables and its connection from
    pools kombu keeps per broker address, so the tables are dropped here and put back after,
    and the pools of a broker other than the usual one are closed and forgotten at the end.
    A worker already running in this process (the session's) keeps its own connection and
    queue, and so never takes these tasks.
    """
    saved = {key: app.conf[key] for key in ("broker_url", "task_default_queue")}
    saved_amqp, saved_pool = app.__dict__.pop("amqp", None), app._pool
    app._pool = None
    app.conf.update(broker_url=broker_url, task_default_queue=queue)
    try:
        assert app.connection_for_write().as_uri(include_password=True) == broker_url
        yield app
    finally:
        if broker_url != saved["broker_url"]:
            forget_pools(app.connection_for_write())
        app.__dict__.pop("amqp", None)
        app.conf.update(saved)
        app._pool = saved_pool
        if saved_amqp is not None:
            app.__dict__["amqp"] = saved_amqp


def forget_pools(connection):
    """Close kombu's connection and producer pools for one broker address."""
    from kombu import pools
    from kombu.utils.collections import eqhash

    for group in (pools.producers, pools.connections):
        pool = group.pop(eqhash(connection), None)
        if pool is not None:
            pool.force_close_all()


def forget_queue(redis_url, queue):
    """Remove what a test's queue leaves in Redis: the list, its binding, and any task a killed
    worker left unacknowledged (Redis would otherwise put it back in two hours)."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_timeout=2)
    try:
        client.delete(queue, f"_kombu.binding.{queue}")
        for tag, raw in client.hscan_iter("unacked"):
            try:
                _message, exchange, routing_key = json.loads(raw)
            except ValueError:
                continue
            if queue in (exchange, routing_key):
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    except redis.RedisError:
        pass
    finally:
        client.close()
