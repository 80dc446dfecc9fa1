"""The ranking: the call's letters by mean weighted score, then median, then reference; letters
level on both share a rank, letters without reviews come last, withdrawn ones are left out."""

import random
from collections import defaultdict
from decimal import Decimal

import pytest
from django.urls import reverse

from intents.models import Decision, LetterOfIntent, Review, Score
from intents.reviewing.figures import refresh_review_figures
from intents.reviewing.scoring import aggregate

from ..factories import CallFactory
from .cycle import build_cycle


def set_totals(letter, *totals):
    """Give the letter's three submitted reviews these weighted scores."""
    for review, total in zip(
        Review.objects.filter(assignment__letter=letter).order_by("pk"), totals, strict=True
    ):
        review.total = Decimal(total)
        review.save(update_fields=["total"])


def ranking(client, call, page=None):
    url = reverse("office:ranking", args=[call.slug]) + (f"?page={page}" if page else "")
    response = client.get(url)
    assert response.status_code == 200
    return response


def ranked(response):
    return [(row.rank, row.letter.reference) for row in response.context["page"]]


@pytest.fixture
def scored(cycle):
    """Six letters with chosen scores; the cycle's other letters score below them all."""
    top, level_a, level_b, low, unreviewed, withdrawn = cycle.letters[:6]
    for letter in cycle.letters[6:]:
        set_totals(letter, "1.5", "1.5", "1.5")
    set_totals(top, "4.5", "4.5", "3")  # mean 4, median 4.5
    set_totals(level_b, "4", "4", "4")  # mean 4, median 4
    set_totals(level_a, "4.5", "4", "3.5")  # mean 4, median 4: level with level_b
    set_totals(low, "1", "1", "5")  # mean 2.33, median 1, spread 4: reviewers disagree
    set_totals(withdrawn, "5", "5", "5")
    Review.objects.filter(assignment__letter=unreviewed).update(submitted_at=None)
    LetterOfIntent.objects.filter(pk=withdrawn.pk).update(state=LetterOfIntent.State.WITHDRAWN)
    # Written behind the reviewing code's back, so the letters' stored figures follow by hand.
    refresh_review_figures([letter.pk for letter in cycle.letters])
    return {
        "top": top,
        "level_a": level_a,
        "level_b": level_b,
        "low": low,
        "unreviewed": unreviewed,
        "withdrawn": withdrawn,
        "rest": cycle.letters[6:],
    }


def test_letters_are_ordered_by_mean_then_median_then_reference(officer_client, cycle, scored):
    rows = ranked(ranking(officer_client, cycle.call))
    assert rows[:4] == [
        (1, scored["top"].reference),
        (2, scored["level_a"].reference),
        (2, scored["level_b"].reference),
        (4, scored["low"].reference),
    ]


def test_letters_level_on_mean_and_median_share_a_rank_and_the_next_one_skips(
    officer_client, cycle, scored
):
    rows = ranked(ranking(officer_client, cycle.call))
    rest = rows[4:-1]
    assert {reference for _rank, reference in rest} == {
        letter.reference for letter in scored["rest"]
    }
    assert {rank for rank, _reference in rest} == {5}
    assert [reference for _rank, reference in rest] == sorted(l.reference for l in scored["rest"])  # noqa: E741


def test_letters_without_reviews_come_last_without_a_rank(officer_client, cycle, scored):
    rows = ranked(ranking(officer_client, cycle.call))
    assert rows[-1] == (None, scored["unreviewed"].reference)
    page = ranking(officer_client, cycle.call).content.decode()
    assert "0 of 3" in page


def test_withdrawn_letters_and_drafts_are_left_out(officer_client, cycle, scored):
    references = {reference for _rank, reference in ranked(ranking(officer_client, cycle.call))}
    assert scored["withdrawn"].reference not in references
    assert len(references) == len(cycle.letters) - 1
    page = ranking(officer_client, cycle.call).content.decode()
    for draft in cycle.drafts:
        assert draft.title not in page


def test_decided_letters_stay_in_the_ranking_with_their_decision(
    officer_client, cycle, scored, officer
):
    LetterOfIntent.objects.filter(pk=scored["top"].pk).update(state=LetterOfIntent.State.SELECTED)
    Decision.objects.create(
        letter=scored["top"], outcome=Decision.Outcome.SELECTED, decided_by=officer
    )
    response = ranking(officer_client, cycle.call)
    assert ranked(response)[0] == (1, scored["top"].reference)
    assert "decision-private" in response.content.decode()


def test_the_disagreement_flag_and_the_spread_are_shown(officer_client, cycle, scored):
    response = ranking(officer_client, cycle.call)
    flagged = {
        row.letter.reference for row in response.context["page"] if row.score.aggregate.disagreement
    }
    assert flagged == {scored["low"].reference}
    low = next(row for row in response.context["page"] if row.letter == scored["low"])
    assert (low.score.aggregate.mean, low.score.aggregate.median, low.score.aggregate.spread) == (
        Decimal("2.33"),
        Decimal("1.00"),
        Decimal("4.00"),
    )
    assert response.content.decode().count("Reviewers disagree") == 1


