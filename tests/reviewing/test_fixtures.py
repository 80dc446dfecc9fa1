from intents.models import Assignment


def test_an_assigned_reviewer_starts_with_the_conflict_question(assignment):
    assert assignment.progress == Assignment.Progress.TO_DECLARE


def test_confirming_no_conflict_opens_the_review(confirmed):
    assert confirmed.progress == Assignment.Progress.TO_REVIEW
