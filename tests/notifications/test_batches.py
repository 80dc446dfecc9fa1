"""One outbox path: the e-mails a transaction queues go to the broker once, on its commit, in
tasks of OUTBOX_BATCH_SIZE rows, each sent over one SMTP session. Measured with a real worker
process on Redis and a real SMTP server (see test_faults.py)."""

import math

import pytest
from celery.signals import after_task_publish
from django.urls import reverse
from django.utils import timezone

from intents.models import Decision, LetterOfIntent
from portal.notifications.delivery import send_outbound_emails
from portal.notifications.models import OutboundEmail
from portal.notifications.outbox import queue_email
from portal.organisations.models import Organisation

from ..factories import CallFactory, LetterFactory, ModeFactory, OrganisationFactory
from .processes import wait_until
from .smtp_sink import free_port

pytestmark = pytest.mark.broker

SEND_TASK = "notifications.send_outbound_emails"


def decided_letters(officer, count):
    """A call with `count` submitted letters, each decided and not released, each written to at
    its contact's address only (its organisation has no members)."""
    call = CallFactory()
    mode = ModeFactory(call=call, number=1)
    organisations = Organisation.objects.bulk_create(OrganisationFactory.build_batch(count))
    now = timezone.now()
    letters = LetterOfIntent.objects.bulk_create(
        LetterFactory.build(
            call=call,
            mode=mode,
            organisation=organisation,
            state=LetterOfIntent.State.SUBMITTED,
            reference=f"{call.reference_prefix}-LOI-{number:04d}",
            submitted_at=now,
            contact_name=f"Contact {number}",
            contact_email=f"contact{number}@example.org",
        )
        for number, organisation in enumerate(organisations, start=1)
    )
    outcomes = Decision.Outcome.values
    Decision.objects.bulk_create(
        Decision(letter=letter, outcome=outcomes[number % len(outcomes)], decided_by=officer)
        for number, letter in enumerate(letters)
    )
    return call


@pytest.fixture
def published():
    """The names of the tasks this process hands to the broker, as the broker took them."""
    names = []

    def count(sender=None, **kwargs):
        names.append(sender)

    after_task_publish.connect(count, weak=False)
    yield names
    after_task_publish.disconnect(count)


def test_releasing_900_decisions_takes_one_broker_message_and_one_smtp_session_per_batch(
    client, officer, sink, redis_url, queue, workers, published, settings
):
    count = 900
    batches = math.ceil(count / settings.OUTBOX_BATCH_SIZE)
    call = decided_letters(officer, count)
    workers(broker_url=redis_url, queue=queue, smtp_port=sink.port)

    client.force_login(officer)
    release = reverse("office:decisions_release", args=[call.slug])
    # The call is still open: the release asks for the second confirmation too.
    response = client.post(release, {"confirm": "on", "confirm_open": "on"})
    assert response.status_code == 302
    assert Decision.objects.filter(released_at__isnull=False).count() == count

    wait_until(
        lambda: OutboundEmail.objects.filter(state=OutboundEmail.State.SENT).count() == count,
        60,
        "every decision e-mail sent",
    )
    assert published.count(SEND_TASK) == batches
    assert len(set(sink.handler.peers)) <= batches
    arrivals = sink.arrivals()
    assert len(arrivals) == count
    assert set(arrivals.values()) == {1}
    assert sorted(envelope.rcpt_tos[0] for envelope in sink.messages) == sorted(
        f"contact{number}@example.org" for number in range(1, count + 1)
    )


def test_a_batch_the_relay_did_not_take_goes_back_as_one_message(db, queue, published, settings):
    """A relay that cannot be reached sends the whole batch back after its back-off: one broker
    message, not one per row."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    emails = [
        queue_email(key=f"retry:{n}", to=f"r{n}@example.org", subject="Hello", body_text="Body")[0]
        for n in range(5)
    ]
    before = len(published)

    send_outbound_emails([email.pk for email in emails])  # as a worker runs it, not eagerly

    assert published[before:] == [SEND_TASK]
    for email in emails:
        email.refresh_from_db()
        assert (email.state, email.attempts) == (OutboundEmail.State.QUEUED, 1)
