from decimal import Decimal

from intents.office.scores import empty_score, letter_scores


def test_each_letter_gets_its_mean_median_spread_and_criterion_means(cycle):
    scores = letter_scores(cycle.call)
    assert set(scores) == {letter.pk for letter in cycle.letters}
    first = scores[cycle.letters[0].pk]
    assert first.received == 3
    totals = sorted(
        review.total
        for review in cycle.reviews
        if review.assignment.letter_id == cycle.letters[0].pk
    )
    assert first.aggregate.median == Decimal(totals[1]).quantize(Decimal("0.01"))
    assert set(first.criteria) == {criterion.pk for criterion in cycle.criteria}


def test_scores_can_be_limited_to_a_page_of_letters(cycle):
    page = [letter.pk for letter in cycle.letters[:2]]
    assert set(letter_scores(cycle.call, page)) == set(page)


def test_a_letter_without_reviews_has_an_empty_score(cycle):
    assert empty_score(cycle.call).aggregate.count == 0
