"""The office's actions: deciding on letters (privately, until released), releasing the
decisions of a call and asking for the ZIP of its documents, each in one transaction with its
audit events and e-mails."""

from collections.abc import Collection

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.log import record

from ..decision_notice import shared_comments
from ..letters.actions import LetterError, lock_letter
from ..models import Call, Decision, ExportJob, LetterOfIntent
from . import archive, decisions


def decision_refusal(letter: LetterOfIntent, decision: Decision | None) -> LetterError | None:
    """Why the office cannot decide on the letter now, as the error to raise or show; None if
    it can. A decision stays open to change until it is released."""
    if letter.submitted_at is None:
        return LetterError(_("Only a filed letter can be decided on."))
    if letter.state == LetterOfIntent.State.WITHDRAWN:
        return LetterError(_("This letter was withdrawn; it cannot be decided on."))
    if decision is not None and decision.is_released:
        return LetterError(
            _(
                "The decision on this letter has been released to the applicant; "
                "it can no longer be changed."
            )
        )
    if letter.state not in LetterOfIntent.State.reviewable():
        return LetterError(_("This letter cannot be decided on."))
    return None


def decide(*, user: User, letter_id: int, outcome: str, note: str | None) -> Decision:
    """Record or change the office's decision. It stays private (the letter's state does not
    change) until release_decisions. note=None keeps the decision's internal note."""
    if outcome not in Decision.Outcome.values:
        raise LetterError(_("Choose a decision."))
    with transaction.atomic():
        letter = lock_letter(letter_id)
        decision = Decision.objects.filter(letter=letter).first()
        if refusal := decision_refusal(letter, decision):
            raise refusal
        if decision is None:
            decision = Decision(letter=letter)
        previous = decision.outcome or None
        if note is None:
            note = decision.internal_note
        if previous == outcome and decision.internal_note == note:
            return decision
        decision.outcome = outcome
        decision.internal_note = note
        decision.decided_by = user
        decision.save()
        changes = {"outcome": outcome}
        if previous not in (None, outcome):
            changes["previous"] = previous
        record(user, "decision.set", letter, **changes)
    return decision


def decide_all(*, user: User, letter_ids: Collection[int], outcome: str, note: str | None) -> int:
    """decide() for each letter, all or nothing: if one is refused, no decision changes."""
    with transaction.atomic():
        refused = []
        # In id order, so two officers deciding overlapping sets lock letters in the same order.
        for letter_id in sorted(set(letter_ids)):
            try:
                decide(user=user, letter_id=letter_id, outcome=outcome, note=note)
            except LetterError:
                refused.append(letter_id)
        if refused:
            references = LetterOfIntent.objects.filter(pk__in=refused).order_by("reference")
            raise LetterError(
                _("Nothing was changed: %(references)s cannot be decided on.")
                % {"references": ", ".join(str(letter) for letter in references)}
            )
    return len(set(letter_ids))


def release_decisions(*, user: User, call_id: int) -> list[Decision]:
    """Tell the applicants: every pending decision of the call at once. Each letter takes its
    outcome as state, and each recipient gets one e-mail. A second release finds nothing left,
    and the outbox's keys would send nothing twice anyway. Returns the released decisions."""
    with transaction.atomic():
        call = Call.objects.get(pk=call_id)
        # Lock the letters too, so a withdrawal cannot slip in between.
        released = list(
            decisions.with_recipients(decisions.pending(call)).select_for_update(
                of=("self", "letter")
            )
        )
        if not released:
            return []
        now = timezone.now()
        Decision.objects.filter(pk__in=[d.pk for d in released]).update(
            released_at=now, released_by=user
        )
        # Each outcome is also the name of the state it leads to.
        for outcome in Decision.Outcome.values:
            LetterOfIntent.objects.filter(
                pk__in=[d.letter_id for d in released if d.outcome == outcome]
            ).update(state=LetterOfIntent.State(outcome), version=F("version") + 1, updated_at=now)
        comments = shared_comments(call, [d.letter_id for d in released])
        for decision in released:
            decision.released_at, decision.released_by = now, user
            decision.letter.state = LetterOfIntent.State(decision.outcome)
            record(user, "decision.released", decision.letter, outcome=decision.outcome)
            decisions.queue_notices(decision, comments.get(decision.letter_id, []))
    return released


def request_documents_zip(*, user: User, call: Call) -> tuple[ExportJob, bool]:
    """A new job for the call's ZIP, or the one already waiting or being built: (job, created)."""
    with transaction.atomic():
        # Serialises two officers starting at once, so a call never has two jobs under way.
        Call.objects.select_for_update().filter(pk=call.pk).first()
        under_way = call.exports.filter(
            kind=ExportJob.Kind.DOCUMENTS_ZIP,
            state__in=[ExportJob.State.QUEUED, ExportJob.State.RUNNING],
        )
        # A build that went down with its worker is retried (or failed) now, as the sweeper
        # would at its next run: the officer never waits behind a dead build.
        archive.recover(under_way)
        job = under_way.first()
        created = job is None
        if job is None:
            job = ExportJob.objects.create(call=call, requested_by=user)
            record(user, "export.requested", call, kind=job.kind, job=job.pk)
        if job.state == ExportJob.State.QUEUED:
            # A waiting job is handed to the broker again: it may have been down the first time,
            # and the task builds a job only once. If it is down now, the job's page says so.
            # (celery-types does not know the app's task class, which has delay_on_commit.)
            archive.build_documents_zip.delay_on_commit(job.pk)  # type: ignore[attr-defined]
    return job, created
