"""Faults with real processes: a Celery worker process on Redis, sending to a real SMTP server
(aiosmtpd on loopback) that counts only what it answered 250.

Every test publishes into a queue of its own (`queue` fixture) that only its worker processes
read; they share the test's database, so the test needs `transactional_db`.
"""

import datetime as dt
import json
import re
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from intents.models import CallRegistration, LetterOfIntent
from intents.reminders.engine import send_due
from intents.tasks import send_due_reminders
from portal.celery import app
from portal.notifications.models import OutboundEmail
from portal.notifications.outbox import queue_email
from portal.notifications.tasks import sweep_outbox
from portal.organisations.models import Role

from ..conftest import attach_pdf
from ..factories import (
    CallFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
    complete_letter_fields,
)
from .processes import PrivateRedis, new_queue_name, routed, wait_until
from .smtp_sink import free_port

pytestmark = pytest.mark.broker

State = OutboundEmail.State
# The worker's INFO line for a finished run of the reminder task: when it ended, how long it
# took, how many rows it wrote.
# Celery's line for a finished run, in the worker's log (one JSON object per line).
RUN_LOG = re.compile(r"Task intents\.send_due_reminders\[[^]]+\] succeeded in ([\d.]+)s: (\d+)")


def states():
    return {
        state: OutboundEmail.objects.filter(state=state).count()
        for state in (State.QUEUED, State.SENDING, State.SENT, State.FAILED)
    }


def all_sent(count):
    return lambda: OutboundEmail.objects.filter(state=State.SENT).count() == count


def sweep_now(settings, older_than_seconds=1):
    """The beat's sweeper, with a short staleness so the test need not wait ten minutes."""
    settings.OUTBOX_STALE_SECONDS = older_than_seconds
    time.sleep(older_than_seconds + 0.1)
    return sweep_outbox()


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    sink, redis_url, queue, workers, settings
):
    """500 messages; the worker is SIGKILLed while the SMTP server holds message 250 unanswered,
    so that message is in flight: claimed in the database, not accepted by the server.

    Late acks keep its task in Redis, but Redis hands an unacknowledged task back only after
    the visibility timeout (two hours), so the restarted worker goes on with the rest and the
    sweeper re-sends the row left in flight.

    Not covered, and not coverable: a death after the server's 250 and before our commit of
    "sent". That message is re-sent by the sweeper; it carries the same Message-ID
    (OutboundEmail.message_id) as the first copy, so the receiving side can recognise it.
    """
    count, held = 500, 250
    sink.hold(f"applicant{held}@example.org")
    worker = workers(broker_url=redis_url, queue=queue, smtp_port=sink.port)
    with transaction.atomic():
        for number in range(1, count + 1):
            queue_email(
                key=f"fault:{number}",
                to=f"applicant{number}@example.org",
                subject=f"Message {number}",
                body_text="Body",
            )
    in_flight = OutboundEmail.objects.get(idempotency_key=f"fault:{held}")

    assert sink.handler.holding.wait(25), "the worker never reached the held message"
    worker.kill()
    assert sink.handler.gone.wait(5), "the server did not see the worker's connection end"
    in_flight.refresh_from_db()
    assert in_flight.state == State.SENDING
    assert len(sink.messages) == held - 1

    workers(broker_url=redis_url, queue=queue, smtp_port=sink.port)
    wait_until(all_sent(count - 1), 25, "the restarted worker to send the rest")
    assert sweep_now(settings) == 1
    wait_until(all_sent(count), 10, "the sweeper's re-send")

    arrivals = sink.arrivals()
    assert len(arrivals) == count
    assert [mid for mid, times in arrivals.items() if times > 1] == []
    assert states() == {State.QUEUED: 0, State.SENDING: 0, State.SENT: count, State.FAILED: 0}
    in_flight.refresh_from_db()
    assert in_flight.attempts == 2
    assert arrivals[in_flight.message_id] == 1
    assert [envelope.rcpt_tos for envelope in sink.handler.abandoned] == [
        [f"applicant{held}@example.org"]
    ]


