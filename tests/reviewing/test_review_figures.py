"""Each letter's stored review figures (count, mean and median of its submitted reviews'
totals) always equal the ones worked out afresh from its reviews: after a submission, an
amendment, a conflict declared, an assignment removed, and when reviews are withdrawn or
deleted behind the reviewing code's back and the figures refreshed."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from intents.models import LetterOfIntent, Review
from intents.reviewing import assignments, reviews
from intents.reviewing.figures import refresh_review_figures
from intents.reviewing.scoring import aggregate

from ..factories import ReviewerFactory
from ..letters.test_concurrency import run_in_parallel
from .conftest import review_answers


def stored(letter):
    letter = LetterOfIntent.objects.get(pk=letter.pk)
    return letter.review_count, letter.review_mean, letter.review_median


def from_scratch(letter):
    """What the ranking worked out on every request before the figures were stored."""
    totals = Review.objects.filter(
        assignment__letter=letter, submitted_at__isnull=False
    ).values_list("total", flat=True)
    worked_out = aggregate(list(totals), letter.call.score_max)
    return worked_out.count, worked_out.mean, worked_out.median


def submit(reviewer, assignment, criteria, scores, submit=True):
    """`scores`: one value per criterion, in the rubric's order."""
    return reviews.save_review(
        user=reviewer.user,
        assignment_id=assignment.pk,
        values={criterion.pk: value for criterion, value in zip(criteria, scores, strict=True)},
        answers=review_answers(),
        submit=submit,
    )


@pytest.fixture
def panel(submitted, officer, mode, criteria):
    """Three reviewers of the submitted letter, each with no conflict confirmed."""
    placed = []
    for _ in range(3):
        reviewer = ReviewerFactory(call=submitted.call, country="DE", expertise=[mode])
        assignment = assignments.assign(
            user=officer, reviewer_id=reviewer.pk, letter_id=submitted.pk
        )
        assignments.confirm_no_conflict(user=reviewer.user, assignment_id=assignment.pk)
        placed.append((reviewer, assignment))
    return placed


def test_a_letter_without_reviews_has_none_counted(submitted):
    assert stored(submitted) == (0, None, None) == from_scratch(submitted)


def test_each_submission_counts_at_once(submitted, panel, criteria):
    # Weights 3, 2, 1: totals 5.000, 2.333 and 4.000.
    for (reviewer, assignment), scores in zip(
        panel, [(5, 5, 5), (2, 3, 2), (4, 4, 4)], strict=True
    ):
        submit(reviewer, assignment, criteria, scores)
        assert stored(submitted) == from_scratch(submitted)
    assert stored(submitted) == (3, Decimal("3.78"), Decimal("4.00"))


def test_a_draft_counts_for_nothing_until_submitted(submitted, panel, criteria):
    (first, first_assignment), (second, second_assignment) = panel[:2]
    submit(first, first_assignment, criteria, (4, 4, 4))
    submit(second, second_assignment, criteria, (1, 1, 1), submit=False)
    assert stored(submitted) == (1, Decimal("4.00"), Decimal("4.00")) == from_scratch(submitted)
    submit(second, second_assignment, criteria, (1, 1, 1))
    assert stored(submitted) == (2, Decimal("2.50"), Decimal("2.50")) == from_scratch(submitted)


def test_an_amendment_moves_the_figures(submitted, panel, criteria):
    (first, first_assignment), (second, second_assignment) = panel[:2]
    submit(first, first_assignment, criteria, (4, 4, 4))
    submit(second, second_assignment, criteria, (2, 2, 2))
    submit(second, second_assignment, criteria, (5, 5, 5))  # amended
    assert stored(submitted) == (2, Decimal("4.50"), Decimal("4.50")) == from_scratch(submitted)


def test_saving_a_draft_leaves_the_letter_row_alone(submitted, panel, criteria):
    """A draft's save writes nothing to the letter: not its figures, nor its version."""
    reviewer, assignment = panel[0]
    before = LetterOfIntent.objects.get(pk=submitted.pk)
    submit(reviewer, assignment, criteria, (3, 3, 3), submit=False)
    after = LetterOfIntent.objects.get(pk=submitted.pk)
    assert (after.version, after.updated_at) == (before.version, before.updated_at)


