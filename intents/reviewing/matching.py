"""Automatic assignment as a pure function: plain data in, a plan with its reasons out.

The rule, one slot at a time: a letter's next reviewer is, among those who may take it (no
conflict, not already on it), the one with the fewest letters; among equals an expert in the
letter's cooperation mode; among those the lowest id. Because every pick goes to a least-loaded
eligible reviewer, loads stay within one of each other unless conflicts leave no such reviewer,
and a letter is short of reviewers only when fewer than N people may read it. Letters with the
fewest eligible experts choose first, so scarce expertise goes where it is needed.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Candidate:
    id: int
    load: int
    expertise: frozenset = frozenset()


@dataclass(frozen=True)
class Opening:
    """A letter and who already reads it; `conflicts` maps a reviewer id to the reason."""

    id: int
    mode_id: int
    assigned: frozenset = frozenset()
    conflicts: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Pick:
    letter_id: int
    reviewer_id: int
    expert: bool
    load_before: int
    eligible: int
    experts_eligible: int


@dataclass(frozen=True)
class Shortfall:
    letter_id: int
    missing: int
    # Why the rest of the pool could not take it: reason -> number of reviewers.
    reasons: dict


@dataclass
class Plan:
    picks: list
    shortfalls: list


def plan(openings, candidates, per_letter):
    loads = {candidate.id: candidate.load for candidate in candidates}
    expertise = {candidate.id: candidate.expertise for candidate in candidates}
    reviewer_ids = sorted(loads)
    picks, shortfalls = [], []

    def eligible_for(opening, taken):
        return [
            reviewer_id
            for reviewer_id in reviewer_ids
            if reviewer_id not in opening.conflicts and reviewer_id not in taken
        ]

    def scarcity(opening):
        eligible = eligible_for(opening, opening.assigned)
        return (sum(opening.mode_id in expertise[r] for r in eligible), len(eligible), opening.id)

    for opening in sorted(openings, key=scarcity):
        taken = set(opening.assigned)
        for _slot in range(per_letter - len(taken)):
            eligible = eligible_for(opening, taken)
            if not eligible:
                break
            experts = [r for r in eligible if opening.mode_id in expertise[r]]
            chosen = min(eligible, key=lambda r: (loads[r], opening.mode_id not in expertise[r], r))
            picks.append(
                Pick(
                    letter_id=opening.id,
                    reviewer_id=chosen,
                    expert=opening.mode_id in expertise[chosen],
                    load_before=loads[chosen],
                    eligible=len(eligible),
                    experts_eligible=len(experts),
                )
            )
            loads[chosen] += 1
            taken.add(chosen)
        missing = per_letter - len(taken)
        if missing > 0:
            shortfalls.append(
                Shortfall(
                    letter_id=opening.id,
                    missing=missing,
                    reasons=_refusals(opening, loads, taken),
                )
            )
    picks.sort(key=lambda pick: (pick.letter_id, pick.reviewer_id))
    shortfalls.sort(key=lambda shortfall: shortfall.letter_id)
    return Plan(picks=picks, shortfalls=shortfalls)


def _refusals(opening, loads, taken):
    reasons = {"assigned": len(taken)} if taken else {}
    for reviewer_id in loads:
        reason = opening.conflicts.get(reviewer_id)
        if reason is not None:
            reasons[reason] = reasons.get(reason, 0) + 1
    reasons["pool"] = len(loads)
    return reasons
