"""Who reads which letter: by hand, automatically, and the reviewer's conflict declaration."""

from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.log import record
from portal.notifications.outbox import queue_templated_email

from ..models import Assignment, AssignmentRun, Call, ConflictDeclaration, LetterOfIntent
from . import ReviewingError, matching
from .conflicts import REASONS, ConflictFinder


def assign(*, user: User, reviewer_id: int, letter_id: int) -> Assignment:
    with transaction.atomic():
        letter = (
            LetterOfIntent.objects.select_for_update()
            .select_related("call", "organisation", "mode")
            .get(pk=letter_id)
        )
        reviewer = letter.call.reviewers.active().filter(pk=reviewer_id).first()
        if reviewer is None:
            raise ReviewingError(_("Choose a reviewer who has joined this call's pool."))
        if not letter.call.letters.reviewable().filter(pk=letter.pk).exists():
            raise ReviewingError(_("Only submitted letters still in the running can be assigned."))
        if letter.assignments.filter(reviewer=reviewer).exists():
            raise ReviewingError(
                _("%(reviewer)s is already assigned to %(letter)s.")
                % {"reviewer": reviewer, "letter": letter}
            )
        reason = ConflictFinder(letter.call, [reviewer]).reason(reviewer, letter)
        if reason is not None:
            raise ReviewingError(
                _("%(reviewer)s cannot review %(letter)s: the reviewer %(reason)s.")
                % {"reviewer": reviewer, "letter": letter, "reason": REASONS[reason]}
            )
        assignment = Assignment.objects.create(
            reviewer=reviewer, letter=letter, origin=Assignment.Origin.MANUAL, assigned_by=user
        )
        record(user, "assignment.made", letter, reviewer=reviewer.email)
        _notify_reviewer(reviewer, [letter], letter.call, key=f"assignment:{assignment.pk}")
    return assignment


def unassign(*, user: User, assignment_id: int) -> None:
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update()
            .select_related("letter", "reviewer")
            .get(pk=assignment_id)
        )
        if hasattr(assignment, "review"):
            raise ReviewingError(
                _("%(reviewer)s has already started a review of this letter; it stays assigned.")
                % {"reviewer": assignment.reviewer}
            )
        record(user, "assignment.removed", assignment.letter, reviewer=assignment.reviewer.email)
        assignment.delete()


def run_automatic_assignment(*, user: User, call_id: int) -> AssignmentRun:
    """Fill every reviewable letter up to the call's number of reviewers. Existing assignments
    stay as they are, so running it again only fills gaps."""
    with transaction.atomic():
        # One run at a time per call: the second waits and then sees the first one's rows.
        call = Call.objects.select_for_update().get(pk=call_id)
        reviewers = list(
            call.reviewers.active()
            .select_related("user", "organisation")
            .prefetch_related("expertise")
        )
        letters = {
            letter.pk: letter
            for letter in call.letters.reviewable().select_related("organisation", "mode")
        }
        existing = list(
            Assignment.objects.filter(letter__call=call).values_list("letter_id", "reviewer_id")
        )
        loads = Counter(reviewer_id for _letter, reviewer_id in existing)
        assigned = defaultdict(set)
        for letter_id, reviewer_id in existing:
            assigned[letter_id].add(reviewer_id)
        finder = ConflictFinder(call, reviewers)
        openings = []
        for letter in letters.values():
            conflicts = {}
            for reviewer in reviewers:
                reason = finder.reason(reviewer, letter)
                if reason is not None:
                    conflicts[reviewer.pk] = reason
            openings.append(
                matching.Opening(
                    id=letter.pk,
                    mode_id=letter.mode_id,
                    assigned=frozenset(assigned[letter.pk]),
                    conflicts=conflicts,
                )
            )
        candidates = [
            matching.Candidate(
                id=reviewer.pk,
                load=loads[reviewer.pk],
                expertise=frozenset(mode.pk for mode in reviewer.expertise.all()),
            )
            for reviewer in reviewers
        ]
        plan = matching.plan(openings, candidates, call.reviewers_per_letter)
        run = AssignmentRun.objects.create(
            call=call,
            run_by=user,
            report={
                "per_letter": call.reviewers_per_letter,
                "letters": len(letters),
                "reviewers": len(reviewers),
                "picks": [pick.__dict__ for pick in plan.picks],
                "shortfalls": [shortfall.__dict__ for shortfall in plan.shortfalls],
            },
        )
        Assignment.objects.bulk_create(
            Assignment(
                reviewer_id=pick.reviewer_id,
                letter_id=pick.letter_id,
                origin=Assignment.Origin.AUTOMATIC,
                explanation={**pick.__dict__, "run": run.pk},
                assigned_by=user,
            )
            for pick in plan.picks
        )
        record(user, "assignment.automatic", call, run=run.pk, made=len(plan.picks))
        by_reviewer = defaultdict(list)
        for pick in plan.picks:
            by_reviewer[pick.reviewer_id].append(letters[pick.letter_id])
        for reviewer in reviewers:
            if by_reviewer[reviewer.pk]:
                key = f"assignment-run:{run.pk}:{reviewer.pk}"
                _notify_reviewer(reviewer, by_reviewer[reviewer.pk], call, key=key)
    return run


