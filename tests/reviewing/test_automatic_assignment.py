"""Automatic assignment against the database: who gets which letters, what is kept, what is said."""

from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intents.letters import actions
from intents.models import (
    Assignment,
    AssignmentRun,
    ConflictDeclaration,
    LetterOfIntent,
    Review,
)
from intents.reviewing import assignments, reviews
from intents.reviewing.conflicts import ConflictFinder
from portal.notifications.models import OutboundEmail
from portal.organisations.models import Organisation, Role

from ..factories import (
    CallFactory,
    LetterFactory,
    MembershipFactory,
    ModeFactory,
    OrganisationFactory,
    ReviewerFactory,
)
from .conftest import full_scores, review_answers

State = LetterOfIntent.State


def filed(call, mode, organisation=None, *, partners="", state=State.SUBMITTED, title="Letter"):
    """A letter as the office finds it after submission (or in a later state)."""
    return LetterFactory(
        call=call,
        mode=mode,
        organisation=organisation or OrganisationFactory(),
        title=title,
        partner_organisations=partners,
        state=state,
        submitted_at=None if state == State.DRAFT else timezone.now(),
    )


def run(call, officer):
    return assignments.run_automatic_assignment(user=officer, call_id=call.pk)


def readers(letter):
    return set(Assignment.objects.filter(letter=letter).values_list("reviewer_id", flat=True))


def loads(call):
    return Counter(
        Assignment.objects.filter(letter__call=call).values_list("reviewer_id", flat=True)
    )


def run_emails(run):
    return OutboundEmail.objects.filter(idempotency_key__startswith=f"assignment-run:{run.pk}:")


@pytest.fixture
def pool(call, mode):
    """Four reviewers from Germany, none tied to anyone."""
    return [ReviewerFactory(call=call, country="DE", expertise=[mode]) for _ in range(4)]


def needs(call, per_letter, **switches):
    call.reviewers_per_letter = per_letter
    for name, value in switches.items():
        setattr(call, name, value)
    call.save()


# Filling letters


def test_it_gives_every_submitted_letter_n_reviewers_from_the_pool(call, mode, pool, officer):
    needs(call, 2)
    letters = [filed(call, mode) for _ in range(3)]
    result = run(call, officer)
    for letter in letters:
        assert len(readers(letter)) == 2
        assert readers(letter) <= {r.pk for r in pool}
    assert sorted(loads(call).values()) == [1, 1, 2, 2]
    made = Assignment.objects.filter(letter__call=call)
    assert {a.origin for a in made} == {Assignment.Origin.AUTOMATIC}
    assert {a.assigned_by for a in made} == {officer}
    assert {a.explanation["run"] for a in made} == {result.pk}
    assert result.report["shortfalls"] == []
    assert len(result.report["picks"]) == 6


def test_letters_under_review_are_filled_too(call, mode, pool, officer):
    """Under review: a reviewer already reads it (a letter has no state for that)."""
    needs(call, 2)
    letter = filed(call, mode)
    assignments.assign(user=officer, reviewer_id=pool[0].pk, letter_id=letter.pk)
    run(call, officer)
    assert len(readers(letter)) == 2


@pytest.mark.parametrize(
    "state", [State.DRAFT, State.WITHDRAWN, State.SELECTED, State.WAITLISTED, State.NOT_SELECTED]
)
def test_letters_out_of_the_running_are_never_assigned(call, mode, pool, officer, state):
    letter = filed(call, mode, state=state)
    result = run(call, officer)
    assert readers(letter) == set()
    assert result.report["letters"] == 0


def test_a_draft_and_a_withdrawn_letter_are_skipped(call, mode, pool, officer, owner, submitted):
    """Through the real flows: a submitted letter withdrawn, and another organisation's draft."""
    other = filed(call, mode)
    withdrawn = actions.withdraw(
        letter_id=submitted.pk,
        user=owner,
        reason="Plans changed.",
        expected_version=submitted.version,
    )
    later_draft = LetterFactory(call=call, mode=mode, organisation=OrganisationFactory())
    run(call, officer)
    assert readers(withdrawn) == set()
    assert readers(later_draft) == set()
    assert len(readers(other)) == 3


