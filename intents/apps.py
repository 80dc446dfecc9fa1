from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from portal.notifications.schedule import EVERY_HOUR, EVERY_MINUTE


class IntentsConfig(AppConfig):
    name = "intents"
    verbose_name = _("Letters of intent")

    # What intents adds to portal, which never imports it (read by portal/registry.py).
    urls = "intents.site_urls"
    periodic_tasks = [
        {
            "name": gettext_noop("Deadline reminders and digests"),
            "task": "intents.send_due_reminders",
            "description": _("Writes the reminders and digests that are due into the outbox."),
        },
        {
            # Every minute: an archive build lost with its worker is retried about a lease
            # (two minutes) after it stopped, not five minutes later.
            "name": gettext_noop("Archive builds sweeper"),
            "task": "intents.sweep_export_jobs",
            "every": EVERY_MINUTE,
            "description": _("Starts again the archive builds whose worker stopped, and gives up "
                             "after a few attempts."),
        },
        {
            "name": gettext_noop("Removed documents purge"),
            "task": "intents.purge_removed_documents",
            "every": EVERY_HOUR,
            "description": _("Deletes from storage the files of documents removed from drafts "
                             "that no receipt names, once the grace period has passed."),
        },
    ]  # fmt: skip
    # Officers configure calls; letters and documents they only read in the admin, because
    # every change to those goes through the actions.
    office_permissions = [
        "add_call", "change_call", "view_call",
        "add_cooperationmode", "change_cooperationmode", "view_cooperationmode",
        "add_documenttype", "change_documenttype", "view_documenttype",
        "add_extension", "change_extension", "view_extension",
        "view_letterofintent", "view_document",
    ]  # fmt: skip
    organisation_sections = ["intents.letters.views.organisations.letters_section"]
    audit_kinds = [
        "intents.letters.audit_kinds.KINDS",
        "intents.reviewing.audit_kinds.KINDS",
        "intents.office.audit_kinds.KINDS",
    ]
    home = "intents.letters.views.public.home"
    landing = "intents.landing.landing"
    navigation = [
        {
            "key": "reviews",
            "url": "reviewing:reviewer_desk",
            "label": _("Reviews"),
            "visible": "intents.rules.has_reviewer_places",
        },
        {
            "key": "office",
            "url": "office:office_home",
            "label": _("Programme office"),
            "visible": "portal.accounts.rules.is_programme_officer",
        },
    ]

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
