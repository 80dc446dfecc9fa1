"""The portal as production runs it, started from scratch for a test module and stopped after.

A `ProductionStack` is: a PostgreSQL database of its own (created here, dropped at the end), a
private redis-server (broker and cache, so no task of ours mixes with another run's), a real
S3-compatible server (moto) with a bucket, an SMTP sink, then the deployment's own commands as
deploy/Procfile writes them: `release` started twice at once on the empty schema (two nodes
deploying together must both succeed), `collectstatic`, a Celery `worker`, one `beat`, and
gunicorn `web` nodes on free ports. Every process runs with production settings
(DJANGO_SETTINGS_MODULE=portal.settings, DEBUG=off, SECURE=on) and a minimal environment, so
nothing of the test process's configuration leaks in. Logs stay in a temporary folder.

`Browser` talks to a node over HTTP as a browser behind the reverse proxy would: the proxy
speaks HTTPS to it and tells the portal so (X-Forwarded-Proto), and appends the client's
address to X-Forwarded-For.
"""

import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from tests.notifications.processes import PrivateRedis, wait_until
from tests.notifications.smtp_sink import SmtpSink, free_port
from tests.object_storage import S3Server
from tests.services import require

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROCFILE = ROOT / "deploy" / "Procfile"
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# What the portal's own names look like once collectstatic has hashed them: name.0123abcd4567.css
HASHED = re.compile(r"\.[0-9a-f]{12}\.\w+$")


def unavailable(reason):
    """A service this group needs cannot be had: skipped on a laptop, a failure under CI."""
    require(False, reason)


# --- The deployment's commands ----------------------------------------------------------------


def procfile():
    """deploy/Procfile as {process type: command line}."""
    commands = {}
    for line in PROCFILE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, command = line.partition(":")
            commands[name.strip()] = command.strip()
    return commands


def command_for(kind, env):
    """The Procfile's command for `kind`, with ${NAME:-default} and $NAME expanded from `env`
    as the shell that runs a Procfile would."""

    def expand(match):
        name, default = match.group(1) or match.group(3), match.group(2)
        return env.get(name) or default or ""

    line = re.sub(r"\$\{(\w+)(?::-([^}]*))?\}|\$(\w+)", expand, procfile()[kind])
    return shlex.split(line)


# --- Processes ----------------------------------------------------------------------------------


class Process:
    """A command in its own process group, its output in a log file."""

    def __init__(self, name, argv, env, log_dir):
        self.name = name
        self.argv = argv
        self.env = env
        self.log = Path(log_dir) / f"{name}.log"
        self.process = None

    def start(self):
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                self.argv,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self):
        return self.process.pid

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tail(self, lines=40):
        return "\n".join(self.text().splitlines()[-lines:])

    def wait_for(self, condition, seconds, what):
        def ready():
            if not self.alive():
                raise AssertionError(
                    f"{self.name} exited with {self.process.returncode} while waiting for "
                    f"{what}:\n{self.tail(80)}"
                )
            return condition()

        return wait_until(ready, seconds, f"{what} ({self.name}, log: {self.log})", every=0.2)

    def wait(self, seconds):
        try:
            return self.process.wait(seconds)
        except subprocess.TimeoutExpired as error:
            self.stop()
            raise AssertionError(f"{self.name} still running after {seconds} s") from error

    def stop(self, seconds=15):
        """SIGTERM to the group (a warm shutdown), then SIGKILL for whatever is left."""
        if self.process is None:
            return
        for signum, wait in ((signal.SIGTERM, seconds), (signal.SIGKILL, 10)):
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signum)
            try:
                self.process.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        # Children the leader left behind (gunicorn's or celery's workers) go with the group.
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def children(self):
        path = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []


# --- PostgreSQL ---------------------------------------------------------------------------------