def test_a_reviewer_who_has_not_accepted_the_invitation_is_never_assigned(call, mode, officer):
    needs(call, 2)
    invited = ReviewerFactory(call=call, user=None, email="later@example.org")
    accepted = ReviewerFactory(call=call)
    letter = filed(call, mode)
    result = run(call, officer)
    assert readers(letter) == {accepted.pk}
    assert invited.pk not in loads(call)
    assert result.report["reviewers"] == 1


def test_an_expert_is_chosen_over_an_equally_loaded_colleague(call, mode, officer):
    needs(call, 1)
    ReviewerFactory(call=call)
    expert = ReviewerFactory(call=call, expertise=[mode])
    letter = filed(call, mode)
    run(call, officer)
    assignment = Assignment.objects.get(letter=letter)
    assert assignment.reviewer == expert
    assert assignment.explanation["expert"] is True


# Conflicts


def test_it_never_assigns_a_reviewer_placed_in_the_pool_for_the_applicant(
    call, mode, pool, officer
):
    needs(call, 4)
    applicant = OrganisationFactory()
    insider = ReviewerFactory(call=call, organisation=applicant)
    letter = filed(call, mode, applicant)
    run(call, officer)
    assert readers(letter) == {r.pk for r in pool}
    assert insider.pk not in readers(letter)


def test_it_never_assigns_a_member_of_the_applicant_organisation(call, mode, pool, officer):
    needs(call, 4)
    applicant = OrganisationFactory()
    MembershipFactory(organisation=applicant, user=pool[0].user, role=Role.VIEWER)
    letter = filed(call, mode, applicant)
    run(call, officer)
    assert pool[0].pk not in readers(letter)
    assert len(readers(letter)) == 3


def test_it_never_assigns_a_reviewer_of_a_partner_organisation(call, mode, pool, officer):
    needs(call, 4)
    agency = OrganisationFactory(legal_name="European Space Agency", short_name="ESA")
    pool[1].organisation = agency
    pool[1].save()
    pool[2].affiliation = "University of Bern"
    pool[2].save()
    letter = filed(call, mode, partners="Mesa Labs\nesa (ESTEC)\nuniversity of BERN, Switzerland")
    unrelated = filed(call, mode, partners="Mesa Labs")
    run(call, officer)
    assert readers(letter) == {pool[0].pk, pool[3].pk}
    assert readers(unrelated) == {r.pk for r in pool}


def test_the_same_country_keeps_a_reviewer_away_only_when_the_call_says_so(
    call, mode, pool, officer
):
    needs(call, 5)
    french = ReviewerFactory(call=call, country="FR")
    french_letter = filed(call, mode, OrganisationFactory(country="FR"))
    run(call, officer)
    assert french.pk in readers(french_letter)

    other_call = CallFactory(reviewers_per_letter=4, conflict_same_country=True)
    other_mode = ModeFactory(call=other_call)
    others = [ReviewerFactory(call=other_call, country="DE") for _ in range(4)]
    compatriot = ReviewerFactory(call=other_call, country="FR")
    letter = filed(other_call, other_mode, OrganisationFactory(country="FR"))
    run(other_call, officer)
    assert readers(letter) == {r.pk for r in others}
    assert compatriot.pk not in readers(letter)


def test_a_declared_conflict_keeps_the_reviewer_away_for_good(
    call, submitted, reviewer, assignment, officer
):
    needs(call, 1)
    others = [ReviewerFactory(call=call) for _ in range(2)]
    assignments.declare_conflict(
        user=reviewer.user,
        assignment_id=assignment.pk,
        kind=ConflictDeclaration.Kind.COLLABORATIVE,
        note="We wrote a paper together last year.",
    )
    run(call, officer)
    assert reviewer.pk not in readers(submitted)
    assert len(readers(submitted)) == 1
    assert readers(submitted) <= {r.pk for r in others}


# Running it again


def test_running_it_again_adds_nothing_when_every_letter_is_full(call, mode, pool, officer):
    needs(call, 2)
    letters = [filed(call, mode) for _ in range(3)]
    first = run(call, officer)
    before = list(Assignment.objects.filter(letter__call=call).values())
    second = run(call, officer)
    assert list(Assignment.objects.filter(letter__call=call).values()) == before
    assert second.report["picks"] == []
    assert second.report["shortfalls"] == []
    assert not run_emails(second).exists()
    assert run_emails(first).count() == 4
    assert all(len(readers(letter)) == 2 for letter in letters)


