"""Reminders to applicants, walking the clock through the call's schedule."""

import datetime as dt
import re

from intents.letters import actions
from intents.models import Extension
from intents.reminders.engine import send_due
from portal.notifications.models import OutboundEmail

from ..factories import MembershipFactory, OrganisationFactory, UserFactory
from .conftest import DEADLINE, keys, register, reminders_to

SCHEDULE_HOURS = [720, 168, 24, 3]


def walk_the_schedule(clock):
    """Run the task a little after each point of the schedule, twice each time."""
    for hours in SCHEDULE_HOURS:
        clock.at(hours - 0.1)
        send_due()
        send_due()


def test_owners_and_editors_of_a_draft_are_reminded_once_at_each_point(
    clock, draft, owner, editor, viewer
):
    walk_the_schedule(clock)
    for person in (owner, editor):
        reminders = reminders_to(person.email)
        assert [row.idempotency_key.split(":")[4] for row in reminders] == [
            "720h",
            "168h",
            "24h",
            "3h",
        ]
    assert reminders_to(viewer.email) == []


def test_nothing_is_sent_before_the_first_point(clock, draft, owner):
    clock.at(721)
    assert send_due() == 0


def test_nobody_is_reminded_after_submitting(clock, complete_draft, owner):
    clock.at(200)
    actions.submit(letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version)
    walk_the_schedule(clock)
    assert [row.kind for row in reminders_to(owner.email)] == ["receipt"]


def test_nobody_is_reminded_after_the_deadline(clock, draft, owner):
    clock.to(DEADLINE)
    assert send_due() == 0
    clock.to(DEADLINE + dt.timedelta(hours=5))
    assert send_due() == 0


def test_a_reminder_missed_while_the_system_was_down_is_sent_late_once(clock, draft, owner):
    # Nothing ran from before the 30-day point until 5 days before: one reminder, the 7-day one.
    clock.at(5 * 24)
    assert send_due() == 1
    assert send_due() == 0
    assert [row.idempotency_key.split(":")[4] for row in reminders_to(owner.email)] == ["168h"]


def test_a_later_run_an_hour_on_sends_nothing_new(clock, draft, owner):
    clock.at(160)
    assert send_due() == 1
    clock.at(159)
    assert send_due() == 0


def test_the_reminder_names_what_the_draft_still_lacks(clock, draft, owner, signed_letter_type):
    clock.at(23)
    send_due()
    [reminder] = reminders_to(owner.email)
    assert "Still missing:\n  · Field: summary" in reminder.body_text
    assert "Document: Signed letter" in reminder.body_text
    assert draft.title in reminder.body_text
    assert f"/letters/{draft.pk}/" in reminder.body_text
    assert "Signed letter" in reminder.body_html


def test_a_complete_draft_is_said_to_need_only_submitting(clock, complete_draft, owner):
    clock.at(23)
    send_due()
    [reminder] = reminders_to(owner.email)
    assert "Complete: it only needs to be submitted." in reminder.body_text


def test_a_registered_organisation_without_a_letter_is_reminded(clock, call, mode):
    registered = MembershipFactory().user
    register(call, registered.memberships.get().organisation, registered)
    unregistered = MembershipFactory().user
    clock.at(100)
    send_due()
    [reminder] = reminders_to(registered.email)
    assert ":no-letter:" in reminder.idempotency_key
    assert call.get_absolute_url() in reminder.body_text
    assert reminders_to(unregistered.email) == []


def test_a_registered_organisation_that_started_a_letter_gets_the_draft_reminder_only(
    clock, call, draft, organisation, owner
):
    register(call, organisation, owner)
    clock.at(100)
    send_due()
    assert [":draft:" in row.idempotency_key for row in reminders_to(owner.email)] == [True]


def test_an_extension_moves_the_organisations_reminders_to_its_own_deadline(
    clock, call, draft, organisation, owner
):
    Extension.objects.create(
        call=call,
        organisation=organisation,
        closes_at=DEADLINE + dt.timedelta(days=2),
        reason="Customs held the signed letter.",
    )
    other = OrganisationFactory()
    other_owner = MembershipFactory(organisation=other).user
    register(call, other, other_owner)
    clock.to(DEADLINE + dt.timedelta(hours=1))
    send_due()
    [reminder] = reminders_to(owner.email)
    assert reminder.idempotency_key.endswith(f":168h:{owner.pk}")
    assert "2 Jan 2024, 23:59 Asia/Shanghai" in reminder.body_text  # the extension, in Beijing time
    assert reminders_to(other_owner.email) == []