class Database:
    """A database of the stack's own on the PostgreSQL server the suite uses (DATABASE_URL's
    server if it is PostgreSQL, else the local one), created and dropped here."""

    def __init__(self):
        configured = os.environ.get("DATABASE_URL", "")
        server = configured if configured.startswith(("postgres://", "postgresql://")) else ""
        parts = urllib.parse.urlsplit(server or DEFAULT_ADMIN_URL)
        self.name = f"portal_production_{secrets.token_hex(4)}"
        self.admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
        self.url = urllib.parse.urlunsplit(parts._replace(path=f"/{self.name}"))
        self.created = False

    def _admin(self):
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5)

    def create(self):
        try:
            with self._admin() as connection:
                connection.execute(f'CREATE DATABASE "{self.name}"')
        except Exception as error:  # psycopg.OperationalError and friends
            unavailable(f"PostgreSQL at {self.admin_url} cannot create a database: {error}")
        self.created = True
        return self

    def drop(self):
        if not self.created:
            return
        with self._admin() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False

    def query(self, sql, params=()):
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5) as connection:
            return connection.execute(sql, params).fetchall()


# --- The stack ----------------------------------------------------------------------------------


class Node:
    """A gunicorn web node: the Procfile's `web` command on a port of its own."""

    def __init__(self, name, process, port, var_dir):
        self.name = name
        self.process = process
        self.port = port
        self.var_dir = var_dir

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def browser(self, client_ip="203.0.113.10"):
        return Browser(self, client_ip)

    def workers(self):
        """The pids of gunicorn's worker processes (the arbiter's children)."""
        return self.process.children()