def test_running_it_again_fills_only_the_gaps(call, mode, pool, officer):
    needs(call, 2)
    first_letter = filed(call, mode)
    run(call, officer)
    kept = readers(first_letter)
    needs(call, 3)
    second_letter = filed(call, mode)
    run(call, officer)
    assert kept < readers(first_letter)
    assert len(readers(first_letter)) == 3
    assert len(readers(second_letter)) == 3


def test_assignments_with_a_started_or_submitted_review_are_left_as_they_are(
    call, mode, submitted, reviewer, confirmed, criteria, officer
):
    needs(call, 3)
    colleague = ReviewerFactory(call=call, organisation=OrganisationFactory(short_name="ESTEC"))
    handed_in = assignments.assign(user=officer, reviewer_id=colleague.pk, letter_id=submitted.pk)
    assignments.confirm_no_conflict(user=colleague.user, assignment_id=handed_in.pk)
    reviews.save_review(
        user=colleague.user,
        assignment_id=handed_in.pk,
        values=full_scores(criteria, 5),
        answers=review_answers(),
        submit=True,
    )
    reviews.save_review(
        user=reviewer.user,
        assignment_id=confirmed.pk,
        values=full_scores(criteria, 3),
        answers=review_answers(),
        submit=False,
    )
    # Since then both readers have come into conflict: a partner added, the country rule on.
    LetterOfIntent.objects.filter(pk=submitted.pk).update(partner_organisations="ESTEC")
    Organisation.objects.filter(pk=submitted.organisation_id).update(country=reviewer.country)
    needs(call, 3, conflict_same_country=True)
    newcomer = ReviewerFactory(call=call, country="IT")
    before = list(Assignment.objects.filter(letter=submitted).values())
    before_reviews = list(Review.objects.filter(assignment__letter=submitted).values())

    result = run(call, officer)

    after = list(Assignment.objects.filter(letter=submitted).exclude(reviewer=newcomer).values())
    assert after == before
    assert list(Review.objects.filter(assignment__letter=submitted).values()) == before_reviews
    assert readers(submitted) == {reviewer.pk, colleague.pk, newcomer.pk}
    assert result.report["shortfalls"] == []


# The report and the e-mails


def test_the_report_names_each_unfilled_letter_with_the_reasons(call, mode, pool, officer):
    needs(call, 3)
    applicant = OrganisationFactory(legal_name="Lunar Works", short_name="LW")
    pool[0].organisation = applicant
    pool[0].save()
    pool[1].affiliation = "Mesa Labs"
    pool[1].save()
    short = filed(call, mode, applicant, partners="Mesa Labs")
    fine = filed(call, mode)
    result = run(call, officer)
    result.refresh_from_db()
    assert result.report["per_letter"] == 3
    assert result.report["letters"] == 2
    assert result.report["reviewers"] == 4
    assert result.report["shortfalls"] == [
        {
            "letter_id": short.pk,
            "missing": 1,
            "reasons": {"assigned": 2, "own_organisation": 1, "partner": 1, "pool": 4},
        }
    ]
    assert len(readers(fine)) == 3
    assert AssignmentRun.objects.filter(call=call).get() == result


def test_the_report_names_a_letter_nobody_may_read(call, mode, officer):
    needs(call, 2)
    letter = filed(call, mode)
    result = run(call, officer)
    result.refresh_from_db()
    assert result.report["shortfalls"] == [
        {"letter_id": letter.pk, "missing": 2, "reasons": {"pool": 0}}
    ]


def test_each_reviewer_gets_one_email_per_run_listing_their_letters(call, mode, pool, officer):
    needs(call, 2)
    letters = [filed(call, mode, title=f"Regolith sampler {n}") for n in range(4)]
    result = run(call, officer)
    emails = {email.to: email for email in run_emails(result)}
    assert len(emails) == len(pool) == run_emails(result).count()
    for reviewer in pool:
        email = emails[reviewer.user.email]
        theirs = Assignment.objects.filter(reviewer=reviewer).select_related("letter")
        for letter in letters:
            listed = f"{letter.title}" in email.body_text
            assert listed == theirs.filter(letter=letter).exists()


