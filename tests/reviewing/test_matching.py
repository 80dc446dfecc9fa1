"""The automatic assignment rule, checked as properties of `matching.plan` over random pools.

The rule: a letter's next reviewer is, among those who may take it, the least loaded; among
equals an expert in the letter's mode; among those the lowest id. Letters with the fewest
eligible experts choose first.
"""

from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from intents.reviewing.matching import Candidate, Opening, Pick, Plan, Shortfall, plan

REASONS = ["own_organisation", "partner", "same_country", "declared"]
MODES = [1, 2, 3]

# No example database: nothing is written into the checkout.
properties = settings(max_examples=200, deadline=None, database=None)


def subset(items, mask):
    return [item for bit, item in enumerate(items) if mask >> bit & 1]


@st.composite
def scenarios(draw, *, conflicts=True, loads=False, assigned=False, letters=8):
    """Openings, candidates and N: a pool of up to 8 reviewers and up to `letters` letters.

    Ids are sparse and unordered so nothing depends on them being 1, 2, 3…; sets are drawn as
    bit masks, which keeps a couple of hundred examples down to a fraction of a second."""
    reviewer_ids = draw(st.lists(st.integers(1, 60), unique=True, max_size=8))
    everyone = 2 ** len(reviewer_ids) - 1
    candidates = [
        Candidate(
            id=reviewer_id,
            load=draw(st.integers(0, 4)) if loads else 0,
            expertise=frozenset(subset(MODES, draw(st.integers(0, 7)))),
        )
        for reviewer_id in reviewer_ids
    ]
    openings = []
    for letter_id in draw(st.lists(st.integers(1, 60), unique=True, max_size=letters)):
        conflicted, on_it = [], []
        if conflicts:
            # Two masks and-ed: about a quarter of the pool, so some letters have none.
            mask = draw(st.integers(0, everyone)) & draw(st.integers(0, everyone))
            conflicted = subset(reviewer_ids, mask)
        if assigned:
            # An existing reader may have a conflict found later (a partner added since).
            mask = draw(st.integers(0, everyone)) & draw(st.integers(0, everyone))
            on_it = subset(reviewer_ids, mask)
        openings.append(
            Opening(
                id=letter_id,
                mode_id=draw(st.sampled_from(MODES)),
                assigned=frozenset(on_it),
                conflicts={r: draw(st.sampled_from(REASONS)) for r in conflicted},
            )
        )
    return openings, candidates, draw(st.integers(1, 4))


def picked(result):
    by_letter = defaultdict(set)
    for pick in result.picks:
        by_letter[pick.letter_id].add(pick.reviewer_id)
    return by_letter


def final_loads(candidates, result):
    loads = Counter({candidate.id: candidate.load for candidate in candidates})
    loads.update(pick.reviewer_id for pick in result.picks)
    return loads


def may_take(opening, reviewer_id):
    return reviewer_id not in opening.conflicts and reviewer_id not in opening.assigned


def shortfalls_of(result):
    return {shortfall.letter_id: shortfall for shortfall in result.shortfalls}


# Safety


@properties
@given(scenarios(loads=True, assigned=True))
def test_it_never_picks_a_conflicted_or_assigned_reviewer_nor_anyone_twice(scenario):
    openings, candidates, per_letter = scenario
    result = plan(openings, candidates, per_letter)
    letters = {opening.id: opening for opening in openings}
    pool = {candidate.id for candidate in candidates}
    pairs = [(pick.letter_id, pick.reviewer_id) for pick in result.picks]
    assert len(pairs) == len(set(pairs))
    for pick in result.picks:
        assert pick.reviewer_id in pool
        assert pick.reviewer_id not in letters[pick.letter_id].conflicts
        assert pick.reviewer_id not in letters[pick.letter_id].assigned
    for letter_id, reviewers in picked(result).items():
        already = len(letters[letter_id].assigned)
        assert already + len(reviewers) <= max(per_letter, already)


