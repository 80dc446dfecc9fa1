"""Weighted review totals and a letter's aggregate over its submitted reviews."""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# Reviewers disagree strongly when their totals lie further apart than this share of the scale.
DISAGREEMENT_SHARE = Decimal("0.4")


def weighted_total(values, criteria):
    """The weight-averaged score on the call's scale, or None until every criterion is scored."""
    if any(values.get(criterion.pk) is None for criterion in criteria) or not criteria:
        return None
    weight = sum(criterion.weight for criterion in criteria)
    points = sum(criterion.weight * values[criterion.pk] for criterion in criteria)
    return (Decimal(points) / Decimal(weight)).quantize(Decimal("0.001"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Aggregate:
    count: int
    mean: Decimal | None
    median: Decimal | None
    spread: Decimal | None
    disagreement: bool


def figures(totals):
    """(count, mean, median) of the totals, rounded as shown: what the ranking sorts by, and
    what each letter stores (intents.reviewing.figures)."""
    totals = _present(totals)
    if not totals:
        return 0, None, None
    return len(totals), _round(sum(totals) / len(totals)), _round(statistics.median(totals))


def aggregate(totals, score_max):
    totals = _present(totals)
    count, mean, median = figures(totals)
    if not count:
        return Aggregate(count=0, mean=None, median=None, spread=None, disagreement=False)
    spread = max(totals) - min(totals)
    return Aggregate(
        count=count,
        mean=mean,
        median=median,
        spread=_round(spread),
        disagreement=count > 1 and spread > DISAGREEMENT_SHARE * (score_max - 1),
    )


def _present(totals):
    return [Decimal(total) for total in totals if total is not None]


def _round(value):
    return Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)