class ProductionStack:
    def __init__(self, log_dir=None):
        self.log_dir = Path(log_dir or tempfile.mkdtemp(prefix="portal-production-"))
        self.secret_key = secrets.token_urlsafe(50)
        self.metrics_token = secrets.token_urlsafe(32)
        self.processes = []
        self.nodes = {}
        self.database = None
        self.redis = None
        self.s3 = None
        self.smtp = None
        self.release_logs = []
        self.static_root = self.log_dir / "static"
        self.work_dir = self.log_dir / "work"
        self.timings = {}

    # Services, then the deployment's steps, then the long-running processes.

    def start(self, *, seed_demo=True):
        self._timed("services", self._start_services)
        self._timed("release twice", self.release_on_two_nodes)
        self._timed("collectstatic", self.collectstatic)
        if seed_demo:
            self._timed("seed_demo", self.manage, "seed_demo")
        self.worker = self.start_process("worker", env={"CELERY_CONCURRENCY": "2"})
        self.beat = self.start_process("beat")
        self._timed("worker", self.worker.wait_for, self._worker_ready, 60, "the worker ready")
        self._timed("beat", self.beat.wait_for, self._beat_started, 60, "beat started")
        self._timed("web a", self.start_node, "a")
        return self

    def _timed(self, what, function, *args):
        started = time.monotonic()
        try:
            return function(*args)
        finally:
            self.timings[what] = round(time.monotonic() - started, 1)

    def _worker_ready(self):
        return " ready." in self.worker.text()

    def _beat_started(self):
        return "beat: Starting" in self.beat.text()

    def _start_services(self):
        if not shutil.which("redis-server"):
            unavailable("redis-server is not on PATH")
        if not (BIN / "moto_server").exists():
            unavailable("moto_server is missing: install the dev extras (moto[server])")
        self.database = Database().create()
        self.redis = PrivateRedis(free_port())
        try:
            self.redis.start()
        except AssertionError as error:
            unavailable(f"a private redis-server would not start: {error}")
        self.s3 = S3Server().start()
        self.smtp = SmtpSink().__enter__()

    def env(self, **extra):
        """The environment of every process of the stack: production settings, our services."""
        var_dir = self.log_dir / "var" / "shared"
        base = {
            name: os.environ[name]
            for name in ("HOME", "LANG", "LC_ALL", "TMPDIR", "USER")
            if name in os.environ
        }
        return {
            **base,
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
            "PYTHONUNBUFFERED": "1",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "off",
            "SECURE": "on",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "https://portal.example.org",
            "DATABASE_URL": self.database.url,
            "REDIS_URL": self.redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "STATIC_ROOT": str(self.static_root),
            "PORTAL_VAR_DIR": str(var_dir),
            "PORTAL_WORK_DIR": str(self.work_dir),
            "TRUSTED_PROXY_COUNT": "1",
            "METRICS_TOKEN": self.metrics_token,
            "GUNICORN_GRACEFUL_TIMEOUT": "5",
            **self.s3.settings(),
            **extra,
        }

    def release_on_two_nodes(self):
        """`release` started twice at once on the empty schema, as two nodes deploying together
        would: both must succeed, one migrating while the other waits for the lock and then
        finds nothing to do."""
        env = self.env()
        releases = [
            Process(f"release-{n}", command_for("release", env), env, self.log_dir).start()
            for n in (1, 2)
        ]
        for release in releases:
            release.wait(300)
        self.release_logs = [release.text() for release in releases]
        failed = [r for r in releases if r.process.returncode != 0]
        assert not failed, "\n\n".join(
            f"{r.name} exited with {r.process.returncode}:\n{r.tail(60)}" for r in failed
        )

    def collectstatic(self):
        self.manage("collectstatic", "--no-input", timeout=300)
        assert (self.static_root / "staticfiles.json").exists(), "no manifest after collectstatic"

    def manage(self, *args, timeout=180, env=None):
        """`python manage.py …` with the stack's settings; its output, or a failure with it."""
        return self.run([str(BIN / "python"), "manage.py", *args], timeout=timeout, env=env)

    def run(self, argv, timeout=180, env=None):
        result = subprocess.run(
            argv,
            cwd=ROOT,
            env=env or self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        with (self.log_dir / "commands.log").open("a") as log:
            log.write(f"$ {shlex.join(argv)}\n{result.stdout}{result.stderr}\n")
        assert result.returncode == 0, (
            f"{shlex.join(argv)} exited with {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
        return result.stdout

    def build(self, module, *args):
        """Run `python -m tests.production.<module> OUT …` against the stack's database and
        return the JSON it wrote to OUT (what it made: ids, paths, users)."""
        out = self.log_dir / f"{module}-{secrets.token_hex(3)}.json"
        self.run(
            [str(BIN / "python"), "-m", f"tests.production.{module}", str(out), *args], timeout=300
        )
        return json.loads(out.read_text())

    def start_process(self, kind, *, name=None, env=None):
        environment = self.env(**(env or {}))
        process = Process(name or kind, command_for(kind, environment), environment, self.log_dir)
        self.processes.append(process.start())
        return process

    def start_node(self, name, **env):
        """A web node with its own PORTAL_VAR_DIR, as a separate machine would have (and any
        other variable given here)."""
        port = free_port()
        var_dir = self.log_dir / "var" / name
        process = self.start_process(
            "web",
            name=f"web-{name}",
            env={
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "2",
                "GUNICORN_THREADS": "4",
                "PORTAL_VAR_DIR": str(var_dir),
                "PORTAL_WORK_DIR": str(var_dir / "work"),
                "PROMETHEUS_MULTIPROC_DIR": str(var_dir / "metrics"),
                **env,
            },
        )
        node = Node(name, process, port, var_dir)
        process.wait_for(lambda: _answers(node), 60, f"node {name} answering /healthz")
        self.nodes[name] = node
        return node

    # The end.

    def report(self, lines=30):
        """The tail of every log, for a failure message."""
        parts = [
            f"--- {p.name} ({p.log}) ---\n{p.tail(lines)}" for p in self.processes if p.log.exists()
        ]
        return f"logs in {self.log_dir}; start-up {self.timings}\n" + "\n".join(parts)

    def stop(self):
        # Web nodes, beat and worker stop side by side (each takes a few seconds to drain).
        with ThreadPoolExecutor(max_workers=max(1, len(self.processes))) as pool:
            list(pool.map(Process.stop, self.processes))
        if self.smtp is not None:
            self.smtp.__exit__(None, None, None)
        if self.s3 is not None:
            self.s3.cleanup()
        if self.redis is not None and self.redis.process is not None:
            self.redis.stop()
        if self.database is not None:
            self.database.drop()
        # The logs stay; the collected files and the nodes' folders go.
        for folder in (self.static_root, self.log_dir / "var", self.work_dir):
            shutil.rmtree(folder, ignore_errors=True)


def _answers(node):
    import requests

    try:
        return requests.get(f"{node.base_url}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


# --- HTTP, as through the proxy -------------------------------------------------------------------


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Browser:
    """A requests session against one node, with the headers the proxy adds. `on(other)` is
    the same browser (same cookies) sent to another node, as a load balancer would."""

    def __init__(self, node, client_ip, session=None):
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        self.node = node
        self.client_ip = client_ip
        if session is None:
            session = requests.Session()
            # A GET sent on a keep-alive connection the server is closing is sent again, as a
            # browser (or the proxy) does; a POST never is.
            retry = Retry(total=2, allowed_methods={"GET", "HEAD"}, status=0)
            session.mount("http://", HTTPAdapter(max_retries=retry))
        self.session = session
        self.session.headers.update(
            {"X-Forwarded-Proto": "https", "X-Forwarded-For": client_ip, "User-Agent": "smoke"}
        )
        self.last_code = None

    def on(self, node):
        browser = Browser(node, self.client_ip, self.session)
        browser.last_code = self.last_code
        return browser

    def url(self, path):
        return urllib.parse.urljoin(self.node.base_url + "/", path.lstrip("/"))

    def get(self, path, **options):
        options.setdefault("allow_redirects", False)
        options.setdefault("timeout", 60)
        return self._kept(self.session.get(self.url(path), **options))

    def _kept(self, response):
        """The browser speaks HTTPS to the proxy, so it sends back the Secure cookies (session,
        CSRF) the portal sets; only the proxy-to-node hop is plain HTTP, over which requests
        would withhold them."""
        for cookie in self.session.cookies:
            cookie.secure = False
        return response

    def post(self, path, data=None, *, form_from=None, page=None, **options):
        """POST with the CSRF token of the page `form_from` (default: `path`), or of `page`
        (a response already read: some forms change with each GET), and the Origin header a
        browser sends."""
        page = page or self.get(form_from or path)
        token = csrf_token(page.text)
        options.setdefault("allow_redirects", False)
        options.setdefault("timeout", 120)
        origin = f"https://127.0.0.1:{self.node.port}"
        response = self.session.post(
            self.url(path),
            data={**(data or {}), "csrfmiddlewaretoken": token},
            headers={"Origin": origin, "Referer": origin + path},
            **options,
        )
        return self._kept(response)

    def follow(self, path, limit=10):
        """GET `path` and the redirects after it: (the last response, its path)."""
        for _hop in range(limit):
            response = self.get(path)
            if response.status_code not in (301, 302, 303):
                return response, path
            target = urllib.parse.urlsplit(urllib.parse.urljoin(path, response.headers["Location"]))
            path = target.path + (f"?{target.query}" if target.query else "")
        raise AssertionError(f"more than {limit} redirects from {path}")

    def sign_in(self, email, password, totp_secret=None):
        """Through allauth's form, then its two-factor step when the account has an app."""
        response = self.post("/accounts/login/", {"login": email, "password": password})
        assert response.status_code == 302, (
            f"signing in as {email} answered {response.status_code}:\n{response.text[:2000]}"
        )
        if "/2fa/authenticate" in response.headers["Location"]:
            assert totp_secret, f"{email} is asked for a code but has no authenticator secret"
            response = self._second_factor(response.headers["Location"], totp_secret)
        assert "/accounts/login" not in response.headers["Location"], response.headers
        return response

    def _second_factor(self, path, secret):
        from tests.factories import authenticator_code

        for _attempt in range(3):
            code = authenticator_code(secret)
            if code == self.last_code:
                # A code is taken once (allauth remembers it): wait for the app's next one.
                time.sleep(31 - time.time() % 30)
                code = authenticator_code(secret)
            self.last_code = code
            response = self.post(path, {"code": code})
            if response.status_code == 302:
                return response
        raise AssertionError(f"the authenticator code was refused:\n{response.text[:2000]}")


def csrf_token(html):
    match = CSRF_FIELD.search(html)
    assert match, f"no CSRF token in the page:\n{html[:1500]}"
    return match.group(1)


STATIC_REFERENCE = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def static_references(html):
    return set(STATIC_REFERENCE.findall(html))