def confirm_no_conflict(*, user: User, assignment_id: int) -> Assignment:
    with transaction.atomic():
        assignment = _lock_own(user, assignment_id)
        if assignment.no_conflict_confirmed_at is None:
            _refuse_once_decided(assignment)
            assignment.no_conflict_confirmed_at = timezone.now()
            assignment.save(update_fields=["no_conflict_confirmed_at"])
            record(user, "conflict.none", assignment.letter)
    return assignment


def declare_conflict(
    *, user: User, assignment_id: int, kind: str, note: str
) -> ConflictDeclaration:
    """Record the conflict, take the letter away from the reviewer and tell the office."""
    with transaction.atomic():
        assignment = _lock_own(user, assignment_id)
        _refuse_once_decided(assignment)
        review = getattr(assignment, "review", None)
        if review is not None and review.is_submitted:
            raise ReviewingError(
                _(
                    "You have already submitted your review of this letter. Write to the "
                    "programme office about the conflict."
                )
            )
        letter, reviewer = assignment.letter, assignment.reviewer
        declaration = ConflictDeclaration.objects.create(
            reviewer=reviewer, letter=letter, kind=kind, note=note
        )
        if review is not None:
            review.delete()
        assignment.delete()
        record(user, "conflict.declared", letter, kind=kind, draft_discarded=review is not None)
        for officer in User.objects.filter(is_programme_officer=True, is_active=True):
            queue_templated_email(
                key=f"conflict:{declaration.pk}:{officer.pk}",
                to=officer.email,
                template="emails/conflict_declared",
                context={"declaration": declaration, "letter": letter, "reviewer": reviewer},
                language=officer.language,
                time_zone=officer.time_zone,
            )
    return declaration


def _lock_own(user, assignment_id):
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("letter", "reviewer")
        .filter(pk=assignment_id, reviewer__user=user)
        .first()
    )
    if assignment is None:
        raise ReviewingError(_("This letter is no longer assigned to you."))
    return assignment


def _refuse_once_decided(assignment):
    # The conflict question opens the letter for a review; once the decision is out there is
    # no review left to write, so an unanswered question stays unanswered and the letter shut.
    if not assignment.letter.is_reviewable:
        raise ReviewingError(
            _("The decision on this letter is released: the conflict question is closed.")
        )


def _notify_reviewer(reviewer, letters, call, *, key):
    queue_templated_email(
        key=key,
        to=reviewer.user.email,
        template="emails/assignment",
        context={"reviewer": reviewer, "letters": letters, "call": call},
        language=reviewer.user.language,
        time_zone=reviewer.user.time_zone,
    )
