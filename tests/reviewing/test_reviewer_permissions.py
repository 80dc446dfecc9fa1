"""Nobody but the reviewer who holds an assignment sees anything of it, documents included.

The table in tests/test_access.py checks the status code of every reviewer's page for each
role; here each page is also read for the letter's title, summary and document name, for the
ways a reviewer loses a letter (a declared conflict, an automatic conflict that arises after
the assignment), for a reviewer who has not yet answered the conflict question, and for the
reviewer's invitation link.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from intents.letters import actions
from intents.models import Assignment, ConflictDeclaration, Review, Reviewer, Score
from intents.office import actions as office_actions
from intents.reviewing import assignments, pool, reviews
from portal.organisations.models import Role

from ..conftest import attach_pdf
from ..factories import (
    LetterFactory,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
    complete_letter_fields,
)
from .conftest import full_scores, review_answers

TITLE = "Covert helium-3 sniffer"
SUMMARY = "Sniffs helium-3 in the permanently shadowed craters."
DOCUMENT_NAME = "sniffer-budget-confidential.pdf"
PARTNER = "Quokka Lunar Labs"
SECRETS = [TITLE, SUMMARY, DOCUMENT_NAME]


@pytest.fixture
def letter(organisation, mode, owner, signed_letter_type):
    """A filed letter with a distinctive title, summary and document name."""
    draft = LetterFactory(
        organisation=organisation,
        mode=mode,
        created_by=owner,
        title=TITLE,
        **complete_letter_fields() | {"summary": SUMMARY, "partner_organisations": PARTNER},
    )
    attach_pdf(draft, owner, signed_letter_type, name=DOCUMENT_NAME)
    draft.refresh_from_db()
    return actions.submit(letter_id=draft.pk, user=owner, expected_version=draft.version)


@pytest.fixture
def assignment(letter, reviewer, officer, criteria):
    return assignments.assign(user=officer, reviewer_id=reviewer.pk, letter_id=letter.pk)


@pytest.fixture
def document(letter):
    return letter.documents.get()


@pytest.fixture
def working(assignment, reviewer, criteria):
    """The reviewer answered "no conflict" and saved a draft review: there is something to
    read and something to change."""
    assignments.confirm_no_conflict(user=reviewer.user, assignment_id=assignment.pk)
    reviews.save_review(
        user=reviewer.user,
        assignment_id=assignment.pk,
        values=full_scores(criteria, 3),
        answers=review_answers(),
        submit=False,
    )
    assignment.refresh_from_db()
    return assignment


# Who must see nothing, and how they came to be in that position. Each returns the user.


def as_unassigned_reviewer(world):
    return ReviewerFactory(call=world["letter"].call, country="DE").user


def as_reviewer_who_declared_a_conflict(world):
    user = world["reviewer"].user
    assignments.declare_conflict(
        user=user,
        assignment_id=world["assignment"].pk,
        kind=ConflictDeclaration.Kind.COLLABORATIVE,
        note="I co-author with their team.",
    )
    assert not Assignment.objects.filter(pk=world["assignment"].pk).exists()
    return user


def as_reviewer_whose_pool_place_now_names_the_applicant(world):
    # An automatic conflict arising after the assignment: the office corrects the reviewer's
    # organisation in the pool to the applicant's.
    Reviewer.objects.filter(pk=world["reviewer"].pk).update(
        organisation=world["letter"].organisation
    )
    return world["reviewer"].user


def as_reviewer_who_now_works_for_a_partner(world):
    Reviewer.objects.filter(pk=world["reviewer"].pk).update(affiliation=PARTNER)
    return world["reviewer"].user


def as_owner(world):
    return world["owner"]


def as_editor(world):
    return MembershipFactory(organisation=world["letter"].organisation, role=Role.EDITOR).user


def as_outsider(world):
    return world["outsider"]


def as_officer(world):
    return world["officer"]


def as_anonymous(world):
    return None


NOBODIES = [
    as_unassigned_reviewer,
    as_reviewer_who_declared_a_conflict,
    as_reviewer_whose_pool_place_now_names_the_applicant,
    as_reviewer_who_now_works_for_a_partner,
    as_owner,
    as_editor,
    as_outsider,
    as_officer,
    as_anonymous,
]


def requests(world):
    """(name, method, path, data) for every reviewer's page that takes the assignment."""
    pk = world["assignment"].pk
    criteria = world["criteria"]
    review = {**{f"score_{c.pk}": "5" for c in criteria}, **review_answers(), "submit": "Submit"}
    return [
        ("assignment", "GET", reverse("reviewing:assignment_detail", args=[pk]), None),
        (
            "no conflict",
            "POST",
            reverse("reviewing:assignment_conflict", args=[pk]),
            {"answer": "none"},
        ),
        (
            "a conflict",
            "POST",
            reverse("reviewing:assignment_conflict", args=[pk]),
            {"answer": "conflict", "kind": "personal", "note": ""},
        ),
        ("review form", "GET", reverse("reviewing:review_edit", args=[pk]), None),
        ("review", "POST", reverse("reviewing:review_edit", args=[pk]), review),
        (
            "document",
            "GET",
            reverse("reviewing:assignment_document", args=[pk, world["document"].pk]),
            None,
        ),
    ]


