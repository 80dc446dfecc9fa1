"""A review's weighted total and a letter's aggregate over its reviews."""

from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from intents.models import Criterion
from intents.reviewing.scoring import Aggregate, aggregate, weighted_total

# Unsaved criteria: the arithmetic needs only their key and weight.
RUBRIC = [Criterion(pk=1, weight=3), Criterion(pk=2, weight=2), Criterion(pk=3, weight=1)]


# weighted_total


def test_it_averages_the_scores_by_weight():
    # (5×3 + 4×2 + 3×1) / 6 = 26/6
    assert weighted_total({1: 5, 2: 4, 3: 3}, RUBRIC) == Decimal("4.333")


def test_a_heavier_criterion_pulls_the_total_further():
    assert weighted_total({1: 1, 2: 5, 3: 5}, RUBRIC) == Decimal("3.000")
    assert weighted_total({1: 5, 2: 5, 3: 1}, RUBRIC) == Decimal("4.333")


def test_equal_scores_give_that_score():
    assert weighted_total({1: 4, 2: 4, 3: 4}, RUBRIC) == Decimal("4.000")


def test_it_rounds_half_up_to_three_places():
    # 17/16 = 1.0625: half up gives 1.063 where banker's rounding would give 1.062.
    rubric = [Criterion(pk=1, weight=15), Criterion(pk=2, weight=1)]
    assert weighted_total({1: 1, 2: 2}, rubric) == Decimal("1.063")


def test_it_is_exact_to_the_thousandth():
    total = weighted_total({1: 2, 2: 1, 3: 2}, RUBRIC)
    # 10/6 = 1.6666…
    assert total == Decimal("1.667")
    assert total.as_tuple().exponent == -3


def test_there_is_no_total_while_a_criterion_is_unscored():
    assert weighted_total({1: 5, 2: 4}, RUBRIC) is None
    assert weighted_total({1: 5, 2: 4, 3: None}, RUBRIC) is None
    assert weighted_total({}, RUBRIC) is None


def test_scores_for_criteria_outside_the_rubric_are_ignored():
    assert weighted_total({1: 5, 2: 4, 3: 3, 99: 1}, RUBRIC) == Decimal("4.333")


def test_there_is_no_total_without_a_rubric():
    assert weighted_total({1: 5}, []) is None


@settings(max_examples=200, deadline=None, database=None)
@given(
    st.lists(
        st.tuples(st.integers(1, 100), st.integers(1, 10)), min_size=1, max_size=6
    )  # (weight, score)
)
def test_the_total_lies_between_the_lowest_and_the_highest_score(rows):
    rubric = [Criterion(pk=n, weight=weight) for n, (weight, _score) in enumerate(rows)]
    values = {n: score for n, (_weight, score) in enumerate(rows)}
    total = weighted_total(values, rubric)
    assert min(values.values()) <= total <= max(values.values())


# aggregate


def test_it_gives_mean_median_and_spread_of_the_totals():
    result = aggregate([Decimal("4.333"), Decimal("3.000"), Decimal("2.500")], 5)
    assert result == Aggregate(
        count=3,
        mean=Decimal("3.28"),  # 9.833 / 3 = 3.2776…
        median=Decimal("3.00"),
        spread=Decimal("1.83"),
        disagreement=True,  # 1.833 > 40 % of the 1–5 scale (1.6)
    )


def test_the_median_of_an_even_number_is_the_middle_pair_averaged():
    result = aggregate([Decimal("2"), Decimal("3"), Decimal("4"), Decimal("3.5")], 5)
    assert result.median == Decimal("3.25")
    assert result.mean == Decimal("3.13")  # 12.5 / 4 = 3.125, half up


def test_totals_close_together_are_no_disagreement():
    result = aggregate([Decimal("4.000"), Decimal("3.500"), Decimal("4.333")], 5)
    assert result.spread == Decimal("0.83")
    assert not result.disagreement


def test_a_spread_of_exactly_forty_percent_of_the_scale_is_no_disagreement():
    assert not aggregate([Decimal("2.4"), Decimal("4.0")], 5).disagreement
    assert aggregate([Decimal("2.4"), Decimal("4.001")], 5).disagreement


def test_the_threshold_follows_the_scale():
    # On 1–10 the line is 3.6, so a gap of 2 that splits a 1–5 panel agrees on 1–10.
    assert aggregate([Decimal("3"), Decimal("5")], 5).disagreement
    assert not aggregate([Decimal("3"), Decimal("5")], 10).disagreement
    assert aggregate([Decimal("3"), Decimal("6.7")], 10).disagreement


def test_a_single_review_is_never_a_disagreement():
    result = aggregate([Decimal("1.000")], 5)
    assert result == Aggregate(
        count=1,
        mean=Decimal("1.00"),
        median=Decimal("1.00"),
        spread=Decimal("0.00"),
        disagreement=False,
    )


def test_reviews_without_a_total_are_left_out():
    result = aggregate([None, Decimal("5.000"), None], 5)
    assert result.count == 1
    assert result.mean == Decimal("5.00")
    assert not result.disagreement


def test_no_totals_give_an_empty_aggregate():
    assert aggregate([], 5) == Aggregate(
        count=0, mean=None, median=None, spread=None, disagreement=False
    )
    assert aggregate([None, None], 5).count == 0


totals = st.decimals(min_value=1, max_value=5, places=3)


@settings(max_examples=200, deadline=None, database=None)
@given(st.lists(totals, min_size=1, max_size=6))
def test_the_aggregate_lies_within_its_totals(values):
    result = aggregate(values, 5)
    low, high = min(values), max(values)
    assert result.count == len(values)
    assert low - Decimal("0.005") <= result.mean <= high + Decimal("0.005")
    assert low - Decimal("0.005") <= result.median <= high + Decimal("0.005")
    assert result.spread == (high - low).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert result.disagreement == (len(values) > 1 and high - low > Decimal("1.6"))


@settings(max_examples=100, deadline=None, database=None)
@given(totals)
def test_one_review_is_never_flagged_whatever_its_score(value):
    assert not aggregate([value], 5).disagreement
