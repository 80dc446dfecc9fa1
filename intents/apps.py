from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntentsConfig(AppConfig):
    name = "intents"
    verbose_name = _("Letters of intent")

    def ready(self):
        from portal.operations.metrics import register_figures

        register_figures("export_jobs", export_job_figures)


def export_job_figures():
    """Prometheus: the letters' exports (ZIPs of a call's documents) by state, at the scrape."""
    from django.db.models import Count
    from prometheus_client.core import GaugeMetricFamily

    from .models import ExportJob

    counts = dict(ExportJob.objects.order_by().values_list("state").annotate(n=Count("pk")))
    jobs = GaugeMetricFamily(
        "portal_export_jobs",
        "Exports by state: queued, running (being built), done, failed.",
        labels=["state"],
    )
    for state in ExportJob.State:
        jobs.add_metric([state.value], counts.get(state.value, 0))
    yield jobs
