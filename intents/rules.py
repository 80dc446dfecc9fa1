"""Who may see and change letters of intent and their documents. Checked in every view."""

import rules

from portal.accounts.rules import is_programme_officer
from portal.organisations.rules import is_editor, is_member


@rules.predicate
def is_letter_member(user, letter):
    return is_member(user, letter.organisation)


@rules.predicate
def is_letter_editor(user, letter):
    return is_editor(user, letter.organisation)


@rules.predicate
def is_filed(user, letter):
    # A draft is the organisation's working paper; the office reads letters once submitted.
    return letter.is_filed


rules.add_perm("intents.view_letter", is_letter_member | (is_programme_officer & is_filed))
rules.add_perm("intents.change_letter", is_letter_editor)
rules.add_perm("intents.start_letter", is_editor)
rules.add_perm("intents.preview_call", is_programme_officer)


@rules.predicate
def has_reviewer_places(user):
    """In a call's pool of reviewers: the menu shows them the way to their desk."""
    return user.reviewer_places.exists()


@rules.predicate
def holds_assignment(user, assignment):
    return assignment.reviewer.user_id == user.pk


@rules.predicate
def letter_standing(user, assignment):
    # Decided letters stay readable: a released decision ends the writing (reviews.
    # review_refusal), not the reviewer's sight of what they reviewed. A withdrawn one goes.
    return assignment.letter.is_standing


@rules.predicate
def free_of_conflict(user, assignment):
    # Checked again on every request: a reviewer who joined the applicant since being
    # assigned must lose sight of the letter at once.
    from .reviewing.conflicts import conflict_reason

    return conflict_reason(assignment.reviewer, assignment.letter) is None


@rules.predicate
def confirmed_no_conflict(user, assignment):
    return assignment.no_conflict_confirmed_at is not None


# Title and mode only, to answer the conflict question.
rules.add_perm("intents.open_assignment", holds_assignment & letter_standing & free_of_conflict)
# The whole letter, its documents and (if the call allows, after one's own) the other reviews.
rules.add_perm(
    "intents.read_assigned_letter",
    holds_assignment & letter_standing & confirmed_no_conflict & free_of_conflict,
)
