import socket
import threading
import time
from contextlib import suppress
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from portal.notifications import delivery
from portal.notifications.models import OutboundEmail
from portal.notifications.outbox import queue_email
from portal.notifications.tasks import sweep_outbox

from .smtp_sink import SmtpSink, free_port

State = OutboundEmail.State


def wait_for_state(email_id, state, seconds=20):
    """With a real worker the task runs elsewhere; without one it already ran."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        email = OutboundEmail.objects.get(pk=email_id)
        if email.state == state:
            return email
        time.sleep(0.05)
    raise AssertionError(f"outbox row {email_id} stayed {email.state}, wanted {state}")


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback, and the portal pointed at it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    with SmtpSink() as sink:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        yield sink


@pytest.fixture
def no_smtp_server(settings):
    """The portal pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()


@pytest.fixture
def silent_smtp_server(settings):
    """A server that takes connections and never says a word, as a stuck relay does; it counts
    the connections. The portal is pointed at it with a short time-out."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 0.3
    listener = socket.create_server(("127.0.0.1", 0))
    settings.EMAIL_HOST, settings.EMAIL_PORT = listener.getsockname()
    held = []

    def accept():
        with suppress(OSError):  # the listener closed at the end of the test
            while True:
                held.append(listener.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield held
    listener.close()
    for connection in held:
        connection.close()


def queue(key="test:1", to="someone@example.org"):
    email, _created = queue_email(
        key=key, to=to, subject="Hello", body_text="Body", body_html="<p>Body</p>"
    )
    return email


def test_the_same_key_is_queued_once(db):
    first = queue()
    second = queue()
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(transactional_db, celery_worker_session):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the change failed")
    assert not OutboundEmail.objects.exists()


@pytest.mark.broker
def test_a_committed_email_is_sent_by_the_worker(transactional_db, celery_worker_session):
    with transaction.atomic():
        email = queue(to="applicant@example.org")
    sent = wait_for_state(email.pk, State.SENT)
    assert sent.attempts == 1
    assert sent.sent_at is not None
    assert [message.to for message in mail.outbox] == [["applicant@example.org"]]
    assert mail.outbox[0].alternatives[0][0] == "<p>Body</p>"


def test_the_emails_of_one_transaction_go_to_the_broker_in_one_callback(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for number in range(120):
            queue(key=f"test:{number}")
    assert len(callbacks) == 1


@pytest.mark.broker
def test_an_email_queued_outside_a_transaction_is_sent_at_once(
    transactional_db, celery_worker_session
):
    email = queue(to="applicant@example.org")
    wait_for_state(email.pk, State.SENT)
    assert [message.to for message in mail.outbox] == [["applicant@example.org"]]


@pytest.mark.broker
def test_an_email_queued_after_a_rolled_back_savepoint_is_still_sent(
    transactional_db, celery_worker_session
):
    """The savepoint's rollback drops the callback its first e-mail registered; the next e-mail
    of the transaction registers another."""
    with transaction.atomic():
        with suppress(RuntimeError), transaction.atomic():
            queue(key="test:undone", to="undone@example.org")
            raise RuntimeError("the inner change failed")
        email = queue(key="test:kept", to="kept@example.org")
    wait_for_state(email.pk, State.SENT)
    assert [message.to for message in mail.outbox] == [["kept@example.org"]]
    assert list(OutboundEmail.objects.values_list("idempotency_key", flat=True)) == ["test:kept"]


def test_the_sender_is_named_in_the_language_of_the_email(db, settings):
    """An e-mail is written in its recipient's language; the name it comes from follows."""
    settings.DEFAULT_FROM_EMAIL = "Lunar cooperation portal <noreply@lunar.example>"
    chinese, _created = queue_email(
        key="test:zh", to="zh@example.org", subject="您好", body_text="正文", language="zh-hans"
    )
    english = queue(key="test:en", to="en@example.org")
    delivery.deliver_all([chinese.pk, english.pk])
    sent = {message.to[0]: message for message in mail.outbox}
    assert sent["zh@example.org"].from_email == "探月合作门户 <noreply@lunar.example>"
    assert sent["en@example.org"].from_email == "Lunar cooperation portal <noreply@lunar.example>"
    # On the wire the name is RFC 2047-encoded; a mail reader shows it as written.
    header = str(sent["zh@example.org"].message()["From"])
    assert "探月" not in header
    assert str(make_header(decode_header(header))) == "探月合作门户 <noreply@lunar.example>"


def test_a_sender_name_our_catalogue_does_not_know_is_kept(db, settings):
    settings.DEFAULT_FROM_EMAIL = "Agence spatiale <noreply@lunar.example>"
    email, _created = queue_email(
        key="test:zh", to="zh@example.org", subject="您好", body_text="正文", language="zh-hans"
    )
    assert email.sender == "Agence spatiale <noreply@lunar.example>"


def test_a_row_claimed_by_another_worker_is_not_sent_again(db):
    email = queue()
    assert delivery.claim([email.pk]) == [email]
    assert delivery.deliver_all([email.pk]) == []
    assert mail.outbox == []


def test_a_sent_row_is_never_sent_twice(db):
    email = queue()
    assert delivery.deliver_all([email.pk]) == []
    assert delivery.deliver_all([email.pk, email.pk]) == []
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.state, email.attempts) == (State.SENT, 1)


def test_a_batch_claims_only_the_rows_still_queued(db):
    first, taken, third = (queue(key=f"test:{number}") for number in range(3))
    delivery.claim([taken.pk])
    assert [email.pk for email in delivery.claim([third.pk, taken.pk, first.pk])] == [
        first.pk,
        third.pk,
    ]
    assert delivery.claim([first.pk, taken.pk, third.pk]) == []