def reviewing_state():
    return {
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "reviews": list(Review.objects.order_by("pk").values()),
        "scores": list(Score.objects.order_by("pk").values()),
        "conflicts": list(ConflictDeclaration.objects.order_by("pk").values()),
        "reviewers": list(Reviewer.objects.order_by("pk").values()),
    }


def page_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode()


@pytest.fixture
def world(working, reviewer, letter, document, criteria, owner, outsider, officer):
    return {
        "assignment": working,
        "reviewer": reviewer,
        "letter": letter,
        "document": document,
        "criteria": criteria,
        "owner": owner,
        "outsider": outsider,
        "officer": officer,
    }


@pytest.mark.parametrize("who", NOBODIES, ids=lambda who: who.__name__.removeprefix("as_"))
def test_nobody_but_the_assigned_reviewer_sees_anything_of_the_assignment(client, world, who):
    user = who(world)
    if user is not None:
        client.force_login(user)
    before = reviewing_state()

    for name, method, path, data in requests(world):
        response = client.get(path) if method == "GET" else client.post(path, data)
        if user is None:
            assert response.status_code == 302, name
            assert response.url.startswith(reverse("account_login") + "?next="), name
        else:
            assert response.status_code == 404, name
        page = page_of(response)
        for secret in SECRETS:
            assert secret not in page, (name, secret)

    assert reviewing_state() == before


@pytest.mark.parametrize("who", NOBODIES, ids=lambda who: who.__name__.removeprefix("as_"))
def test_the_desk_of_anyone_else_lists_nothing_of_the_assignment(client, world, who):
    user = who(world)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("reviewing:reviewer_desk"))

    if user is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login") + "?next=")
        return
    assert response.status_code == 200
    page = response.content.decode()
    for secret in SECRETS:
        assert secret not in page
    assert reverse("reviewing:assignment_detail", args=[world["assignment"].pk]) not in page


def test_the_assigned_reviewer_reads_everything(client, world):
    """The other side of the tests above, so that they can fail."""
    client.force_login(world["reviewer"].user)
    pk = world["assignment"].pk
    desk = client.get(reverse("reviewing:reviewer_desk")).content.decode()
    page = client.get(reverse("reviewing:assignment_detail", args=[pk])).content.decode()
    form = client.get(reverse("reviewing:review_edit", args=[pk]))
    download = client.get(reverse("reviewing:assignment_document", args=[pk, world["document"].pk]))
    assert TITLE in desk
    assert TITLE in page and SUMMARY in page and DOCUMENT_NAME in page
    assert form.status_code == 200
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_reviewer_loses_the_letter_the_moment_an_automatic_conflict_arises(client, world):
    user = world["reviewer"].user
    path = reverse("reviewing:assignment_detail", args=[world["assignment"].pk])
    client.force_login(user)
    assert client.get(path).status_code == 200

    as_reviewer_whose_pool_place_now_names_the_applicant(world)

    assert client.get(path).status_code == 404


