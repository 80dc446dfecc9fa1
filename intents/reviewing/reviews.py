"""Writing a review: saved as a draft, submitted, and editable until the review deadline."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.log import record

from ..models import Assignment, Criterion, Review, Score
from . import ReviewingError
from .figures import refresh_review_figures
from .scoring import weighted_total

REVIEW_FIELDS = ("recommendation", "comment_to_committee", "comment_to_applicant")


class IncompleteReview(ReviewingError):
    """Submission refused: the criteria still without a score, and whether the recommendation
    is missing, for the form to mark each one."""

    def __init__(self, criteria: list[Criterion], recommendation: bool) -> None:
        super().__init__(_("Score every criterion and give a recommendation before you submit."))
        self.criteria = criteria
        self.recommendation = recommendation


def review_refusal(assignment: Assignment) -> ReviewingError | None:
    """Why this review cannot be written now, or None. One rule for the page and the POST."""
    if assignment.no_conflict_confirmed_at is None:
        return ReviewingError(_("Confirm that you have no conflict with this letter first."))
    if not assignment.letter.is_reviewable:
        return ReviewingError(
            _("The decision on this letter is released: the review can no longer change.")
        )
    if not assignment.letter.call.reviews_open:
        return ReviewingError(_("The review deadline has passed: reviews can no longer change."))
    return None


def save_review(
    *,
    user: User,
    assignment_id: int,
    values: Mapping[int, int | None],
    answers: Mapping[str, Any],
    submit: bool,
) -> Review:
    """Store the scores (`values`: criterion id -> score or None) and the answers; with
    submit=True the review must be complete and is handed in."""
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update()
            .select_related("letter__call", "reviewer")
            .filter(pk=assignment_id, reviewer__user=user)
            .first()
        )
        if assignment is None:
            raise ReviewingError(_("This letter is no longer assigned to you."))
        refusal = review_refusal(assignment)
        if refusal is not None:
            raise refusal
        criteria = list(assignment.letter.call.criteria.all())
        total = weighted_total(values, criteria)
        # A submitted review stays complete: amending it may not drop a score or the
        # recommendation, whichever button sent the form.
        submitted = Review.objects.submitted().filter(assignment=assignment)
        if (submit or submitted.exists()) and (total is None or not answers["recommendation"]):
            raise IncompleteReview(
                [criterion for criterion in criteria if values.get(criterion.pk) is None],
                recommendation=not answers["recommendation"],
            )
        review, created = Review.objects.get_or_create(assignment=assignment)
        for name in REVIEW_FIELDS:
            setattr(review, name, answers[name])
        review.total = total
        first_submission = submit and review.submitted_at is None
        if first_submission:
            review.submitted_at = timezone.now()
        review.save()
        review.scores.all().delete()
        Score.objects.bulk_create(
            Score(review=review, criterion=criterion, value=value)
            for criterion in criteria
            if (value := values.get(criterion.pk)) is not None
        )
        if review.submitted_at is not None:
            # Submitted or amended: the letter's place in the ranking may move. A draft's
            # scores count for nothing yet.
            refresh_review_figures([assignment.letter_id])
        if first_submission:
            verb = "review.submitted"
        elif review.submitted_at is not None:
            verb = "review.amended"
        else:
            verb = "review.saved"
        record(user, verb, assignment.letter, total=str(total) if total is not None else None)
    return review
