"""Each letter's review figures (count, mean and median of its submitted reviews' totals),
stored on the letter so the office's ranking reads its order from an index.

Every change to a submitted review, or to the reviews a letter has, calls
`refresh_review_figures` in its own transaction.
"""

from collections import defaultdict

from ..models import LetterOfIntent, Review
from .scoring import figures

# Letters per statement: a page of letters and a whole call (seed_bench) go through the same
# code, and SQLite caps the parameters of one statement.
CHUNK = 1000


def refresh_review_figures(letter_ids):
    """Work the figures out again from the letters' submitted reviews and store them.

    The letters are locked first: two reviews of one letter submitted at the same moment then
    take turns, and the second reads the first one's review instead of overwriting the
    figures without it. Call it inside the transaction that changed the reviews."""
    letter_ids = sorted(set(letter_ids))
    changed = defaultdict(list)  # figures -> the letters that now have them
    for chunk in _chunks(letter_ids):
        stored = (
            LetterOfIntent.objects.select_for_update()
            .filter(pk__in=chunk)
            .order_by("pk")
            .values_list("pk", "review_count", "review_mean", "review_median")
        )
        totals = defaultdict(list)
        for letter_id, total in (
            Review.objects.submitted()
            .filter(assignment__letter_id__in=chunk)
            .values_list("assignment__letter_id", "total")
        ):
            totals[letter_id].append(total)
        for letter_id, *current in stored:
            fresh = figures(totals[letter_id])
            if tuple(current) != fresh:
                changed[fresh].append(letter_id)
    # Letters with the same figures are written together: a whole call costs one statement
    # per distinct figures (a few hundred to a few thousand), not one per letter. An UPDATE
    # leaves updated_at and version alone: a review is no edit of the letter, and must not
    # make its applicant's open form stale.
    for (count, mean, median), ids in changed.items():
        for chunk in _chunks(ids):
            LetterOfIntent.objects.filter(pk__in=chunk).update(
                review_count=count, review_mean=mean, review_median=median
            )


def _chunks(ids):
    return (ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK))
