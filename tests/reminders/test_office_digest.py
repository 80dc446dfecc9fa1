"""The office's daily digest during the last week before a deadline."""

import datetime as dt

from intents.reminders.engine import send_due

from ..factories import MembershipFactory, UserFactory
from .conftest import DEADLINE, register, reminders_to


def beijing(day, hour, minute=0):
    return dt.datetime(2023, 12, day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def digests(officer):
    return [row for row in reminders_to(officer.email) if row.kind == "digest"]


def test_officers_get_one_digest_a_day_in_the_last_week(clock, call, officer):
    for day in range(22, 32):
        for hour in (7, 9, 15, 23):
            clock.to(beijing(day, hour))
            send_due()
    days = [row.idempotency_key.split(":")[2] for row in digests(officer)]
    # The last week starts on 24 December at 23:59:59, Beijing time: after that day's last run.
    assert days == [f"2023-12-{day}" for day in range(25, 32)]


def test_the_digest_waits_for_the_morning_in_the_official_zone(clock, call, officer):
    clock.to(beijing(28, 7, 59))
    send_due()
    assert digests(officer) == []
    clock.to(beijing(28, 8, 0))
    send_due()
    assert len(digests(officer)) == 1


def test_no_digest_before_the_last_week_or_after_the_deadline(clock, call, officer):
    clock.to(beijing(20, 9))
    send_due()
    clock.to(DEADLINE + dt.timedelta(hours=9))
    send_due()
    assert digests(officer) == []


def test_the_digest_counts_where_the_call_stands(
    clock, call, officer, draft, complete_draft, signed_letter_type
):
    register(call, MembershipFactory().organisation)
    clock.to(beijing(29, 9))
    send_due()
    [digest] = digests(officer)
    assert "Letters filed: 0 (0 in the last 24 hours)" in digest.body_text
    assert "Drafts not yet submitted: 1, of which incomplete: 0" in digest.body_text
    assert "Organisations registered without a letter: 1" in digest.body_text
    assert f"/office/calls/{call.slug}/" in digest.body_text


def test_drafts_at_risk_are_named_with_what_they_lack(
    clock, call, officer, draft, signed_letter_type
):
    clock.to(beijing(29, 9))
    send_due()
    [digest] = digests(officer)
    assert "Drafts at risk (still incomplete):" in digest.body_text
    assert f"{draft.organisation.legal_name} · {draft.title}: Field: summary" in digest.body_text


def test_only_programme_officers_who_want_it_get_the_digest(clock, call, officer, owner):
    quiet = UserFactory(is_programme_officer=True, receive_reminders=False)
    clock.to(beijing(29, 9))
    send_due()
    assert len(digests(officer)) == 1
    assert digests(quiet) == []
    assert digests(owner) == []
