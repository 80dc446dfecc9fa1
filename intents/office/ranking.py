"""The call's letters in order of merit, by their reviews' weighted scores."""

from dataclasses import dataclass

from ..models import LetterOfIntent
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
class RankedLetter:
    rank: int | None  # None until the letter has a submitted review
    letter: LetterOfIntent
    score: LetterScore


def rank_letters(call):
    """Highest mean first, then highest median, then reference; letters without reviews last.
    Letters level on mean and median share a rank (1, 2, 2, 4), so a rank never depends on
    the page it is shown on. Three queries, whatever the number of letters."""
    scores = letter_scores(call)
    nothing = empty_score(call)
    letters = office_letters(call).filter(state__in=RANKED_STATES)
    scored = sorted(
        ((letter, scores.get(letter.pk, nothing)) for letter in letters),
        key=lambda pair: _merit(*pair),
    )
    ranked, previous = [], None
    for position, (letter, score) in enumerate(scored, start=1):
        level = (score.aggregate.mean, score.aggregate.median)
        if score.aggregate.count == 0:
            rank = None
        elif previous is not None and previous[0] == level:
            rank = previous[1]
        else:
            rank = position
        previous = (level, rank)
        ranked.append(RankedLetter(rank=rank, letter=letter, score=score))
    return ranked


def _merit(letter, score):
    aggregate = score.aggregate
    if aggregate.count == 0:
        return (1, 0, 0, letter.reference)
    return (0, -aggregate.mean, -aggregate.median, letter.reference)
