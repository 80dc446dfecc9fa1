"""The call's letters in order of merit, by their reviews' weighted scores."""

from dataclasses import dataclass

from django.db.models import F, Q

from ..models import LetterOfIntent
from .filters.letters import office_letters
from .scores import LetterScore, empty_score, letter_scores

# Highest mean first, then highest median, then reference; letters without a submitted review
# (no mean) last. The index letter_call_ranking holds the call's ranked letters in this order.
MERIT = [
    F("review_mean").desc(nulls_last=True),
    F("review_median").desc(nulls_last=True),
    "reference",
    "pk",
]


@dataclass
class RankedLetter:
    rank: int | None
    letter: LetterOfIntent
    score: LetterScore


def standings(call):
    """The call's ranked letters in order of merit, for a paginator to slice: highest mean
    first, then highest median, then reference; letters without reviews last.

    The order comes from the figures each letter stores (intents.reviewing.figures) and the
    index on them, so a page costs the same however many letters the call has."""
    return ranked_letters(call).order_by(*MERIT).values("pk", "review_mean", "review_median")


def ranked_letters(call):
    # The same condition as the index's, so the database can read from it.
    return LetterOfIntent.objects.ranked().filter(call=call)


def ranked_page(call, page):
    """A page of `standings` with its ranks, its letters (as on the office's list) and scores.

    Letters level on mean and median share a rank (1, 2, 2, 4): the position of the first
    letter of their level, so a rank never depends on the page it is shown on."""
    rows = list(page.object_list)
    ids = [row["pk"] for row in rows]
    letters = office_letters(call).in_bulk(ids)
    scores = letter_scores(call, letter_ids=ids)
    nothing = empty_score(call)
    ranked, previous = [], None
    for position, row in enumerate(rows, start=page.start_index()):
        level = (row["review_mean"], row["review_median"])
        if level[0] is None:
            rank = None
        elif previous is not None and previous[0] == level:
            rank = previous[1]
        elif previous is None and position > 1:
            # The level may have begun on an earlier page.
            rank = 1 + _ahead_of(call, *level)
        else:
            rank = position
        previous = (level, rank)
        ranked.append(
            RankedLetter(rank=rank, letter=letters[row["pk"]], score=scores.get(row["pk"], nothing))
        )
    return ranked


def _ahead_of(call, mean, median):
    """How many ranked letters stand above this level."""
    return (
        ranked_letters(call)
        .filter(Q(review_mean__gt=mean) | Q(review_mean=mean, review_median__gt=median))
        .count()
    )