def test_a_withdrawn_letter_leaves_the_reviewers_desk_and_pages(client, world):
    letter = world["letter"]
    actions.withdraw(
        letter_id=letter.pk,
        user=world["owner"],
        reason="We found another ride.",
        expected_version=letter.version,
    )
    client.force_login(world["reviewer"].user)
    desk = client.get(reverse("reviewing:reviewer_desk")).content.decode()
    assert TITLE not in desk
    for name, method, path, data in requests(world):
        response = client.get(path) if method == "GET" else client.post(path, data)
        assert response.status_code == 404, name
        assert TITLE not in page_of(response), name


def test_a_released_decision_leaves_the_letter_readable_but_the_review_closed(client, world):
    """The decision ends the writing, not the reviewer's sight of what they reviewed: the
    review deadline may be months away."""
    letter, officer = world["letter"], world["officer"]
    office_actions.decide(user=officer, letter_id=letter.pk, outcome="selected", note="")
    office_actions.release_decisions(user=officer, call_id=letter.call_id)
    assert letter.call.reviews_open
    client.force_login(world["reviewer"].user)
    pk = world["assignment"].pk
    before = reviewing_state()

    desk = client.get(reverse("reviewing:reviewer_desk")).content.decode()
    page = client.get(reverse("reviewing:assignment_detail", args=[pk])).content.decode()
    form = client.get(reverse("reviewing:review_edit", args=[pk]))
    post = client.post(reverse("reviewing:review_edit", args=[pk]), requests(world)[4][3])
    download = client.get(reverse("reviewing:assignment_document", args=[pk, world["document"].pk]))

    assert TITLE in desk
    assert TITLE in page and SUMMARY in page and DOCUMENT_NAME in page
    assert "review can no longer change" in page
    assert form.status_code == 302 and form.url == reverse("reviewing:assignment_detail", args=[pk])
    assert post.status_code == 403
    assert download.status_code == 200
    assert reviewing_state() == before


# Before the conflict question is answered: the title and the mode, nothing more.


@pytest.fixture
def undeclared(client, assignment, reviewer):
    client.force_login(reviewer.user)
    return assignment


