"""Log lines an operator can search: JSON in production, each naming its request.

Every line carries the request id (django-guid keeps it in a context variable for the request,
or for the Celery task that a request queued), and, inside a request, the signed-in user's id
and the path. The id comes from the `X-Request-ID` header our proxy (or the client) sent when it
is sane, else a new one; it is echoed on the response, where gunicorn's access log reads it.
"""

import contextvars
import logging
import re

from django.utils.functional import SimpleLazyObject, empty
from django_guid import clear_guid, get_guid, set_guid
from django_guid.utils import generate_guid
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# What a request id from outside may be: letters, digits and a few separators (a UUID, a hex
# string, a proxy's own format), short enough for a log line. Anything else could forge or
# break a line, and is replaced by a new id.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# The Celery message header that carries the id from the request to the task.
TASK_HEADER = "portal_request_id"

_current_request = contextvars.ContextVar("portal_current_request", default=None)


def is_valid_request_id(value):
    return bool(value) and REQUEST_ID_PATTERN.fullmatch(value) is not None


class RequestIdMiddleware:
    """First in the chain, before django-guid's: drops an `X-Request-ID` header that is not a
    sane id, so django-guid makes a new one (its own check accepts UUID4s only, or anything),
    and remembers the request for the log filter. Both are forgotten when the response has
    been sent (request_finished), not when the chain returns: Django logs a 404 or a 403 after
    the middleware, and that line must name its request too."""

    header_key = "HTTP_" + REQUEST_ID_HEADER.upper().replace("-", "_")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get(self.header_key)
        if given is not None and not is_valid_request_id(given):
            del request.META[self.header_key]
        _current_request.set(request)
        return self.get_response(request)


def forget_request(**kwargs):
    """request_finished: a later line of the same thread names no finished request."""
    _current_request.set(None)
    clear_guid()


def _signed_in_user_id(request):
    """The user's id if the request already knows who it is. Never loads the user: a log line
    must not query the session or the database (nor log from inside the logging)."""
    user = request.__dict__.get("user")
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is not None and getattr(user, "is_authenticated", False):
        return user.pk
    return None


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id and path to every record (None outside a request or task)."""

    def filter(self, record):
        request = _current_request.get()
        record.request_id = get_guid()
        record.user_id = _signed_in_user_id(request) if request is not None else None
        record.path = request.path if request is not None else None
        # A 403 or 404 is an answer, not a fault: Django attaches the exception, but the line
        # needs no traceback (a crawl of refused pages would bury the real ones).
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = record.exc_text = None
        return True


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: timestamp (ISO 8601, UTC), level, logger, message, request_id,
    user_id, path, then any `extra` fields and the exception's traceback if there is one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("fmt", ["levelname", "name", "message", "request_id", "user_id", "path"])
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", True)
        # Django's records carry the request object, whose repr has the query string: the
        # path (and the request id) are enough.
        kwargs.setdefault("reserved_attrs", [*RESERVED_ATTRS, "request"])
        super().__init__(*args, **kwargs)

    def add_fields(self, log_data, record, message_dict):
        super().add_fields(log_data, record, message_dict)
        # The timestamp first, as a reader scans a line.
        if "timestamp" in log_data:
            rest = [(key, value) for key, value in log_data.items() if key != "timestamp"]
            timestamp = log_data["timestamp"]
            log_data.clear()
            log_data["timestamp"] = timestamp
            log_data.update(rest)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


# --- Celery -------------------------------------------------------------------------------
# django-guid's own Celery integration would do the first three, but in-process tasks
# (CELERY_TASK_ALWAYS_EAGER, the laptop and the tests) run inside the request: it would give
# them a new id and then clear the request's. Here an eager task keeps the request's id.


def carry_request_id(headers=None, **kwargs):
    """before_task_publish: the id of the request (or task) that queues the task travels with it."""
    if headers is not None:
        headers[TASK_HEADER] = get_guid()


def adopt_request_id(task=None, **kwargs):
    """task_prerun: the task's lines name the request that queued it (a new id for beat's)."""
    if task is None or task.request.is_eager:
        return
    set_guid(getattr(task.request, TASK_HEADER, None) or generate_guid())


def forget_request_id(task=None, **kwargs):
    """task_postrun: the worker's next task starts with no id."""
    if task is not None and not task.request.is_eager:
        clear_guid()


def keep_django_logging(loglevel=None, **kwargs):
    """setup_logging: Celery leaves the root logger alone (Django's LOGGING already set it up,
    JSON under LOG_FORMAT=json); the worker's --loglevel still applies to Celery's own lines."""
    if loglevel:
        logging.getLogger("celery").setLevel(loglevel)


def connect_signals():
    from celery import signals
    from django.core.signals import request_finished

    request_finished.connect(forget_request, dispatch_uid="portal.operations.forget_request")
    signals.before_task_publish.connect(carry_request_id, weak=False)
    signals.task_prerun.connect(adopt_request_id, weak=False)
    signals.task_postrun.connect(forget_request_id, weak=False)
    signals.setup_logging.connect(keep_django_logging, weak=False)