def test_someone_who_turned_reminders_off_gets_none_but_still_gets_the_receipt(
    clock, complete_draft, owner, editor
):
    owner.receive_reminders = False
    owner.save()
    clock.at(100)
    send_due()
    assert reminders_to(owner.email) == []
    assert len(reminders_to(editor.email)) == 1
    actions.submit(letter_id=complete_draft.pk, user=owner, expected_version=complete_draft.version)
    assert [row.kind for row in reminders_to(owner.email)] == ["receipt"]


def test_an_inactive_member_is_not_reminded(clock, draft, owner, editor):
    editor.is_active = False
    editor.save()
    clock.at(100)
    send_due()
    assert reminders_to(editor.email) == []


def test_the_deadline_is_given_in_the_official_zone_and_the_recipients_own(clock, call, mode):
    recipient = UserFactory(time_zone="America/Sao_Paulo", full_name="Ana Souza")
    MembershipFactory(user=recipient)
    register(call, recipient.memberships.get().organisation, recipient)
    clock.at(100)
    send_due()
    [reminder] = reminders_to(recipient.email)
    for body in (reminder.body_text, reminder.body_html):
        assert "31 Dec 2023, 23:59 Asia/Shanghai" in body
        assert "31 Dec 2023, 12:59 America/Sao_Paulo" in body
    # 100 hours: whole days, never "4 days, 4 hours" or months and weeks.
    assert "(4 days left)" in reminder.subject


def test_a_chinese_speaker_is_reminded_in_chinese(clock, call, mode):
    recipient = UserFactory(language="zh-hans", time_zone="Asia/Shanghai")
    MembershipFactory(user=recipient)
    register(call, recipient.memberships.get().organisation, recipient)
    clock.at(100)
    send_due()
    [reminder] = reminders_to(recipient.email)
    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert chinese.search(reminder.subject)
    assert chinese.search(reminder.body_text)
    assert "Reminder" not in reminder.subject
    assert "registered for" not in reminder.body_text
    assert "2023年12月31日 23:59 Asia/Shanghai" in reminder.body_text
    assert "（还剩 4 天）" in reminder.subject


def test_a_deadline_reminder_carries_the_deadline_as_a_calendar_file(clock, draft, owner):
    clock.at(100)
    send_due()
    clock.at(20)
    send_due()
    first, second = reminders_to(owner.email)
    [attachment] = first.attachments
    assert attachment["name"] == "deadline.ics"
    assert attachment["mimetype"] == "text/calendar"
    assert "DTSTART:20231231T155959Z" in attachment["content"]
    # The same event, updated in the calendar rather than added twice.
    uid = re.search(r"UID:(\S+)", attachment["content"]).group(1)
    assert f"UID:{uid}" in second.attachments[0]["content"]


def test_a_call_without_a_schedule_sends_no_reminders(clock, call, draft, owner):
    call.reminder_hours = []
    call.save()
    clock.at(1)
    assert send_due() == 0


def test_a_call_that_opened_late_skips_the_points_before_it_opened(clock, call, draft, owner):
    call.opens_at = DEADLINE - dt.timedelta(days=10)
    call.save()
    clock.at(9 * 24)
    assert send_due() == 0
    clock.at(7 * 24 - 1)
    assert send_due() == 1


def test_every_reminder_is_keyed_by_call_recipient_kind_and_point(clock, call, draft, owner):
    clock.at(100)
    send_due()
    assert keys() == [f"reminder:{call.pk}:draft:{draft.organisation_id}:168h:{owner.pk}"]
    assert OutboundEmail.objects.get().to == owner.email


def test_a_call_title_with_an_ampersand_reads_as_typed_in_the_subject(clock, call, draft, owner):
    call.title = "Dust & plasma <survey>"
    call.save()
    clock.at(23)
    send_due()
    [reminder] = reminders_to(owner.email)
    assert "for Dust & plasma <survey> is not submitted" in reminder.subject
    assert "Dust &amp; plasma &lt;survey&gt;" in reminder.body_html
