"""The schedule run in-process, as `make run` does on a laptop without a broker."""

from django_celery_beat.models import PeriodicTask

from portal.notifications.in_process import run_due_periodic_tasks
from portal.notifications.models import OutboundEmail
from portal.notifications.schedule import ensure_periodic_tasks

REMINDERS = "Deadline reminders and digests"
ARCHIVES = "Archive builds sweeper"
PURGE = "Removed documents purge"  # hourly


def test_due_entries_run_once_until_their_interval_passes(clock, draft, owner):
    ensure_periodic_tasks()
    clock.at(100)
    assert sorted(run_due_periodic_tasks()) == [ARCHIVES, REMINDERS, "Outbox sweeper", PURGE]
    assert OutboundEmail.objects.filter(to=owner.email).count() == 1
    clock.at(99.99)
    assert run_due_periodic_tasks() == []
    clock.at(99.9)  # six minutes later: the hourly purge is not due again
    assert sorted(run_due_periodic_tasks()) == [ARCHIVES, REMINDERS, "Outbox sweeper"]
    assert PeriodicTask.objects.get(name=REMINDERS).total_run_count == 2


def test_an_entry_the_office_disabled_does_not_run(clock, draft, owner):
    ensure_periodic_tasks()
    PeriodicTask.objects.filter(name=REMINDERS).update(enabled=False)
    clock.at(100)
    assert sorted(run_due_periodic_tasks()) == [ARCHIVES, "Outbox sweeper", PURGE]
    assert not OutboundEmail.objects.filter(to=owner.email).exists()