def test_a_worker_killed_inside_a_task_of_fifty_leaves_its_unsent_rows_to_the_sweeper(
    sink, redis_url, queue, workers, settings
):
    """120 rows queued in one transaction, handed to the broker on its commit 50 to a task. The
    worker is SIGKILLed while the server holds row 30 unanswered: the task had claimed rows 1
    to 50 in one commit and sent 29 of them, so 21 stay in flight; the other tasks are
    untouched. The restarted worker sends rows 51 to 120 and the sweeper the 21: all arrive,
    none twice."""
    count, held, batch = 120, 30, settings.OUTBOX_BATCH_SIZE
    sink.hold(f"applicant{held}@example.org")
    with transaction.atomic():
        for number in range(1, count + 1):
            queue_email(
                key=f"batch:{number}",
                to=f"applicant{number}@example.org",
                subject=f"Message {number}",
                body_text="Body",
            )
    worker = workers(broker_url=redis_url, queue=queue, smtp_port=sink.port)

    assert sink.handler.holding.wait(25), "the worker never reached the held message"
    worker.kill()
    assert sink.handler.gone.wait(5), "the server did not see the worker's connection end"
    assert states() == {
        State.QUEUED: count - batch,
        State.SENDING: batch - held + 1,
        State.SENT: held - 1,
        State.FAILED: 0,
    }

    workers(broker_url=redis_url, queue=queue, smtp_port=sink.port)
    wait_until(all_sent(count - (batch - held + 1)), 25, "the restarted worker to send the rest")
    assert sweep_now(settings) == batch - held + 1
    wait_until(all_sent(count), 10, "the sweeper's re-send")

    arrivals = sink.arrivals()
    assert len(arrivals) == count
    assert [mid for mid, times in arrivals.items() if times > 1] == []
    attempts = dict(OutboundEmail.objects.values_list("idempotency_key", "attempts"))
    assert {key for key, tries in attempts.items() if tries == 2} == {
        f"batch:{number}" for number in range(held, batch + 1)
    }


def complete_letters(call, mode, document_type, count):
    """`count` organisations, each with an owner and a complete draft, ready to submit."""
    letters = []
    for _ in range(count):
        owner = MembershipFactory(role=Role.OWNER).user
        letter = LetterFactory(
            call=call,
            mode=mode,
            organisation=owner.memberships.get().organisation,
            created_by=owner,
            **complete_letter_fields(),
        )
        attach_pdf(letter, owner, document_type)
        letter.refresh_from_db()
        letters.append((letter, owner))
    return letters


def submit_through_the_page(client, letter, owner):
    client.force_login(owner)
    started = time.monotonic()
    response = client.post(
        reverse("letters:letter_submit", args=[letter.pk]), {"version": letter.version}
    )
    seconds = time.monotonic() - started
    assert response.status_code == 302
    assert response["Location"] == reverse("letters:letter_receipt", args=[letter.pk, 1])
    return seconds


@pytest.mark.usefixtures("redis_server_binary")
def test_applicants_submit_while_redis_is_down_and_receipts_go_out_once_it_is_back(
    client, redis_url, sink, workers, settings, call, mode, signed_letter_type
):
    """The web keeps accepting letters with the broker down; the receipts wait in the outbox
    and the sweeper hands them to the broker once it is back. The broker is a redis-server of
    the test's own (without persistence), so stopping it disturbs nothing else."""
    letters = complete_letters(call, mode, signed_letter_type, count=5)
    broker = PrivateRedis(free_port()).start()
    queue = new_queue_name()
    try:
        with routed(app, broker_url=broker.url, queue=queue):
            workers(broker_url=broker.url, queue=queue, smtp_port=sink.port)
            # While the broker is up, the receipt goes through it: this process really
            # publishes to the private Redis (the worker reads nothing else).
            first, *others = letters
            submit_through_the_page(client, *first)
            wait_until(lambda: len(sink.messages) == 1, 10, "the first receipt")

            broker.stop()
            for letter, owner in others:
                assert submit_through_the_page(client, letter, owner) < 2
            waiting = OutboundEmail.objects.filter(idempotency_key__startswith="receipt:")
            assert waiting.filter(state=State.QUEUED).count() == len(others)
            assert LetterOfIntent.objects.filter(state=LetterOfIntent.State.SUBMITTED).count() == 5

            broker.start()
            assert sweep_now(settings) == len(others)
            wait_until(all_sent(len(letters)), 25, "the receipts once Redis is back")
    finally:
        broker.stop()

    arrivals = sink.arrivals()
    receipts = OutboundEmail.objects.filter(idempotency_key__startswith="receipt:")
    assert sorted(arrivals) == sorted(email.message_id for email in receipts)
    assert set(arrivals.values()) == {1}
    assert sorted(envelope.rcpt_tos[0] for envelope in sink.messages) == sorted(
        owner.email for _letter, owner in letters
    )


def queue_one(to):
    with transaction.atomic():
        return queue_email(key=f"fault:{to}", to=to, subject="Hello", body_text="Body")[0]


