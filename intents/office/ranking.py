"""The call's letters in order of merit, by their reviews' weighted scores."""

from collections import defaultdict
from dataclasses import dataclass

from ..models import LetterOfIntent, Review
from ..reviewing.scoring import Aggregate, aggregate
from .filters import office_letters
from .scores import LetterScore, empty_score, letter_scores

# Letters still in the running and the decided ones; withdrawn letters leave the ranking.
RANKED_STATES = [
    LetterOfIntent.State.SUBMITTED,
    LetterOfIntent.State.UNDER_REVIEW,
    LetterOfIntent.State.SELECTED,
    LetterOfIntent.State.WAITLISTED,
    LetterOfIntent.State.NOT_SELECTED,
]


@dataclass
class Standing:
    """A letter's place: enough to order every letter, too little to show one."""

    rank: int | None  # None until the letter has a submitted review
    letter_id: int
    reference: str
    aggregate: Aggregate


@dataclass
class RankedLetter:
    rank: int | None
    letter: LetterOfIntent
    score: LetterScore


def standings(call):
    """Highest mean first, then highest median, then reference; letters without reviews last.
    Letters level on mean and median share a rank (1, 2, 2, 4), so a rank never depends on
    the page it is shown on.

    Only each letter's reference and its reviews' totals are read (two narrow queries): the
    order needs every letter, but the page shows a hundred, which `ranked_page` reads in full.
    """
    totals = defaultdict(list)
    reviews = Review.objects.filter(assignment__letter__call=call, submitted_at__isnull=False)
    for letter_id, total in reviews.values_list("assignment__letter_id", "total"):
        totals[letter_id].append(total)
    letters = LetterOfIntent.objects.filter(
        call=call, submitted_at__isnull=False, state__in=RANKED_STATES
    ).values_list("pk", "reference")
    scored = sorted(
        (
            (letter_id, reference, aggregate(totals.get(letter_id, []), call.score_max))
            for letter_id, reference in letters
        ),
        key=lambda row: _merit(row[1], row[2]),
    )
    ranked, previous = [], None
    for position, (letter_id, reference, merit) in enumerate(scored, start=1):
        level = (merit.mean, merit.median)
        if merit.count == 0:
            rank = None
        elif previous is not None and previous[0] == level:
            rank = previous[1]
        else:
            rank = position
        previous = (level, rank)
        ranked.append(Standing(rank, letter_id, reference, merit))
    return ranked


def ranked_page(call, page_standings):
    """The standings of one page with their letters (as on the office's list) and scores."""
    ids = [standing.letter_id for standing in page_standings]
    letters = office_letters(call).in_bulk(ids)
    scores = letter_scores(call, letter_ids=ids)
    nothing = empty_score(call)
    return [
        RankedLetter(
            rank=standing.rank,
            letter=letters[standing.letter_id],
            score=scores.get(standing.letter_id, nothing),
        )
        for standing in page_standings
    ]


def _merit(reference, merit):
    if merit.count == 0:
        return (1, 0, 0, reference)
    return (0, -merit.mean, -merit.median, reference)