def test_an_undeclared_reviewer_sees_only_the_title_and_the_mode(client, undeclared, mode):
    response = client.get(reverse("reviewing:assignment_detail", args=[undeclared.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert TITLE in page
    assert str(mode) in page
    assert SUMMARY not in page
    assert DOCUMENT_NAME not in page
    assert PARTNER not in page
    assert undeclared.letter.organisation.legal_name not in page
    assert "/documents/" not in page
    assert 'name="answer"' in page


def test_an_undeclared_reviewer_cannot_download_a_document(client, undeclared, letter):
    document = letter.documents.get()
    response = client.get(
        reverse("reviewing:assignment_document", args=[undeclared.pk, document.pk])
    )
    assert response.status_code == 404
    assert DOCUMENT_NAME not in response.content.decode()
    assert "Content-Disposition" not in response


def test_an_undeclared_reviewer_cannot_open_or_post_the_review_form(client, undeclared, criteria):
    # The form needs the whole letter (intents.read_assigned_letter): until the conflict
    # question is answered it is not there, as tests/reviewing/test_reviews.py also says.
    path = reverse("reviewing:review_edit", args=[undeclared.pk])
    data = {**{f"score_{c.pk}": "5" for c in criteria}, **review_answers(), "submit": "Submit"}
    for response in (client.get(path), client.post(path, data)):
        assert response.status_code == 404
        assert SUMMARY not in response.content.decode()
    assert not Review.objects.exists()


def test_the_desk_shows_an_undeclared_letter_by_title_and_mode_only(client, undeclared):
    page = client.get(reverse("reviewing:reviewer_desk")).content.decode()
    assert TITLE in page
    assert SUMMARY not in page
    assert DOCUMENT_NAME not in page


# The invitation link.


INVITED = "invited.reviewer@example.org"


@pytest.fixture
def invitation(call, officer, mode):
    return pool.invite_reviewer(
        user=officer,
        call=call,
        email=INVITED,
        profile={"organisation": None, "affiliation": "Lunar institute", "country": "DE"},
        expertise=[mode],
    )


def acceptance(mode):
    return {"affiliation": "Lunar institute", "country": "DE", "expertise": [mode.pk]}


def invitation_state(invitation):
    return list(Reviewer.objects.filter(pk=invitation.pk).values())


def test_the_invited_address_accepts_the_invitation(client, invitation, mode):
    invitee = UserFactory(email=INVITED)
    client.force_login(invitee)
    response = client.post(
        reverse("reviewing:reviewer_invitation", args=[invitation.token]), acceptance(mode)
    )
    assert response.status_code == 302
    assert response.url == reverse("reviewing:reviewer_desk")
    invitation.refresh_from_db()
    assert invitation.user == invitee


def test_another_account_cannot_accept_the_invitation(client, invitation, mode):
    client.force_login(UserFactory(email="someone.else@example.org"))
    path = reverse("reviewing:reviewer_invitation", args=[invitation.token])
    before = invitation_state(invitation)

    page = client.get(path).content.decode()
    response = client.post(path, acceptance(mode))

    assert "Sign in with that address" in page
    assert 'name="country"' not in page
    assert response.status_code == 200
    errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors and INVITED in str(errors[0])
    assert invitation_state(invitation) == before
    assert not Reviewer.objects.filter(user__email="someone.else@example.org").exists()


def test_a_used_invitation_cannot_be_used_again(client, invitation, mode):
    invitee = UserFactory(email=INVITED)
    client.force_login(invitee)
    path = reverse("reviewing:reviewer_invitation", args=[invitation.token])
    client.post(path, acceptance(mode))
    before = invitation_state(invitation)

    client.force_login(UserFactory(email="latecomer@example.org"))
    page = client.get(path).content.decode()
    response = client.post(path, {**acceptance(mode), "country": "FR"})

    assert "already been used" in page
    assert 'name="country"' not in page
    errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors and "already been used" in str(errors[0])
    assert invitation_state(invitation) == before


def test_the_invitee_cannot_accept_twice_to_rewrite_their_profile(client, invitation, mode):
    client.force_login(UserFactory(email=INVITED))
    path = reverse("reviewing:reviewer_invitation", args=[invitation.token])
    client.post(path, acceptance(mode))
    before = invitation_state(invitation)

    response = client.post(path, {**acceptance(mode), "country": "FR"})

    errors = [m for m in get_messages(response.wsgi_request) if m.level_tag == "error"]
    assert errors
    assert invitation_state(invitation) == before


def test_an_invitation_sends_anonymous_visitors_to_sign_up_with_its_address(client, invitation):
    # The address has no account yet (tests/accounts/test_arrival.py: one that has signs in).
    before = invitation_state(invitation)
    response = client.get(reverse("reviewing:reviewer_invitation", args=[invitation.token]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_signup") + "?email=")
    assert invitation_state(invitation) == before


def test_an_unknown_invitation_token_is_not_found(client, outsider):
    client.force_login(outsider)
    response = client.get(reverse("reviewing:reviewer_invitation", args=["not-a-token"]))
    assert response.status_code == 404


def test_after_release_an_unanswered_conflict_question_stays_closed(client, undeclared, officer):
    """The conflict question opens the letter for a review; with the decision out there is no
    review to write, so a reviewer who never answered does not get to read it now."""
    letter = undeclared.letter
    office_actions.decide(user=officer, letter_id=letter.pk, outcome="selected", note="")
    office_actions.release_decisions(user=officer, call_id=letter.call_id)
    path = reverse("reviewing:assignment_detail", args=[undeclared.pk])

    page = client.get(path).content.decode()
    answer = client.post(
        reverse("reviewing:assignment_conflict", args=[undeclared.pk]), {"answer": "none"}
    )
    after = client.get(path).content.decode()

    assert 'id="conflict-closed"' in page and 'name="answer"' not in page
    assert answer.status_code == 302
    assert "conflict question is closed" in str(list(get_messages(answer.wsgi_request))[0])
    undeclared.refresh_from_db()
    assert undeclared.no_conflict_confirmed_at is None
    assert SUMMARY not in after and DOCUMENT_NAME not in after
