"""The reminder task as beat runs it: twice at once, again later, in a bounded number of
queries, and on the schedule kept in the database."""

import threading
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from intents.reminders.engine import send_due
from intents.tasks import send_due_reminders
from portal.notifications.models import OutboundEmail
from portal.notifications.schedule import ensure_periodic_tasks

from ..factories import LetterFactory, MembershipFactory, UserFactory
from .conftest import register


def organisations_with_drafts(call, mode, count):
    for _ in range(count):
        membership = MembershipFactory()
        MembershipFactory(organisation=membership.organisation, role="editor")
        LetterFactory(organisation=membership.organisation, mode=mode)
        register(call, MembershipFactory().organisation)


def run_at_once(times):
    """`send_due` in `times` threads released together; what each wrote."""
    barrier = threading.Barrier(times)
    written, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            written.append(send_due())
        except Exception as error:  # reported below, with the thread's own traceback lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return written


def test_two_runs_at_once_write_each_reminder_once(transactional_db, clock, call, mode):
    organisations_with_drafts(call, mode, 6)
    UserFactory(is_programme_officer=True)
    clock.at(100)
    written = run_at_once(2)
    keys = list(OutboundEmail.objects.values_list("idempotency_key", flat=True))
    # Six drafts with an owner and an editor, six registered organisations with an owner, and
    # the officer's digest (100 hours before the deadline is in the last week).
    assert len(keys) == 19
    assert Counter(keys).most_common(1)[0][1] == 1
    assert sum(written) == 19
    clock.at(99)
    assert run_at_once(2) == [0, 0]
    assert OutboundEmail.objects.count() == 19


def test_a_run_with_nothing_new_reads_in_a_fixed_number_of_queries(clock, call, mode):
    def queries_for_a_second_run(organisations):
        organisations_with_drafts(call, mode, organisations)
        send_due()
        with CaptureQueriesContext(connection) as context:
            assert send_due() == 0
        return len(context.captured_queries)

    clock.at(100)
    few = queries_for_a_second_run(2)
    OutboundEmail.objects.all().delete()
    many = queries_for_a_second_run(30)
    assert few == many


def test_the_task_writes_what_is_due(clock, draft, owner):
    """The task itself, run here on the frozen clock (the broker's path: tests/notifications/
    test_faults.py)."""
    clock.at(100)
    send_due_reminders.apply()
    assert OutboundEmail.objects.filter(to=owner.email).count() == 1


def test_the_schedule_is_in_the_database_for_the_office_to_change(db, settings):
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"
    ensure_periodic_tasks()
    tasks = {task.task: task for task in PeriodicTask.objects.all()}
    assert tasks["intents.send_due_reminders"].interval.every == 300
    assert tasks["notifications.sweep_outbox"].interval.every == 300
    # An entry the office changed is left as it is by the next migrate.
    reminders = tasks["intents.send_due_reminders"]
    reminders.enabled = False
    reminders.save()
    ensure_periodic_tasks()
    assert not PeriodicTask.objects.get(pk=reminders.pk).enabled


def test_the_visibility_timeout_outlasts_the_longest_retry(settings):
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert timeout > settings.OUTBOX_RETRY_MAX_SECONDS
    assert settings.CELERY_TASK_ACKS_LATE
    assert settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1
