"""The periodic tasks beat runs, kept in the database (django-celery-beat) so the office can
see and change them. Written after every migrate; an entry the office changed is left alone."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

EVERY_MINUTE = 60
EVERY_FIVE_MINUTES = 5 * 60
EVERY_HOUR = 60 * 60

DEFAULT_PERIODIC_TASKS = [
    {
        "name": "Deadline reminders and digests",
        "task": "intents.send_due_reminders",
        "description": _("Writes the reminders and digests that are due into the outbox."),
    },
    {
        "name": "Outbox sweeper",
        "task": "notifications.sweep_outbox",
        "description": _("Sends again what waited too long: queued while the broker was down, "
                         "or in flight when a worker died."),
    },
    {
        # Every minute: an archive build lost with its worker is retried about a lease
        # (two minutes) after it stopped, not five minutes later.
        "name": "Archive builds sweeper",
        "task": "intents.sweep_export_jobs",
        "every": EVERY_MINUTE,
        "description": _("Starts again the archive builds whose worker stopped, and gives up "
                         "after a few attempts."),
    },
    {
        "name": "Removed documents purge",
        "task": "intents.purge_removed_documents",
        "every": EVERY_HOUR,
        "description": _("Deletes from storage the files of documents removed from drafts that "
                         "no receipt names, once the grace period has passed."),
    },
]  # fmt: skip


def ensure_periodic_tasks(**kwargs):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    for entry in DEFAULT_PERIODIC_TASKS:
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
        moment = timezone.localtime(task.clocked.clocked_time)
        return _("once, at %(moment)s") % {"moment": formats.date_format(moment, "Y-m-d H:i T")}
    if task.solar is not None:
        return str(task.solar)
    return _("no schedule")
