"""Fixtures of the reviewer workflow: a rubric, a reviewer in the pool, a filed letter assigned."""

import pytest

from intents.reviewing import assignments

from ..factories import CriterionFactory, ReviewerFactory


@pytest.fixture
def criteria(call):
    """Three criteria weighted 3, 2 and 1 on the call's default scale of 1 to 5."""
    return [
        CriterionFactory(call=call, name="Science", weight=3, position=0),
        CriterionFactory(call=call, name="Feasibility", weight=2, position=1),
        CriterionFactory(call=call, name="Relations", weight=1, position=2),
    ]


@pytest.fixture
def reviewer(call, mode):
    """An accepted place in the pool, expert in the letter's mode, from another country."""
    return ReviewerFactory(call=call, country="DE", expertise=[mode])


@pytest.fixture
def assignment(submitted, reviewer, officer, criteria):
    return assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=submitted.pk)


@pytest.fixture
def confirmed(assignment, reviewer):
    return assignments.confirm_no_conflict(user=reviewer.user, assignment_id=assignment.pk)


def full_scores(criteria, value=4):
    return {criterion.pk: value for criterion in criteria}


def review_answers(**changes):
    return {
        "recommendation": "select",
        "comment_to_committee": "A sound instrument with a clear plan.",
        "comment_to_applicant": "",
        **changes,
    }
