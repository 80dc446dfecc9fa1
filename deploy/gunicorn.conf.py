"""gunicorn for the portal's web nodes: `gunicorn -c deploy/gunicorn.conf.py portal.wsgi`.

Every value can be changed from the environment (docs/DEPLOY.md lists them).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads, not the sync worker: the sync worker is killed after `timeout` seconds inside one
# request, which a large archive download to a slow client outlasts; a gthread worker keeps
# telling the arbiter it is alive while its threads stream.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Recycled now and then, so a slow leak in any library cannot grow a worker without end.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The proxy in front answers slow clients; gunicorn trusts its X-Forwarded-* headers only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "remote": "%(h)s", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_ms": %(M)s, "agent": "%(a)s"}'
)
# gunicorn 25.1+ opens a control socket at a per-user default path, which a second gunicorn of
# the same user on one machine takes over; open one only when asked, at the path given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True


# With PROMETHEUS_MULTIPROC_DIR (docs/DEPLOY.md, Monitoring) each worker writes its request
# counts there: start from an empty folder, and fold a finished worker's live gauges away so
# files of recycled workers do not pile up and slow every scrape.
def on_starting(server):
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