def test_each_criterion_has_its_mean_column_with_its_weight(officer_client, cycle, scored):
    science, feasibility = cycle.criteria[:2]
    reviews = list(Review.objects.filter(assignment__letter=scored["top"]).order_by("pk"))
    for review, value in zip(reviews, (1, 2, 4), strict=True):
        Score.objects.filter(review=review, criterion=science).update(value=value)
        Score.objects.filter(review=review, criterion=feasibility).update(value=5)
    response = ranking(officer_client, cycle.call)
    top = response.context["page"][0]
    assert top.criteria[:2] == [Decimal("2.33"), Decimal("5.00")]
    assert len(top.criteria) == len(cycle.criteria)
    page = response.content.decode()
    assert "Science" in page and "(weight 3)" in page and "2.33" in page


def test_recommendations_are_counted(officer_client, cycle, scored):
    response = ranking(officer_client, cycle.call)
    top = response.context["page"][0]
    recommendations = dict(top.recommendations)
    assert sum(recommendations.values()) == 3
    assert set(recommendations) <= {"Select", "Waitlist", "Do not select"}


def test_ranks_run_on_across_pages(officer_client, officer):
    cycle = build_cycle(letters=150, officer=officer)
    first = ranked(ranking(officer_client, cycle.call))
    second = ranked(ranking(officer_client, cycle.call, page=2))
    assert (len(first), len(second)) == (100, 50)
    ranks = [rank for rank, _reference in first + second]
    assert ranks[0] == 1
    assert ranks == sorted(ranks)
    # A rank is the position of the first letter of its level, wherever the page breaks.
    for position, rank in enumerate(ranks, start=1):
        assert rank == position or rank == ranks[position - 2]
    assert len({reference for _rank, reference in first + second}) == 150


def test_a_call_without_letters_says_so(officer_client):
    page = ranking(officer_client, CallFactory()).content.decode()
    assert "No letter is in the running yet." in page


# The stored figures give the order worked out afresh from every review.


def worked_out(call):
    """(rank, reference) of every ranked letter as the ranking worked them out before the
    figures were stored: every submitted review's total read, each letter's aggregate sorted."""
    totals = defaultdict(list)
    for letter_id, total in Review.objects.filter(
        assignment__letter__call=call, submitted_at__isnull=False
    ).values_list("assignment__letter_id", "total"):
        totals[letter_id].append(total)
    letters = LetterOfIntent.objects.filter(call=call, submitted_at__isnull=False).exclude(
        state=LetterOfIntent.State.WITHDRAWN
    )
    merits = [
        (aggregate(totals[pk], call.score_max), reference)
        for pk, reference in letters.values_list("pk", "reference")
    ]
    merits.sort(
        key=lambda row: (
            (1, 0, 0, row[1]) if row[0].count == 0 else (0, -row[0].mean, -row[0].median, row[1])
        )
    )
    rows, previous = [], None
    for position, (merit, reference) in enumerate(merits, start=1):
        level = (merit.mean, merit.median)
        if merit.count == 0:
            rank = None
        elif previous is not None and previous[0] == level:
            rank = previous[1]
        else:
            rank = position
        previous = (level, rank)
        rows.append((rank, reference))
    return rows


def test_the_order_read_from_the_stored_figures_is_the_one_worked_out_from_every_review(
    officer_client, officer
):
    cycle = build_cycle(letters=160, officer=officer)
    rng = random.Random(8)  # noqa: S311
    letters = sorted(cycle.letters, key=lambda letter: letter.reference)
    reviews = list(Review.objects.filter(assignment__letter__call=cycle.call).order_by("pk"))
    for review in reviews:
        # Few values, so many letters are level; 3.333 and 3.334 differ only before rounding.
        review.total = Decimal(rng.choice(["1", "2.5", "3.333", "3.334", "4", "4.5", "5"]))
        if rng.random() < 0.15:
            review.submitted_at = None
    Review.objects.bulk_update(reviews, ["total", "submitted_at"])
    # A level of ninety letters that begins on the first page and runs on to the second.
    big_level = [letter.pk for letter in letters[40:130]]
    Review.objects.filter(assignment__letter__in=big_level).update(
        total=Decimal("3.5"), submitted_at=cycle.reviews[0].submitted_at
    )
    Review.objects.filter(assignment__letter__in=[l.pk for l in letters[130:134]]).update(  # noqa: E741
        submitted_at=None
    )
    LetterOfIntent.objects.filter(pk__in=[l.pk for l in letters[134:136]]).update(  # noqa: E741
        state=LetterOfIntent.State.WITHDRAWN
    )
    refresh_review_figures([letter.pk for letter in letters])

    shown = ranked(ranking(officer_client, cycle.call)) + ranked(
        ranking(officer_client, cycle.call, page=2)
    )
    assert shown == worked_out(cycle.call)
    assert len(shown) == 158
    first_of_page_two = shown[100][0]
    assert first_of_page_two < 101  # its level began on the first page
    assert shown[-4:] == [(None, letter.reference) for letter in letters[130:134]]


def test_the_ranked_states_are_every_state_but_draft_and_withdrawn():
    assert set(LetterOfIntent.State.standing()) == (
        set(LetterOfIntent.State.values) - {"draft", "withdrawn"}
    )
