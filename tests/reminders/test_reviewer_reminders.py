"""Reminders to reviewers: reviews due before the review deadline, conflicts not declared."""

import datetime as dt

import pytest

from intents.reminders.engine import send_due
from intents.reviewing import assignments, reviews

from ..factories import CriterionFactory, LetterFactory, ReviewerFactory, UserFactory
from ..reviewing.conftest import full_scores, review_answers
from .conftest import DEADLINE, reminders_to

REVIEW_DEADLINE = DEADLINE + dt.timedelta(days=30)


@pytest.fixture
def review_call(call):
    call.review_deadline = REVIEW_DEADLINE
    call.save()
    return call


@pytest.fixture
def criteria(review_call):
    return [CriterionFactory(call=review_call, name="Science", weight=1)]


@pytest.fixture
def reviewer(review_call, mode):
    return ReviewerFactory(
        call=review_call, country="DE", expertise=[mode], user=UserFactory(full_name="Rita Berg")
    )


@pytest.fixture
def assignment(clock, submitted, reviewer, officer, criteria):
    clock.to(DEADLINE + dt.timedelta(hours=1))
    return assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=submitted.pk)


def at_review(clock, hours_before):
    return clock.at(hours_before, deadline=REVIEW_DEADLINE)


def submit_review(reviewer, assignment, criteria):
    assignments.confirm_no_conflict(user=reviewer.user, assignment_id=assignment.pk)
    reviews.save_review(
        user=reviewer.user,
        assignment_id=assignment.pk,
        values=full_scores(criteria),
        answers=review_answers(),
        submit=True,
    )


def review_reminders(reviewer):
    return reminders_to(reviewer.user.email, kind="review")


def test_a_reviewer_with_letters_to_review_is_reminded_at_each_point(clock, assignment, reviewer):
    assignments.confirm_no_conflict(user=reviewer.user, assignment_id=assignment.pk)
    for hours in (168, 24, 3):
        at_review(clock, hours - 0.5)
        send_due()
        send_due()
    reminders = review_reminders(reviewer)
    assert [row.idempotency_key.split(":")[3] for row in reminders] == ["168h", "24h", "3h"]
    assert assignment.letter.title in reminders[0].body_text
    assert "Waiting for your review:" in reminders[0].body_text
    assert reminders[0].attachments[0]["name"] == "deadline.ics"


def test_points_that_passed_before_the_first_assignment_are_skipped(clock, assignment, reviewer):
    # Assigned 29 days before the review deadline: the 30-day point is not sent late.
    at_review(clock, 28 * 24)
    assert send_due() == 0


def test_a_reviewer_who_submitted_every_review_is_not_reminded(
    clock, assignment, reviewer, criteria
):
    submit_review(reviewer, assignment, criteria)
    at_review(clock, 23)
    send_due()
    assert review_reminders(reviewer) == []


def test_nobody_is_reminded_after_the_review_deadline(clock, assignment, reviewer):
    clock.to(REVIEW_DEADLINE + dt.timedelta(minutes=1))
    send_due()
    assert reminders_to(reviewer.user.email, kind="review") == []
    assert reminders_to(reviewer.user.email, kind="declare") == []


def test_a_reviewer_removed_from_the_pool_is_not_reminded(clock, assignment, reviewer):
    reviewer.removed_at = dt.datetime.now(dt.UTC)
    reviewer.save()
    at_review(clock, 23)
    send_due()
    assert reminders_to(reviewer.user.email, kind="declare") == []
    assert review_reminders(reviewer) == []


def test_a_reviewer_who_has_not_declared_after_two_days_is_nudged_once(clock, assignment, reviewer):
    clock.to(DEADLINE + dt.timedelta(hours=47))
    send_due()
    assert reminders_to(reviewer.user.email, kind="declare") == []
    clock.to(DEADLINE + dt.timedelta(hours=49))
    send_due()
    clock.to(DEADLINE + dt.timedelta(hours=80))
    send_due()
    [nudge] = reminders_to(reviewer.user.email, kind="declare")
    assert "conflict of interest" in nudge.body_text
    assert "Waiting for your conflict-of-interest declaration:" in nudge.body_text


def test_a_new_assignment_left_undeclared_brings_a_new_nudge(
    clock, assignment, reviewer, officer, mode, call
):
    clock.to(DEADLINE + dt.timedelta(hours=49))
    send_due()
    second = LetterFactory(mode=mode, state="submitted", submitted_at=DEADLINE, reference="C-2")
    assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=second.pk)
    clock.to(DEADLINE + dt.timedelta(hours=98))
    send_due()
    _first, again = reminders_to(reviewer.user.email, kind="declare")
    assert second.title in again.body_text


def test_a_reviewer_who_declared_is_not_nudged(clock, assignment, reviewer):
    assignments.confirm_no_conflict(user=reviewer.user, assignment_id=assignment.pk)
    clock.to(DEADLINE + dt.timedelta(hours=60))
    send_due()
    assert reminders_to(reviewer.user.email, kind="declare") == []


def test_a_reviewer_who_turned_reminders_off_is_not_reminded(clock, assignment, reviewer):
    reviewer.user.receive_reminders = False
    reviewer.user.save()
    clock.to(DEADLINE + dt.timedelta(hours=60))
    send_due()
    at_review(clock, 23)
    send_due()
    assert [row.kind for row in reminders_to(reviewer.user.email)] == ["assignment"]


def test_the_review_deadline_is_in_the_reviewers_zone_and_the_official_one(
    clock, assignment, reviewer
):
    reviewer.user.time_zone = "Europe/Berlin"
    reviewer.user.save()
    at_review(clock, 23)
    send_due()
    [reminder] = review_reminders(reviewer)
    assert "30 Jan 2024, 23:59 Asia/Shanghai" in reminder.body_text
    assert "30 Jan 2024, 16:59 Europe/Berlin" in reminder.body_text
