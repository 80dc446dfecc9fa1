import datetime as dt

from intents.reminders.thresholds import due_threshold

DEADLINE = dt.datetime(2023, 12, 31, 15, 59, 59, tzinfo=dt.UTC)
SCHEDULE = [720, 168, 24, 3]


def before(hours, minutes=0):
    return DEADLINE - dt.timedelta(hours=hours, minutes=minutes)


def test_nothing_is_due_before_the_first_moment():
    assert due_threshold(DEADLINE, SCHEDULE, before(721)) is None


def test_each_moment_is_due_from_when_it_comes():
    assert due_threshold(DEADLINE, SCHEDULE, before(720)) == 720
    assert due_threshold(DEADLINE, SCHEDULE, before(168)) == 168
    assert due_threshold(DEADLINE, SCHEDULE, before(23)) == 24
    assert due_threshold(DEADLINE, SCHEDULE, before(0, minutes=1)) == 3


def test_only_the_latest_of_several_missed_moments_is_due():
    # Down from 31 days before until 20 hours before: one late reminder, not three.
    assert due_threshold(DEADLINE, SCHEDULE, before(20)) == 24


def test_nothing_is_due_at_or_after_the_deadline():
    assert due_threshold(DEADLINE, SCHEDULE, DEADLINE) is None
    assert due_threshold(DEADLINE, SCHEDULE, DEADLINE + dt.timedelta(days=1)) is None


def test_moments_before_the_start_are_skipped():
    opened = before(200)
    assert due_threshold(DEADLINE, SCHEDULE, before(199), not_before=opened) is None
    assert due_threshold(DEADLINE, SCHEDULE, before(100), not_before=opened) == 168


def test_an_empty_schedule_or_no_deadline_means_no_reminders():
    assert due_threshold(DEADLINE, [], before(1)) is None
    assert due_threshold(None, SCHEDULE, before(1)) is None


def test_the_schedule_need_not_be_sorted():
    assert due_threshold(DEADLINE, [3, 720, 24, 168], before(100)) == 168
