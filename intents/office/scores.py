"""Each letter's submitted reviews summed up, for lists, the ranking and the exports, in two
queries whatever the number of letters."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from ..models import Review, Score
from ..reviewing.scoring import Aggregate, aggregate


@dataclass
class LetterScore:
    aggregate: Aggregate
    received: int
    # criterion id -> mean score over the submitted reviews
    criteria: dict = field(default_factory=dict)
    recommendations: Counter = field(default_factory=Counter)


def letter_scores(call, letter_ids=None):
    """letter id -> LetterScore for the call's letters (or just `letter_ids`, a page's worth)."""
    reviews = Review.objects.submitted().filter(assignment__letter__call=call)
    scores = Score.objects.of_submitted_reviews().filter(review__assignment__letter__call=call)
    if letter_ids is not None:
        reviews = reviews.filter(assignment__letter_id__in=letter_ids)
        scores = scores.filter(review__assignment__letter_id__in=letter_ids)
    totals, recommendations = defaultdict(list), defaultdict(Counter)
    for letter_id, total, recommendation in reviews.values_list(
        "assignment__letter_id", "total", "recommendation"
    ):
        totals[letter_id].append(total)
        recommendations[letter_id][recommendation] += 1
    values = defaultdict(lambda: defaultdict(list))
    for letter_id, criterion_id, value in scores.values_list(
        "review__assignment__letter_id", "criterion_id", "value"
    ):
        values[letter_id][criterion_id].append(value)
    return {
        letter_id: LetterScore(
            aggregate=aggregate(totals[letter_id], call.score_max),
            received=len(totals[letter_id]),
            criteria={
                criterion_id: (Decimal(sum(v)) / len(v)).quantize(Decimal("0.01"))
                for criterion_id, v in values[letter_id].items()
            },
            recommendations=recommendations[letter_id],
        )
        for letter_id in totals
    }


def empty_score(call):
    return LetterScore(aggregate=aggregate([], call.score_max), received=0)