def test_a_batch_goes_out_over_one_smtp_session(db, smtp_sink):
    emails = [
        queue(key=f"test:{number}", to=f"applicant{number}@example.org") for number in range(5)
    ]
    assert delivery.deliver_all([email.pk for email in emails]) == []
    assert [message.rcpt_tos for message in smtp_sink.messages] == [
        [f"applicant{number}@example.org"] for number in range(5)
    ]
    assert len(set(smtp_sink.handler.peers)) == 1
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {State.SENT}


def test_refusals_in_a_batch_leave_the_other_rows_sent(db, smtp_sink):
    sent_before = queue(key="test:1", to="first@example.org")
    deferred = queue(key="test:2", to="deferred@example.org")
    rejected = queue(key="test:3", to="rejected@example.org")
    sent_after = queue(key="test:4", to="last@example.org")
    ids = [sent_before.pk, deferred.pk, rejected.pk, sent_after.pk]
    assert delivery.deliver_all(ids) == [(deferred.pk, 30)]
    states = dict(OutboundEmail.objects.values_list("pk", "state"))
    assert states == {
        sent_before.pk: State.SENT,
        deferred.pk: State.QUEUED,
        rejected.pk: State.FAILED,
        sent_after.pk: State.SENT,
    }
    assert [message.rcpt_tos for message in smtp_sink.messages] == [
        ["first@example.org"],
        ["last@example.org"],
    ]


def test_a_temporary_smtp_refusal_is_retried_later(db, smtp_sink):
    email = queue(to="deferred@example.org")
    assert delivery.deliver_all([email.pk]) == [(email.pk, 30)]
    email.refresh_from_db()
    assert email.state == State.QUEUED
    assert email.last_error.startswith("451")
    assert email.attempts == 1


def test_a_permanent_smtp_refusal_marks_the_row_failed(db, smtp_sink):
    email = queue(to="rejected@example.org")
    assert delivery.deliver_all([email.pk]) == []
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert email.last_error.startswith("550")


def test_a_real_smtp_server_receives_the_message(db, smtp_sink):
    email = queue(to="accepted@example.org")
    assert delivery.deliver_all([email.pk]) == []
    assert smtp_sink.messages[0].rcpt_tos == ["accepted@example.org"]
    email.refresh_from_db()
    assert email.state == State.SENT


def test_an_unreachable_smtp_server_is_a_temporary_failure(db, no_smtp_server):
    emails = [queue(key=f"test:{number}") for number in range(2)]
    assert delivery.deliver_all([email.pk for email in emails]) == [
        (email.pk, 30) for email in emails
    ]
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {State.QUEUED}


def test_a_server_that_never_answers_costs_a_batch_one_time_out_not_one_per_row(
    db, silent_smtp_server
):
    emails = [queue(key=f"test:{number}") for number in range(4)]
    assert delivery.deliver_all([email.pk for email in emails]) == [
        (email.pk, 30) for email in emails
    ]
    assert len(silent_smtp_server) == 1
    for email in OutboundEmail.objects.all():
        assert (email.state, email.attempts) == (State.QUEUED, 1)
        assert "timed out" in email.last_error


@pytest.mark.broker
def test_the_sweeper_sends_rows_a_dead_worker_left_in_flight(
    transactional_db, celery_worker_session, settings
):
    email = OutboundEmail.objects.create(
        idempotency_key="stuck",
        to="a@example.org",
        subject="s",
        body_text="b",
        state=State.SENDING,
        claimed_at=timezone.now() - timedelta(hours=1),
        attempts=1,
    )
    fresh = OutboundEmail.objects.create(
        idempotency_key="in-flight-now",
        to="b@example.org",
        subject="s",
        body_text="b",
        state=State.SENDING,
        claimed_at=timezone.now(),
        attempts=1,
    )
    assert sweep_outbox() == 1
    assert wait_for_state(email.pk, State.SENT).attempts == 2
    fresh.refresh_from_db()
    assert fresh.state == State.SENDING


@pytest.mark.broker
def test_the_sweeper_sends_rows_queued_while_the_broker_was_down(
    transactional_db, celery_worker_session
):
    email = OutboundEmail.objects.create(
        idempotency_key="waited", to="a@example.org", subject="s", body_text="b"
    )
    OutboundEmail.objects.filter(pk=email.pk).update(
        next_attempt_at=timezone.now() - timedelta(hours=1)
    )
    assert sweep_outbox() == 1
    wait_for_state(email.pk, State.SENT)


def test_a_message_that_keeps_failing_is_marked_failed_at_the_cap(db, no_smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = queue()
    assert delivery.deliver_all([email.pk]) == [(email.pk, 30)]
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    assert delivery.deliver_all([email.pk]) == []
    email.refresh_from_db()
    assert email.state == State.FAILED
    assert email.last_error.startswith("gave up after 2 attempts")


def test_a_temporary_failure_waits_for_its_backoff_before_the_sweeper_retries(
    db, no_smtp_server, settings
):
    email = queue()
    assert delivery.deliver_all([email.pk]) == [(email.pk, 30)]
    assert delivery.stale_email_ids(stale_after_seconds=0) == []


def test_an_unexpected_backend_error_does_not_leave_the_row_in_flight(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = "/proc/not-a-writable-folder"
    email = queue()
    assert delivery.deliver_all([email.pk]) == [(email.pk, 30)]
    email.refresh_from_db()
    assert email.state == State.QUEUED
    assert email.last_error
