"""The office's view of the outbox: rows without their bodies, filters, resending what failed,
and the beat schedule."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from portal.accounts.roles import ensure_programme_office_group
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail
from portal.notifications.schedule import ensure_periodic_tasks

from .test_outbox import wait_for_state

State = OutboundEmail.State
OUTBOX = reverse("notifications:outbox")
RESEND_FAILED = reverse("notifications:resend_failed")
SCHEDULE = reverse("notifications:schedule")
RESET_LINK = "https://portal.example/accounts/password/reset/key/9x-secret-token/"


def resend_url(email):
    return reverse("notifications:resend", args=[email.pk])


def email_row(key, *, to="someone@example.org", subject="Hello", minutes=0, **fields):
    """An outbox row written `minutes` after 1 March 2026, 12:00 UTC."""
    fields.setdefault("body_text", "The text of the message.")
    email = OutboundEmail.objects.create(idempotency_key=key, to=to, subject=subject, **fields)
    created = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=created)
    email.refresh_from_db()
    return email


def shown(client, query=""):
    response = client.get(OUTBOX + query)
    assert response.status_code == 200
    return [row["email"] for row in response.context["rows"]]


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.fixture
def emails(db):
    """A sent receipt, a password reset the server refused, and a reminder waiting its turn."""
    return {
        "sent": email_row(
            "receipt:1:v1:7",
            to="owner@example.org",
            subject="Receipt for LUN-0001",
            state=State.SENT,
            attempts=1,
            sent_at=timezone.now(),
        ),
        "failed": email_row(
            "account:password_reset_key:abc",
            to="gone@example.org",
            subject="Password reset",
            minutes=1,
            state=State.FAILED,
            attempts=1,
            last_error="550 5.1.1 No such user",
            body_text=f"Reset your password: {RESET_LINK}",
            body_html=f'<a href="{RESET_LINK}">Reset your password</a>',
        ),
        "queued": email_row(
            "reminder:1:letter:2:24h:3",
            to="editor@example.org",
            subject="One day left",
            minutes=2,
            state=State.QUEUED,
            attempts=2,
            last_error="451 4.3.0 Try again later",
        ),
    }


# --- The list -------------------------------------------------------------------------------


def test_an_officer_sees_each_email_with_its_state_attempts_and_last_error(officer_client, emails):
    html = officer_client.get(OUTBOX).content.decode()
    row = html.split(f'id="email-{emails["failed"].pk}"')[1].split("</tr>")[0]
    assert "gone@example.org" in row and "Password reset" in row
    assert "Account (address confirmation, password reset)" in row
    assert ">failed</span>" in row
    assert "<td>1</td>" in row
    assert "550 5.1.1 No such user" in row
    queued = html.split(f'id="email-{emails["queued"].pk}"')[1].split("</tr>")[0]
    assert ">queued</span>" in queued and "<td>2</td>" in queued
    assert "451 4.3.0 Try again later" in queued and "next try" in queued


def test_the_newest_email_comes_first(officer_client, emails):
    assert shown(officer_client) == [emails["queued"], emails["failed"], emails["sent"]]


def test_no_body_is_shown_on_the_page(officer_client, emails):
    html = officer_client.get(OUTBOX).content.decode()
    assert "9x-secret-token" not in html
    assert "Reset your password" not in html
    assert "The text of the message." not in html


def test_the_page_counts_the_emails_in_each_state(officer_client, emails):
    email_row("receipt:2:v1:7", state=State.FAILED)
    html = officer_client.get(OUTBOX).content.decode()
    counts = html.split('id="outbox-counts"')[1].split("</ul>")[0]
    assert ">2 failed</a>" in counts
    assert ">1 sent</a>" in counts
    assert ">1 queued</a>" in counts
    assert ">0 sending</a>" in counts


def test_times_are_shown_in_the_officers_zone(officer_client, officer, emails):
    officer.time_zone = "Asia/Shanghai"
    officer.save()
    html = officer_client.get(OUTBOX + "?state=failed").content.decode()
    assert "1 Mar 2026, 20:01 Asia/Shanghai" in html


def test_only_a_failed_email_offers_to_be_sent_again(officer_client, emails):
    html = officer_client.get(OUTBOX).content.decode()
    assert f'action="{resend_url(emails["failed"])}"' in html
    assert resend_url(emails["sent"]) not in html
    assert resend_url(emails["queued"]) not in html


# --- Filters --------------------------------------------------------------------------------


def test_the_state_filter_shows_that_state_only(officer_client, emails):
    assert shown(officer_client, "?state=failed") == [emails["failed"]]
    assert shown(officer_client, "?state=sent") == [emails["sent"]]


def test_the_kind_filter_shows_that_kind_only(officer_client, emails):
    assert shown(officer_client, "?kind=receipt") == [emails["sent"]]
    assert shown(officer_client, "?kind=account") == [emails["failed"]]


def test_the_kind_filter_offers_the_kinds_that_occur(officer_client, emails):
    email_row("carrier-pigeon:1")
    field = officer_client.get(OUTBOX).context["filter"].form.fields["kind"]
    assert dict(field.choices) == {
        "": "Any",
        "account": "Account (address confirmation, password reset)",
        "carrier-pigeon": "carrier-pigeon",
        "receipt": "Receipt",
        "reminder": "Deadline reminder",
    }


def test_the_search_looks_in_the_recipient_and_the_subject(officer_client, emails):
    assert shown(officer_client, "?q=GONE@example") == [emails["failed"]]
    assert shown(officer_client, "?q=day+left") == [emails["queued"]]


def test_pages_keep_the_filters(officer_client, emails):
    for number in range(51):
        email_row(f"decision:{number}:x@example.org", state=State.SENT)
    html = officer_client.get(OUTBOX + "?state=sent").content.decode()
    assert 'href="?state=sent&amp;page=2"' in html
    assert len(shown(officer_client, "?state=sent&page=2")) == 2


def test_an_empty_outbox_says_so(officer_client):
    html = officer_client.get(OUTBOX).content.decode()
    assert "The portal has not sent any e-mail yet." in html
    assert 'id="outbox-emails"' not in html


def test_filters_that_match_nothing_say_so(officer_client, emails):
    html = officer_client.get(OUTBOX + "?q=nobody-at-all").content.decode()
    assert "No e-mail matches these filters." in html


def test_the_page_uses_as_many_queries_for_120_emails_as_for_3(officer_client, db):
    def count():
        officer_client.get(OUTBOX)  # The first request may fill caches (sessions, content types).
        with CaptureQueriesContext(connection) as queries:
            assert officer_client.get(OUTBOX).status_code == 200
        return len(queries)

    kinds = ["receipt", "reminder", "decision", "account"]
    states = [State.SENT, State.FAILED, State.QUEUED]
    for number in range(3):
        email_row(f"{kinds[number]}:{number}", state=states[number])
    few = count()
    for number in range(3, 120):
        email_row(f"{kinds[number % 4]}:{number}", state=states[number % 3])
    assert count() == few


def test_the_office_home_links_to_the_outbox(officer_client):
    html = officer_client.get(reverse("office:office_home")).content.decode()
    assert f'href="{OUTBOX}"' in html


# --- Who may look ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["outsider", "owner"])
def test_anyone_but_an_officer_is_refused(client, emails, request, role):
    client.force_login(request.getfixturevalue(role))
    for path in (OUTBOX, SCHEDULE):
        assert client.get(path).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, emails):
    response = client.get(OUTBOX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


@pytest.mark.parametrize("role", ["outsider", "owner"])
def test_anyone_but_an_officer_cannot_resend(client, emails, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.post(resend_url(emails["failed"])).status_code == 403
    assert client.post(RESEND_FAILED, {"confirm": "on"}).status_code == 403
    emails["failed"].refresh_from_db()
    assert emails["failed"].state == State.FAILED
    assert not AuditEvent.objects.filter(verb="email.resent").exists()


# --- Sending again --------------------------------------------------------------------------


def test_resending_a_failed_email_queues_it_again_and_audits_it(officer_client, officer, emails):
    failed = emails["failed"]
    before = timezone.now()
    response = officer_client.post(resend_url(failed) + "?state=failed")
    assert response.status_code == 302 and response.url == OUTBOX + "?state=failed"
    assert flashed(response) == ["The e-mail to gone@example.org is queued to be sent again."]
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == (State.QUEUED, 0)
    assert failed.next_attempt_at >= before
    assert failed.last_error == "550 5.1.1 No such user"  # Kept until the next try.
    event = AuditEvent.objects.get(verb="email.resent")
    assert (event.actor, event.target_id) == (officer, str(failed.pk))
    assert event.target_type == "notifications.outboundemail"
    assert event.data == {
        "kind": "account",
        "attempts": 1,
        "last_error": "550 5.1.1 No such user",
    }


def test_the_audit_log_names_the_resend(officer_client, emails):
    officer_client.post(resend_url(emails["failed"]))
    html = officer_client.get(reverse("office:audit_log")).content.decode()
    assert "E-mail sent again" in html


def test_a_second_click_changes_nothing(officer_client, emails):
    failed = emails["failed"]
    officer_client.post(resend_url(failed), follow=True)
    failed.refresh_from_db()
    response = officer_client.post(resend_url(failed))
    assert response.status_code == 302
    assert flashed(response) == [
        "This e-mail is already queued to be sent again; nothing was changed."
    ]
    again = OutboundEmail.objects.get(pk=failed.pk)
    assert (again.state, again.attempts, again.next_attempt_at) == (
        State.QUEUED,
        0,
        failed.next_attempt_at,
    )
    assert AuditEvent.objects.filter(verb="email.resent").count() == 1


def test_a_sent_email_is_not_sent_again(officer_client, emails):
    sent = emails["sent"]
    response = officer_client.post(resend_url(sent))
    assert flashed(response) == ["This e-mail was sent already; it is not sent twice."]
    after = OutboundEmail.objects.get(pk=sent.pk)
    assert (after.state, after.attempts) == (State.SENT, 1)
    assert not AuditEvent.objects.filter(verb="email.resent").exists()


def test_an_email_that_does_not_exist_is_not_found(officer_client, db):
    assert officer_client.post(reverse("notifications:resend", args=[999])).status_code == 404


def test_resending_takes_a_post(officer_client, emails):
    assert officer_client.get(resend_url(emails["failed"])).status_code == 405


@pytest.mark.broker
def test_a_resent_email_is_sent(transactional_db, celery_worker_session, client, officer):
    failed = email_row(
        "receipt:3:v1:4",
        to="back@example.org",
        state=State.FAILED,
        attempts=8,
        last_error="gave up after 8 attempts: 451 4.3.0 Try again later",
    )
    client.force_login(officer)
    client.post(resend_url(failed))
    sent = wait_for_state(failed.pk, State.SENT)
    assert sent.attempts == 1
    assert sent.last_error == ""
    assert [message.to for message in mail.outbox] == [["back@example.org"]]


# --- Sending every failed e-mail again ------------------------------------------------------


def test_the_page_offers_to_send_the_failed_emails_again_once_confirmed(officer_client, emails):
    html = officer_client.get(OUTBOX + "?q=example").content.decode()
    form = html.split('id="resend-failed-heading"')[1].split("</form>")[0]
    assert f'action="{RESEND_FAILED}?q=example"' in form
    assert "Yes, send the 1 failed e-mail shown by these filters again" in form
    assert 'type="checkbox"' in form


def test_no_bulk_resend_is_offered_when_nothing_failed(officer_client, emails):
    html = officer_client.get(OUTBOX + "?state=sent").content.decode()
    assert 'id="resend-failed"' not in html


def test_resending_all_failed_takes_the_failed_emails_the_filters_show(officer_client, emails):
    other = email_row("decision:1:x@example.org", state=State.FAILED, last_error="550 Nope")
    response = officer_client.post(RESEND_FAILED + "?kind=account", {"confirm": "on"})
    assert response.status_code == 302 and response.url == OUTBOX + "?kind=account"
    assert flashed(response) == ["1 failed e-mail is queued to be sent again."]
    assert OutboundEmail.objects.get(pk=emails["failed"].pk).state == State.QUEUED
    assert OutboundEmail.objects.get(pk=other.pk).state == State.FAILED
    assert OutboundEmail.objects.get(pk=emails["sent"].pk).state == State.SENT
    assert AuditEvent.objects.filter(verb="email.resent").count() == 1


def test_resending_all_failed_without_confirming_changes_nothing(officer_client, emails):
    response = officer_client.post(RESEND_FAILED, {})
    assert flashed(response) == ["Tick the box to confirm sending the failed e-mails again."]
    assert OutboundEmail.objects.get(pk=emails["failed"].pk).state == State.FAILED
    assert not AuditEvent.objects.filter(verb="email.resent").exists()


def test_resending_all_failed_when_none_is_left_says_so(officer_client, emails):
    officer_client.post(RESEND_FAILED, {"confirm": "on"}, follow=True)
    response = officer_client.post(RESEND_FAILED, {"confirm": "on"})
    assert flashed(response) == ["No failed e-mail to send again; nothing was changed."]
    assert AuditEvent.objects.filter(verb="email.resent").count() == 1


# --- The beat schedule ----------------------------------------------------------------------


@pytest.fixture
def periodic_tasks(db):
    ensure_periodic_tasks()
    sweeper = PeriodicTask.objects.get(name="Outbox sweeper")
    PeriodicTask.objects.filter(pk=sweeper.pk).update(
        last_run_at=dt.datetime(2026, 3, 1, 12, 5, tzinfo=dt.UTC), total_run_count=42
    )
    return PeriodicTask.objects.filter(
        name__in=["Deadline reminders and digests", "Outbox sweeper"]
    ).order_by("name")


def test_the_schedule_shows_each_periodic_task_in_words(officer_client, officer, periodic_tasks):
    officer.time_zone = "Asia/Shanghai"
    officer.save()
    reminders, sweeper = periodic_tasks
    html = officer_client.get(SCHEDULE).content.decode()
    row = html.split(f'id="periodic-task-{sweeper.pk}"')[1].split("</tr>")[0]
    assert "Outbox sweeper" in row and "notifications.sweep_outbox" in row
    assert "every 5 minutes" in row and ">enabled</span>" in row
    assert "1 Mar 2026, 20:05 Asia/Shanghai" in row and "<td>42</td>" in row
    row = html.split(f'id="periodic-task-{reminders.pk}"')[1].split("</tr>")[0]
    assert "intents.send_due_reminders" in row and "never" in row


def test_the_schedule_names_our_tasks_in_the_readers_language(
    officer_client, officer, periodic_tasks
):
    """The rows keep our English names (their keys); the page translates them, and leaves a
    description the office rewrote in the admin as typed."""
    officer.language = "zh-hans"
    officer.save()
    reminders, sweeper = periodic_tasks
    PeriodicTask.objects.filter(pk=reminders.pk).update(description="Mondays: check the digest")
    html = officer_client.get(SCHEDULE).content.decode()
    row = html.split(f'id="periodic-task-{sweeper.pk}"')[1].split("</tr>")[0]
    assert "发件箱补发任务" in row and "Outbox sweeper" not in row
    assert "重新发送等待过久的邮件" in row and "Sends again" not in row
    row = html.split(f'id="periodic-task-{reminders.pk}"')[1].split("</tr>")[0]
    assert "截止时间提醒与摘要" in row and "Mondays: check the digest" in row


def test_a_disabled_task_says_so(officer_client, periodic_tasks):
    sweeper = periodic_tasks[1]
    PeriodicTask.objects.filter(pk=sweeper.pk).update(enabled=False)
    html = officer_client.get(SCHEDULE).content.decode()
    assert ">disabled</span>" in html.split(f'id="periodic-task-{sweeper.pk}"')[1]


def test_an_officer_with_the_admin_gets_a_link_to_edit_each_task(
    officer_client, officer, periodic_tasks
):
    officer.is_staff = True
    officer.save()
    officer.groups.add(ensure_programme_office_group())
    html = officer_client.get(SCHEDULE).content.decode()
    for task in periodic_tasks:
        link = reverse("admin:django_celery_beat_periodictask_change", args=[task.pk])
        assert f'href="{link}"' in html
        assert officer_client.get(link).status_code == 200


def test_an_officer_without_the_admin_gets_no_edit_link(officer_client, periodic_tasks):
    html = officer_client.get(SCHEDULE).content.decode()
    assert "/admin/" not in html.split('id="periodic-tasks"')[1]
    assert 'id="no-admin"' in html


def test_the_outbox_links_to_the_schedule(officer_client, db):
    assert f'href="{SCHEDULE}"' in officer_client.get(OUTBOX).content.decode()