# Filling every letter


@properties
@given(scenarios())
def test_it_fills_every_letter_to_n_whenever_n_reviewers_may_read_it(scenario):
    openings, candidates, per_letter = scenario
    result = plan(openings, candidates, per_letter)
    chosen, short = picked(result), shortfalls_of(result)
    assert len(short) == len(result.shortfalls)
    for opening in openings:
        eligible = [c.id for c in candidates if c.id not in opening.conflicts]
        assert len(chosen[opening.id]) == min(per_letter, len(eligible))
        if len(eligible) >= per_letter:
            assert opening.id not in short
        else:
            assert short[opening.id].missing == per_letter - len(eligible)
    assert set(short) <= {opening.id for opening in openings}


@properties
@given(scenarios())
def test_a_shortfall_accounts_for_every_reviewer_of_the_pool(scenario):
    openings, candidates, per_letter = scenario
    result = plan(openings, candidates, per_letter)
    chosen = picked(result)
    letters = {opening.id: opening for opening in openings}
    for shortfall in result.shortfalls:
        opening = letters[shortfall.letter_id]
        expected = Counter(opening.conflicts[c.id] for c in candidates if c.id in opening.conflicts)
        if chosen[opening.id]:
            expected["assigned"] = len(chosen[opening.id])
        expected["pool"] = len(candidates)
        assert shortfall.reasons == dict(expected)
        # Nobody left out without a reason: they were all taken or in conflict.
        explained = sum(count for reason, count in shortfall.reasons.items() if reason != "pool")
        assert explained == len(candidates)


@properties
@given(scenarios(loads=True, assigned=True))
def test_it_fills_only_the_gaps_left_by_earlier_assignments(scenario):
    openings, candidates, per_letter = scenario
    result = plan(openings, candidates, per_letter)
    chosen, short = picked(result), shortfalls_of(result)
    for opening in openings:
        newcomers = [c.id for c in candidates if may_take(opening, c.id)]
        gap = max(0, per_letter - len(opening.assigned))
        assert len(chosen[opening.id]) == min(gap, len(newcomers))
        missing = per_letter - len(opening.assigned) - len(chosen[opening.id])
        if missing > 0:
            assert short[opening.id].missing == missing
        else:
            assert opening.id not in short


@properties
@given(scenarios(loads=True, assigned=True))
def test_running_it_again_on_its_own_result_adds_nothing(scenario):
    openings, candidates, per_letter = scenario
    first = plan(openings, candidates, per_letter)
    chosen, loads = picked(first), final_loads(candidates, first)
    again = plan(
        [
            Opening(
                id=o.id,
                mode_id=o.mode_id,
                assigned=o.assigned | chosen[o.id],
                conflicts=o.conflicts,
            )
            for o in openings
        ],
        [Candidate(id=c.id, load=loads[c.id], expertise=c.expertise) for c in candidates],
        per_letter,
    )
    assert again.picks == []
    assert [(s.letter_id, s.missing) for s in again.shortfalls] == [
        (s.letter_id, s.missing) for s in first.shortfalls
    ]


# Balance


@properties
@given(scenarios(conflicts=False))
def test_without_conflicts_loads_differ_by_at_most_one(scenario):
    openings, candidates, per_letter = scenario
    result = plan(openings, candidates, per_letter)
    if candidates:
        loads = final_loads(candidates, result)
        values = [loads[c.id] for c in candidates]
        assert max(values) - min(values) <= 1


@properties
@given(scenarios())
def test_a_reviewer_carries_two_letters_more_only_where_the_other_could_not_help(scenario):
    openings, candidates, per_letter = scenario
    result = plan(openings, candidates, per_letter)
    loads, chosen = final_loads(candidates, result), picked(result)
    letters = {opening.id: opening for opening in openings}
    for heavy in candidates:
        for light in candidates:
            if loads[heavy.id] < loads[light.id] + 2:
                continue
            heavy_letters = [p.letter_id for p in result.picks if p.reviewer_id == heavy.id]
            assert any(
                light.id in letters[letter_id].conflicts or light.id in chosen[letter_id]
                for letter_id in heavy_letters
            ), f"{heavy.id} carries {loads[heavy.id]} while {light.id} carries {loads[light.id]}"


