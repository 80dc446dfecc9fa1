"""The periodic tasks beat runs, kept in the database (django-celery-beat) so the office can
see and change them. Written after every migrate; an entry the office changed is left alone."""

from django.utils.translation import gettext_lazy as _

EVERY_FIVE_MINUTES = 5 * 60

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
]  # fmt: skip


def ensure_periodic_tasks(**kwargs):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    every, _created = IntervalSchedule.objects.get_or_create(
        every=EVERY_FIVE_MINUTES, period=IntervalSchedule.SECONDS
    )
    for entry in DEFAULT_PERIODIC_TASKS:
        PeriodicTask.objects.get_or_create(
            name=entry["name"],
            defaults={
                "task": entry["task"],
                "interval": every,
                "description": str(entry["description"]),
            },
        )
