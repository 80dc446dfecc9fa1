"""The reviewing pages use the same number of queries for a handful of letters and reviewers as
for a thousand letters and a hundred reviewers.

Both data sets are made by `build` with the same pattern, so each holds every kind of row a page
shows (each state of an assignment, drafts and submitted reviews with their scores, declared
conflicts, conflicts by membership and by partnership, pending invitations, runs with picks and
shortfalls); only their number differs. The large one is made with bulk_create.
"""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intents.models import (
    Assignment,
    AssignmentRun,
    ConflictDeclaration,
    LetterOfIntent,
    Review,
    Reviewer,
    Score,
)
from intents.reviewing import matching
from portal.accounts.models import User
from portal.organisations.models import Membership, Role

from ..factories import (
    CallFactory,
    CriterionFactory,
    ModeFactory,
    OrganisationFactory,
    ReviewerFactory,
    UserFactory,
)

PER_LETTER = 3
RUNS = 6  # more than the five the overview lists


@dataclass
class Size:
    letters: int
    reviewers: int
    conflicts: int  # declared conflicts; the overview lists the last 20
    organisations: int
    places: int  # calls the desk's reviewer has a place in


SMALL = Size(letters=3, reviewers=3, conflicts=1, organisations=1, places=1)
LARGE = Size(letters=1000, reviewers=100, conflicts=30, organisations=10, places=3)


@dataclass
class World:
    call: object
    letter: object  # one with its three reviewers: to declare, to review, submitted
    desk_user: object  # the reviewer with an assignment on every letter
    run: object