def test_a_server_that_answers_421_three_times_gets_the_message_once_on_the_fourth_try(
    sink, redis_url, queue, workers
):
    sink.script("busy@example.org", *["421 4.3.2 Service not available, try later"] * 3)
    workers(
        broker_url=redis_url,
        queue=queue,
        smtp_port=sink.port,
        env={"OUTBOX_RETRY_SECONDS": "0.2"},
    )
    email = queue_one("busy@example.org")
    wait_until(all_sent(1), 15, "the message after three deferrals")
    email.refresh_from_db()
    assert email.attempts == 4
    assert email.last_error == ""
    assert [reply for reply, _envelope in sink.handler.refused] == [
        "421 4.3.2 Service not available, try later"
    ] * 3
    assert list(sink.arrivals().values()) == [1]


def test_a_server_that_answers_550_gets_the_message_marked_failed_with_the_reason(
    sink, redis_url, queue, workers, client, officer
):
    sink.script("gone@example.org", "550 5.1.1 Mailbox unavailable")
    workers(broker_url=redis_url, queue=queue, smtp_port=sink.port)
    email = queue_one("gone@example.org")
    wait_until(
        lambda: OutboundEmail.objects.filter(pk=email.pk, state=State.FAILED).exists(),
        10,
        "the row marked failed",
    )
    email.refresh_from_db()
    assert email.attempts == 1
    assert email.last_error.startswith("550 ")
    assert "Mailbox unavailable" in email.last_error
    assert sink.messages == []
    # The office reads the server's reason on its outbox page.
    client.force_login(officer)
    page = client.get(reverse("notifications:outbox"), {"state": "failed"})
    assert page.status_code == 200
    assert "550 5.1.1 Mailbox unavailable" in page.content.decode()


def runs_logged(worker, count):
    """(ended, seconds, rows written) of each finished reminder run, once there are `count`."""
    runs = []
    for line in worker.text().splitlines():
        if not line.startswith("{"):
            continue  # Celery's start-up banner
        entry = json.loads(line)
        found = RUN_LOG.fullmatch(entry["message"])
        if found:
            ended = dt.datetime.fromisoformat(entry["timestamp"]).timestamp()
            runs.append((ended, float(found[1]), int(found[2])))
    return runs if len(runs) == count else None


def test_reminders_run_twice_at_once_and_again_an_hour_later_arrive_once(
    sink, redis_url, queue, workers
):
    """Two runs of the beat task at the same moment on a worker with two processes, then a run
    an hour later at the same point of the schedule: each reminder arrives once.

    The worker runs on the real clock and the task takes no time argument, so the call closes
    2.5 hours from now (the "3 hours before" reminder is due and stays the latest due one for
    the next 2.5 hours) instead of at tests/reminders' fixed DEADLINE; the later run is the
    engine called in this process with `now` an hour ahead."""
    now = timezone.now()
    call = CallFactory(
        opens_at=now - dt.timedelta(days=90),
        deadline=now + dt.timedelta(hours=2, minutes=30),
        reminder_hours=[30 * 24, 7 * 24, 24, 3],
    )
    mode = ModeFactory(call=call, number=3)
    for _ in range(15):
        organisation = MembershipFactory(role=Role.OWNER).organisation
        MembershipFactory(organisation=organisation, role=Role.EDITOR)
        LetterFactory(call=call, mode=mode, organisation=organisation)
    for _ in range(10):
        registered = MembershipFactory(role=Role.OWNER).organisation
        CallRegistration.objects.create(call=call, organisation=registered)
    expected = 15 * 2 + 10

    worker = workers(broker_url=redis_url, queue=queue, smtp_port=sink.port, pool="prefork",
                     concurrency=2)  # fmt: skip
    send_due_reminders.delay()
    send_due_reminders.delay()
    wait_until(all_sent(expected), 25, "the reminders")
    runs = wait_until(lambda: runs_logged(worker, 2), 5, "both runs in the worker's log")
    starts, ends = zip(*((end - seconds, end) for end, seconds, _written in runs), strict=True)
    assert max(starts) < min(ends), "the two runs did not overlap"
    # Between them the two runs wrote each reminder once, however they interleaved.
    assert sum(written for _end, _seconds, written in runs) == expected

    assert send_due(now=timezone.now() + dt.timedelta(hours=1)) == 0
    time.sleep(1)
    assert OutboundEmail.objects.count() == expected
    arrivals = sink.arrivals()
    assert len(arrivals) == expected
    assert set(arrivals.values()) == {1}
    assert states()[State.SENT] == expected
