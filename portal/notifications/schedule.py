"""The periodic tasks beat runs, kept in the database (django-celery-beat) so the office can
see and change them. Written after every migrate; an entry the office changed is left alone."""

from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from portal.presentation import moment_text
from portal.registry import app_configs_with

EVERY_MINUTE = 60
EVERY_FIVE_MINUTES = 5 * 60
EVERY_HOUR = 60 * 60

# The outbox's own; the apps above portal add theirs (their AppConfig's `periodic_tasks`, each
# entry like these, "every" in seconds, five minutes if left out; see portal/registry.py). The
# name is the row's key, so it is kept in English and translated where it is shown.
DEFAULT_PERIODIC_TASKS = [
    {
        "name": gettext_noop("Outbox sweeper"),
        "task": "notifications.sweep_outbox",
        "description": _("Sends again what waited too long: queued while the broker was down, "
                         "or in flight when a worker died."),
    },
]  # fmt: skip


def periodic_task_entries():
    added = [
        entry for config in app_configs_with("periodic_tasks") for entry in config.periodic_tasks
    ]
    return DEFAULT_PERIODIC_TASKS + added


def ensure_periodic_tasks(**kwargs):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    for entry in periodic_task_entries():
        every, _created = IntervalSchedule.objects.get_or_create(
            every=entry.get("every", EVERY_FIVE_MINUTES), period=IntervalSchedule.SECONDS
        )
        PeriodicTask.objects.get_or_create(
            name=entry["name"],
            defaults={
                "task": entry["task"],
                "interval": every,
                "description": str(entry["description"]),
            },
        )


def in_reader_language(text):
    """A name or description beat keeps, translated when it is still the one we wrote (the
    rows hold English, written at migrate); one the office changed in the admin is shown as
    typed."""
    # gettext("") would answer the catalogue's header.
    return gettext(text) if text else text


def periodic_tasks():
    """Every entry beat runs, with its schedule, in one query (for the office's page)."""
    from django_celery_beat.models import PeriodicTask

    return PeriodicTask.objects.select_related("interval", "crontab", "solar", "clocked").order_by(
        "name"
    )


# Whole units, largest first, for an interval in words.
UNITS = [
    (86400, lambda n: ngettext("every day", "every %(count)s days", n)),
    (3600, lambda n: ngettext("every hour", "every %(count)s hours", n)),
    (60, lambda n: ngettext("every minute", "every %(count)s minutes", n)),
    (1, lambda n: ngettext("every second", "every %(count)s seconds", n)),
]
SECONDS_PER = {"days": 86400, "hours": 3600, "minutes": 60, "seconds": 1}


def in_words(task):
    """A periodic task's schedule as the office would say it: "every 5 minutes"."""
    if task.interval is not None:
        interval = task.interval
        if interval.period not in SECONDS_PER:  # microseconds
            return str(interval)
        seconds = interval.every * SECONDS_PER[interval.period]
        for size, words in UNITS:
            if seconds % size == 0:
                return words(seconds // size) % {"count": seconds // size}
    if task.crontab is not None:
        return task.crontab.human_readable
    if task.clocked is not None:
        return _("once, at %(moment)s") % {"moment": moment_text(task.clocked.clocked_time)}
    if task.solar is not None:
        return str(task.solar)
    return _("no schedule")