def build(size, officer):
    """A call with its rubric and modes, submitted letters, a reviewer pool and assignments."""
    now = timezone.now()
    call = CallFactory(review_deadline=now + dt.timedelta(days=30), reviewers_per_letter=PER_LETTER)
    modes = [ModeFactory(call=call, number=number) for number in (1, 2, 3)]
    criteria = [
        CriterionFactory(call=call, name=name, weight=weight, position=position)
        for position, (name, weight) in enumerate((("Science", 3), ("Feasibility", 2), ("Ties", 1)))
    ]
    organisations = [OrganisationFactory() for _ in range(size.organisations)]
    partner = organisations[0]

    letters = LetterOfIntent.objects.bulk_create(
        LetterOfIntent(
            call=call,
            organisation=organisations[number % len(organisations)],
            mode=modes[number % len(modes)],
            title=f"Instrument {number}",
            summary="A camera for shadowed craters.",
            partner_organisations=f"{partner.legal_name}\nUniversity {number}",
            state=LetterOfIntent.State.SUBMITTED,
            submitted_at=now - dt.timedelta(minutes=number),
            reference=f"{call.reference_prefix}-LOI-{number + 1:04d}",
        )
        for number in range(size.letters)
    )

    prefix = call.reference_prefix.lower()
    users = User.objects.bulk_create(
        User(email=f"{prefix}-reviewer-{number}@example.org", full_name=f"Reviewer {number}")
        for number in range(size.reviewers + 1)
    )
    # One in ten works for an organisation registered here, and one in ten belongs to one
    # as a member: both are conflicts with that organisation's letters.
    reviewers = Reviewer.objects.bulk_create(
        Reviewer(
            call=call,
            user=user,
            email=user.email,
            organisation=organisations[number % len(organisations)] if number % 10 == 1 else None,
            affiliation=partner.legal_name if number % 10 == 2 else f"Lab {number}",
            country="DE",
            invited_by=officer,
            accepted_at=now,
        )
        for number, user in enumerate(users)
    )
    Membership.objects.bulk_create(
        Membership(
            organisation=organisations[number % len(organisations)], user=user, role=Role.VIEWER
        )
        for number, user in enumerate(users)
        if number % 10 == 3
    )
    Reviewer.expertise.through.objects.bulk_create(
        Reviewer.expertise.through(reviewer_id=reviewer.pk, cooperationmode_id=mode.pk)
        for number, reviewer in enumerate(reviewers)
        for mode in modes[: number % 3 + 1]
    )
    Reviewer.objects.bulk_create(  # invitations not accepted yet
        Reviewer(call=call, email=f"{prefix}-invited-{number}@example.org", country="FR")
        for number in range(max(size.reviewers // 10, 1))
    )
    # The last reviewer reads nothing: they declared conflicts with the first letters.
    *readers, declarer = reviewers
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(
            reviewer=declarer, letter=letter, kind="institutional", note="Former PI"
        )
        for letter in letters[: size.conflicts]
    )

    # Every letter is on the first reviewer's desk; letter n has n % 3 more reviewers, so some
    # letters are short of reviewers. Assignments go through the four states in turn.
    others = readers[1:]
    pairs = []
    for number, letter in enumerate(letters):
        pairs.append((letter, readers[0]))
        for slot in range(number % PER_LETTER):
            pairs.append((letter, others[(2 * number + slot) % len(others)]))
    made = Assignment.objects.bulk_create(
        Assignment(
            letter=letter,
            reviewer=reviewer,
            origin=Assignment.Origin.MANUAL if index % 2 else Assignment.Origin.AUTOMATIC,
            assigned_by=officer,
            no_conflict_confirmed_at=None if index % 4 == 0 else now,
        )
        for index, (letter, reviewer) in enumerate(pairs)
    )
    drafts = [a for index, a in enumerate(made) if index % 4 == 2]
    submitted = [a for index, a in enumerate(made) if index % 4 == 3]
    reviews = Review.objects.bulk_create(
        [
            Review(assignment=assignment, comment_to_committee="So far so good.")
            for assignment in drafts
        ]
        + [
            Review(
                assignment=assignment,
                recommendation=Review.Recommendation.SELECT,
                comment_to_committee="Sound.",
                total=f"{3 + index % 3}.000",
                submitted_at=now,
            )
            for index, assignment in enumerate(submitted)
        ]
    )
    Score.objects.bulk_create(
        Score(review=review, criterion=criterion, value=3 + index % 3)
        for index, review in enumerate(reviews)
        for criterion in (criteria if review.submitted_at else criteria[:1])
    )

    # Earlier runs, and the last one with a pick for every letter and some letters left short.
    report = {
        "per_letter": PER_LETTER,
        "letters": len(letters),
        "reviewers": len(reviewers),
        "picks": [
            matching.Pick(
                letter_id=letter.pk,
                reviewer_id=others[number % len(others)].pk,
                expert=bool(number % 2),
                load_before=number % 7,
                eligible=len(reviewers) - 1,
                experts_eligible=number % 3,
            ).__dict__
            for number, letter in enumerate(letters)
        ],
        "shortfalls": [
            matching.Shortfall(
                letter_id=letter.pk,
                missing=1,
                reasons={
                    "assigned": 2,
                    "own_organisation": 1,
                    "declared": 1,
                    "pool": len(reviewers),
                },
            ).__dict__
            for letter in letters[::10]
        ],
    }
    AssignmentRun.objects.bulk_create(
        AssignmentRun(call=call, run_by=officer, report=report) for _ in range(RUNS)
    )
    run = AssignmentRun.objects.filter(call=call).first()

    # The desk's reviewer also has places in other calls, with nothing assigned there.
    for _ in range(size.places - 1):
        ReviewerFactory(call=CallFactory(), user=users[0], email=users[0].email)

    return World(call=call, letter=letters[2], desk_user=users[0], run=run)


def queries_for(client, path):
    """The SQL of one GET of `path`, after a first GET that may fill caches."""
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.status_code
    return [query["sql"] for query in captured]


def assert_same_count(small, large):
    assert len(small) == len(large), (
        f"{len(small)} queries for the small data set, {len(large)} for the large one.\n"
        + "\n".join(large)
    )


PAGES = {
    "desk": lambda world: reverse("reviewing:reviewer_desk"),
    "overview": lambda world: reverse("reviewing:assignment_overview", args=[world.call.slug]),
    "letter_assign": lambda world: reverse("reviewing:letter_assign", args=[world.letter.pk]),
    "reviewer_pool": lambda world: reverse("reviewing:reviewer_pool", args=[world.call.slug]),
    "assignment_run": lambda world: reverse(
        "reviewing:assignment_run", args=[world.call.slug, world.run.pk]
    ),
}


def measure(client, size, page):
    officer = UserFactory(is_programme_officer=True)
    world = build(size, officer)
    client.force_login(world.desk_user if page == "desk" else officer)
    return queries_for(client, PAGES[page](world))


@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
def test_a_reviewing_page_uses_as_many_queries_for_a_thousand_letters_as_for_three(client, page):
    small = measure(client, SMALL, page)
    client.logout()
    large = measure(client, LARGE, page)
    assert_same_count(small, large)


@pytest.mark.django_db
def test_the_large_data_set_fills_every_page(client):
    """The pages really show the large data set: a full page of letters, the whole pool."""
    officer = UserFactory(is_programme_officer=True)
    world = build(LARGE, officer)
    client.force_login(world.desk_user)
    desk = client.get(PAGES["desk"](world))
    assert desk.context["page"].paginator.count == LARGE.letters
    assert len(desk.context["page"].object_list) == 50
    assert {a.progress for a in desk.context["page"]} == set(Assignment.Progress)
    assert len(desk.context["places"]) == LARGE.places

    client.force_login(officer)
    overview = client.get(PAGES["overview"](world))
    assert len(overview.context["rows"]) == 50
    assert len(overview.context["conflicts"]) == 20
    assert len(overview.context["runs"]) == 5
    assert any(row["aggregate"].count for row in overview.context["rows"])
    assert any(row["missing"] for row in overview.context["rows"])

    assign = client.get(PAGES["letter_assign"](world))
    candidates = assign.context["candidates"]
    assert len(candidates) == LARGE.reviewers + 1
    assert {c["assignment"].progress for c in candidates if c["assignment"]} == {
        Assignment.Progress.TO_DECLARE,
        Assignment.Progress.TO_REVIEW,
        Assignment.Progress.SUBMITTED,
    }
    assert any(c["conflict"] for c in candidates)

    pool = client.get(PAGES["reviewer_pool"](world))
    assert len(pool.context["reviewers"]) == LARGE.reviewers + 1 + LARGE.reviewers // 10

    run = client.get(PAGES["assignment_run"](world))
    assert len(run.context["letters"]) == 100  # one page of the run's letters
    assert run.context["page"].paginator.count == LARGE.letters
    assert len(run.context["shortfalls"]) == LARGE.letters // 10