def test_a_later_run_writes_only_to_reviewers_who_got_new_letters(call, mode, pool, officer):
    needs(call, 2)
    filed(call, mode)
    first = run(call, officer)
    newcomer = filed(call, mode, title="Seismometer")
    second = run(call, officer)
    new_readers = readers(newcomer)
    assert {e.to for e in run_emails(second)} == {r.user.email for r in pool if r.pk in new_readers}
    assert run_emails(first).count() == 2
    assert OutboundEmail.objects.filter(idempotency_key__startswith="assignment-run:").count() == 4


def test_a_run_that_assigns_nothing_writes_to_nobody(call, mode, pool, officer):
    result = run(call, officer)
    assert not run_emails(result).exists()
    assert result.report["picks"] == []


# Random pools


@st.composite
def pools(draw):
    countries = ["FR", "DE", "IT"]
    organisations = draw(st.lists(st.sampled_from(countries), min_size=1, max_size=4))
    in_organisation = st.none() | st.integers(0, len(organisations) - 1)
    reviewers = draw(
        st.lists(
            st.tuples(
                st.sampled_from(countries),
                in_organisation,  # the organisation of the pool entry
                in_organisation,  # an organisation the reviewer is a member of
                st.booleans(),  # expert in mode 1
            ),
            max_size=6,
        )
    )
    letters = draw(
        st.lists(
            st.tuples(
                st.integers(0, len(organisations) - 1),
                st.sets(st.integers(0, len(organisations) - 1), max_size=2),  # partners
                st.booleans(),  # mode 1 or 2
            ),
            max_size=6,
        )
    )
    return organisations, reviewers, letters, draw(st.integers(1, 3)), draw(st.booleans())


@settings(
    max_examples=15,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=pools())
def test_random_pools_get_no_conflicted_pair_and_balanced_loads(db, officer, scenario):
    with transaction.atomic():
        check_random_pool(officer, *scenario)
        transaction.set_rollback(True)


def check_random_pool(officer, organisations, pool, letters, per_letter, same_country):
    call = CallFactory(reviewers_per_letter=per_letter, conflict_same_country=same_country)
    modes = [ModeFactory(call=call, number=1), ModeFactory(call=call, number=2)]
    organisations = [
        OrganisationFactory(country=country, legal_name=f"Observatory {n}", short_name=f"OB{n}")
        for n, country in enumerate(organisations)
    ]
    reviewers = []
    for country, placed, member, expert in pool:
        reviewer = ReviewerFactory(
            call=call,
            country=country,
            organisation=None if placed is None else organisations[placed],
            affiliation="",
            expertise=[modes[0]] if expert else [],
        )
        if member is not None:
            MembershipFactory(organisation=organisations[member], user=reviewer.user)
        reviewers.append(reviewer)
    for applicant, partners, first_mode in letters:
        filed(
            call,
            modes[0] if first_mode else modes[1],
            organisations[applicant],
            # Partners written loosely: the short name in lower case, with punctuation around.
            partners="\n".join(f"({organisations[p].short_name.lower()})," for p in partners),
        )

    run(call, officer)

    letters = list(
        LetterOfIntent.objects.filter(call=call).select_related("organisation").order_by("pk")
    )
    finder = ConflictFinder(call, reviewers)
    conflicted = {(r.pk, x.pk) for r in reviewers for x in letters if finder.reason(r, x)}
    pairs = set(
        Assignment.objects.filter(letter__call=call).values_list("reviewer_id", "letter_id")
    )
    assert not pairs & conflicted
    for letter in letters:
        may_read = [r for r in reviewers if (r.pk, letter.pk) not in conflicted]
        assert len(readers(letter)) == min(per_letter, len(may_read))
    load = loads(call)
    for heavy in reviewers:
        for light in reviewers:
            if load[heavy.pk] >= load[light.pk] + 2:
                heavy_letters = [x for r, x in pairs if r == heavy.pk]
                assert any(
                    (light.pk, x) in conflicted or (light.pk, x) in pairs for x in heavy_letters
                )