@properties
@given(scenarios(loads=True, assigned=True))
def test_every_pick_beats_everyone_left_off_the_letter_by_the_rule(scenario):
    """Whoever may take a letter but was not picked for it had, when the pick was made, more
    letters, or as many and no more expertise, or as many, the same expertise and a higher id.
    Loads only grow, so the final load stands in for the load at that moment."""
    openings, candidates, per_letter = scenario
    result = plan(openings, candidates, per_letter)
    loads, chosen = final_loads(candidates, result), picked(result)
    letters = {opening.id: opening for opening in openings}
    expertise = {c.id: c.expertise for c in candidates}
    for pick in result.picks:
        opening = letters[pick.letter_id]
        assert pick.expert == (opening.mode_id in expertise[pick.reviewer_id])
        winner = (pick.load_before, not pick.expert, pick.reviewer_id)
        for other in candidates:
            if may_take(opening, other.id) and other.id not in chosen[opening.id]:
                assert (loads[other.id], opening.mode_id not in other.expertise, other.id) > winner


@properties
@given(scenarios(loads=True, assigned=True))
def test_each_pick_records_the_load_and_the_choice_it_was_made_from(scenario):
    openings, candidates, per_letter = scenario
    result = plan(openings, candidates, per_letter)
    for candidate in candidates:
        befores = sorted(p.load_before for p in result.picks if p.reviewer_id == candidate.id)
        assert befores == list(range(candidate.load, candidate.load + len(befores)))
    by_letter = defaultdict(list)
    for pick in result.picks:
        by_letter[pick.letter_id].append(pick)
    for opening in openings:
        # Within a letter the picks came in the order of the rule's key.
        order = sorted(
            by_letter[opening.id], key=lambda p: (p.load_before, not p.expert, p.reviewer_id)
        )
        eligible = [c for c in candidates if may_take(opening, c.id)]
        experts = [c for c in eligible if opening.mode_id in c.expertise]
        for earlier, pick in enumerate(order):
            assert pick.eligible == len(eligible) - earlier
            assert pick.experts_eligible == len(experts) - sum(p.expert for p in order[:earlier])


# Determinism


@properties
@given(scenarios(loads=True, assigned=True))
def test_the_same_input_gives_the_same_plan(scenario):
    openings, candidates, per_letter = scenario
    assert plan(openings, candidates, per_letter) == plan(openings, candidates, per_letter)


