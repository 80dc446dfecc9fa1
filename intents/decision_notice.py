"""What an applicant is told of the office's decision once it is released, on the letter's
page (released_notice) and in the e-mail (office/decisions.py): the next steps of its outcome
and the reviewers' comments meant for them."""

from django.utils.translation import gettext_lazy as _

from .models import Decision, Review

NEXT_STEPS = {
    Decision.Outcome.SELECTED: _(
        "The programme office will contact you shortly to prepare the next stage of the "
        "cooperation, from the technical interfaces to the agreement."
    ),
    Decision.Outcome.WAITLISTED: _(
        "Your letter stays on the waiting list: should a place become available, the programme "
        "office will contact you. You need do nothing for now."
    ),
    Decision.Outcome.NOT_SELECTED: _(
        "Thank you for the work that went into your letter; we hope to read your proposals "
        "again in future calls."
    ),
}


def shared_comments(call, letters):
    """letter id -> the reviewers' comments meant for the applicant (submitted reviews only,
    never who wrote them), in one query; nothing if the call does not share them."""
    if not call.share_reviewer_comments:
        return {}
    comments = {}
    reviews = (
        Review.objects.submitted()
        .filter(assignment__letter__in=letters)
        .exclude(comment_to_applicant="")
        .order_by("pk")
        .values_list("assignment__letter_id", "comment_to_applicant")
    )
    for letter_id, comment in reviews:
        comments.setdefault(letter_id, []).append(comment)
    return comments


def released_notice(letter):
    """What the applicant's page says of the decision: nothing at all until it is released."""
    decision = Decision.objects.released().filter(letter=letter).first()
    if decision is None:
        return None
    return {
        "outcome": decision.outcome,
        "label": decision.get_outcome_display(),
        "next_steps": NEXT_STEPS[decision.outcome],
        "comments": shared_comments(letter.call, [letter.pk]).get(letter.pk, []),
    }