def test_a_submission_does_not_count_as_an_edit_of_the_letter(submitted, panel, criteria):
    reviewer, assignment = panel[0]
    before = LetterOfIntent.objects.get(pk=submitted.pk)
    submit(reviewer, assignment, criteria, (3, 3, 3))
    after = LetterOfIntent.objects.get(pk=submitted.pk)
    assert after.review_count == 1
    # The applicant's open form stays valid and the office's list keeps its order.
    assert (after.version, after.updated_at) == (before.version, before.updated_at)


def test_a_conflict_declared_over_a_draft_leaves_the_figures_right(submitted, panel, criteria):
    (first, first_assignment), (second, second_assignment) = panel[:2]
    submit(first, first_assignment, criteria, (4, 4, 4))
    submit(second, second_assignment, criteria, (1, 1, 1), submit=False)
    assignments.declare_conflict(
        user=second.user, assignment_id=second_assignment.pk, kind="personal", note=""
    )
    assert stored(submitted) == (1, Decimal("4.00"), Decimal("4.00")) == from_scratch(submitted)


def test_an_assignment_removed_leaves_the_figures_right(submitted, panel, criteria, officer):
    (first, first_assignment), (_second, second_assignment) = panel[:2]
    submit(first, first_assignment, criteria, (4, 4, 4))
    assignments.unassign(user=officer, assignment_id=second_assignment.pk)
    assert stored(submitted) == (1, Decimal("4.00"), Decimal("4.00")) == from_scratch(submitted)


def test_a_review_withdrawn_or_deleted_is_no_longer_counted(submitted, panel, criteria):
    """No page withdraws or deletes a submitted review today; should one, it refreshes."""
    placed = [
        submit(reviewer, assignment, criteria, scores)
        for (reviewer, assignment), scores in zip(
            panel, [(5, 5, 5), (2, 2, 2), (4, 4, 4)], strict=True
        )
    ]
    Review.objects.filter(pk=placed[0].pk).update(submitted_at=None)  # withdrawn, reopened
    refresh_review_figures([submitted.pk])
    assert stored(submitted) == (2, Decimal("3.00"), Decimal("3.00")) == from_scratch(submitted)
    placed[1].scores.all().delete()
    placed[1].delete()
    refresh_review_figures([submitted.pk])
    assert stored(submitted) == (1, Decimal("4.00"), Decimal("4.00")) == from_scratch(submitted)
    Review.objects.filter(pk=placed[2].pk).update(submitted_at=None)
    refresh_review_figures([submitted.pk])
    assert stored(submitted) == (0, None, None) == from_scratch(submitted)


def test_two_reviews_of_one_letter_submitted_at_once_both_count(
    transactional_db, submitted, panel, criteria
):
    """The letter is locked before its reviews are read: a submission waits for the one
    before it and counts its review, instead of writing figures without it."""
    jobs = [
        (
            lambda reviewer=reviewer, assignment=assignment, scores=scores: submit(
                reviewer, assignment, criteria, scores
            )
        )
        for (reviewer, assignment), scores in zip(
            panel, [(5, 5, 5), (1, 1, 1), (4, 4, 4)], strict=True
        )
    ]
    _results, errors = run_in_parallel(*jobs)
    assert errors == []
    assert stored(submitted) == (3, Decimal("3.33"), Decimal("4.00")) == from_scratch(submitted)


def test_the_migration_fills_the_figures_of_existing_letters(submitted, panel, criteria):
    for (reviewer, assignment), scores in zip(
        panel, [(5, 5, 5), (2, 3, 2), (4, 4, 4)], strict=True
    ):
        submit(reviewer, assignment, criteria, scores)
    LetterOfIntent.objects.update(review_count=0, review_mean=None, review_median=None)
    migration = importlib.import_module("intents.migrations.0005_letter_review_figures")
    migration.fill_review_figures(apps, None)
    assert stored(submitted) == (3, Decimal("3.78"), Decimal("4.00")) == from_scratch(submitted)
