"""Prometheus metrics: django-prometheus's request counts and latencies, plus the portal's own
figures, computed from the database at each scrape.

Figures: an app adds its own with `register_figures(name, source)` from its AppConfig.ready(),
where `source` returns metric families (prometheus_client.core.GaugeMetricFamily …) computed
now. The outbox's are here; the letters' export jobs are added by intents (intents/apps.py),
since portal/ never imports intents/. Figures read the database, shared by every process, so
they need nothing of prometheus_client's multiprocess mode.

Request metrics are counted in each process. gunicorn runs several: with the environment
variable PROMETHEUS_MULTIPROC_DIR set (an empty folder, the same for every worker of a node,
emptied when gunicorn starts), each process writes its counts there and a scrape adds them up
(prometheus_client's multiprocess mode); without it, a scrape sees one worker's counts only.
"""

import hmac
import ipaddress
import logging
import os

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

from portal.security.network import client_ip

logger = logging.getLogger(__name__)

_sources = {}


def register_figures(name, source):
    """Adds `source()` (an iterable of metric families) to every scrape, under `name`.
    Registering a name again replaces its source."""
    _sources[name] = source


class FiguresCollector:
    """Every registered source's figures, and portal_figures_up saying which ones worked: a
    source that fails (its database query, say) is logged and left out, not the whole scrape."""

    def describe(self):
        return []

    def collect(self):
        up = GaugeMetricFamily(
            "portal_figures_up",
            "1 if the source's figures were computed at this scrape, 0 if it failed (see the log).",
            labels=["source"],
        )
        for name, source in sorted(_sources.items()):
            try:
                families = list(source())
            except Exception:
                logger.exception("The %s figures could not be computed for a scrape", name)
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up


def outbox_figures():
    """How many e-mails wait, are in flight or failed, and how long the oldest has waited."""
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    State = OutboundEmail.State
    counted = (State.QUEUED, State.SENDING, State.FAILED)
    row = OutboundEmail.objects.filter(state__in=counted).aggregate(
        **{state.value: Count("pk", filter=Q(state=state)) for state in counted},
        oldest_queued=Min("created_at", filter=Q(state=State.QUEUED)),
    )
    messages = GaugeMetricFamily(
        "portal_outbox_messages",
        "E-mails in the outbox by state: queued (waiting for a worker or a retry), sending "
        "(claimed by a worker: in flight), failed (given up; the office can send them again).",
        labels=["state"],
    )
    for state in counted:
        messages.add_metric([state.value], row[state.value])
    oldest = row["oldest_queued"]
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    yield messages
    yield GaugeMetricFamily(
        "portal_outbox_oldest_queued_age_seconds",
        "Seconds since the oldest queued e-mail was written (0 when none is queued).",
        value=max(age, 0.0),
    )


register_figures("outbox", outbox_figures)


def exposition():
    """The text a scrape reads: request metrics (added up over gunicorn's processes in
    multiprocess mode), then the figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    figures = CollectorRegistry(auto_describe=False)
    figures.register(FiguresCollector())
    return generate_latest(registry) + generate_latest(figures)


def _has_token(request):
    token = settings.METRICS_TOKEN
    if not token:
        return False
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def _from_allowed_address(request):
    if not settings.METRICS_ALLOWED_IPS:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except (ValueError, ImproperlyConfigured):
        return False
    return any(
        address in ipaddress.ip_network(allowed, strict=False)
        for allowed in settings.METRICS_ALLOWED_IPS
    )


def may_scrape(request):
    """The configured scraper (its bearer token, or its address) or a programme officer (who
    has passed two-factor authentication: OfficerMFAMiddleware sees to it)."""
    if _has_token(request) or _from_allowed_address(request):
        return True
    user = request.user
    return user.is_authenticated and user.is_programme_officer