@properties
@given(scenarios(loads=True, assigned=True), st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_change_the_plan(scenario, random):
    openings, candidates, per_letter = scenario
    shuffled_openings = []
    for opening in random.sample(openings, len(openings)):
        conflicts = list(opening.conflicts.items())
        random.shuffle(conflicts)
        shuffled_openings.append(
            Opening(
                id=opening.id,
                mode_id=opening.mode_id,
                assigned=opening.assigned,
                conflicts=dict(conflicts),
            )
        )
    shuffled_candidates = random.sample(candidates, len(candidates))
    expected = plan(openings, candidates, per_letter)
    assert plan(shuffled_openings, shuffled_candidates, per_letter) == expected


# Expertise


@properties
@given(scenarios(letters=1), st.integers(0, 5))
def test_among_equally_loaded_reviewers_experts_are_picked_first(scenario, load):
    openings, candidates, per_letter = scenario
    candidates = [Candidate(id=c.id, load=load, expertise=c.expertise) for c in candidates]
    result = plan(openings, candidates, per_letter)
    for opening in openings:
        eligible = [c for c in candidates if may_take(opening, c.id)]
        ranked = sorted(eligible, key=lambda c: (opening.mode_id not in c.expertise, c.id))
        assert picked(result)[opening.id] == {c.id for c in ranked[:per_letter]}
        experts = sum(opening.mode_id in c.expertise for c in eligible)
        assert sum(p.expert for p in result.picks) == min(per_letter, experts)


def test_it_picks_an_expert_over_a_colleague_with_a_lower_id():
    result = plan(
        [Opening(id=10, mode_id=1)],
        [Candidate(id=1, load=0), Candidate(id=2, load=0, expertise=frozenset({1}))],
        1,
    )
    assert result.picks == [
        Pick(
            letter_id=10, reviewer_id=2, expert=True, load_before=0, eligible=2, experts_eligible=1
        )
    ]


def test_a_lighter_load_comes_before_expertise():
    result = plan(
        [Opening(id=10, mode_id=1)],
        [Candidate(id=1, load=0), Candidate(id=2, load=1, expertise=frozenset({1}))],
        1,
    )
    assert [(p.reviewer_id, p.expert) for p in result.picks] == [(1, False)]


def test_scarce_expertise_goes_to_the_letter_that_needs_it():
    # Reviewer 1 knows both modes, reviewer 2 only mode 1. Letter 20 (mode 2) has one expert
    # and chooses first, so both letters get an expert although letter 10 has the lower id.
    result = plan(
        [Opening(id=10, mode_id=1), Opening(id=20, mode_id=2)],
        [
            Candidate(id=1, load=0, expertise=frozenset({1, 2})),
            Candidate(id=2, load=0, expertise=frozenset({1})),
        ],
        1,
    )
    assert [(p.letter_id, p.reviewer_id, p.expert) for p in result.picks] == [
        (10, 2, True),
        (20, 1, True),
    ]


# Examples


def test_an_empty_pool_leaves_every_letter_short():
    result = plan([Opening(id=10, mode_id=1), Opening(id=20, mode_id=2)], [], 3)
    assert result == Plan(
        picks=[],
        shortfalls=[
            Shortfall(letter_id=10, missing=3, reasons={"pool": 0}),
            Shortfall(letter_id=20, missing=3, reasons={"pool": 0}),
        ],
    )


def test_no_letters_make_an_empty_plan():
    assert plan([], [Candidate(id=1, load=0)], 3) == Plan(picks=[], shortfalls=[])


def test_it_explains_a_letter_nobody_may_read():
    result = plan(
        [Opening(id=10, mode_id=1, conflicts={1: "own_organisation", 2: "partner", 3: "partner"})],
        [Candidate(id=1, load=0), Candidate(id=2, load=0), Candidate(id=3, load=0)],
        2,
    )
    assert result.picks == []
    assert result.shortfalls == [
        Shortfall(letter_id=10, missing=2, reasons={"own_organisation": 1, "partner": 2, "pool": 3})
    ]


def test_rerunning_with_existing_assignments_only_fills_the_gaps():
    pool = [Candidate(id=r, load=load) for r, load in [(1, 2), (2, 1), (3, 0), (4, 0)]]
    result = plan(
        [
            Opening(id=10, mode_id=1, assigned=frozenset({1, 2})),
            Opening(id=20, mode_id=1, assigned=frozenset({1})),
            Opening(id=30, mode_id=1, assigned=frozenset({1, 2, 3})),
        ],
        pool,
        3,
    )
    assert [(p.letter_id, p.reviewer_id, p.load_before) for p in result.picks] == [
        (10, 3, 0),
        (20, 2, 1),
        (20, 4, 0),
    ]
    assert result.shortfalls == []


def test_a_letter_with_more_readers_than_needed_is_left_alone():
    result = plan(
        [Opening(id=10, mode_id=1, assigned=frozenset({1, 2, 3}))],
        [Candidate(id=r, load=1) for r in [1, 2, 3, 4]],
        2,
    )
    assert result == Plan(picks=[], shortfalls=[])
