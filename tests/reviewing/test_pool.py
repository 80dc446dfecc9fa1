"""The call's reviewer pool: the office invites, the invitee accepts, the office withdraws."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from intents.models import Reviewer
from intents.reviewing import ReviewingError, assignments, pool
from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail

from ..factories import CallFactory, ModeFactory, OrganisationFactory, UserFactory

INVITEE = "referee@example.org"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def invite(client, call, email=INVITEE, **changes):
    data = {"email": email, "affiliation": "Lunar Lab", "country": "DE", "expertise": []}
    return client.post(reverse("reviewing:reviewer_pool", args=[call.slug]), {**data, **changes})


def accept(client, place, **changes):
    data = {"affiliation": "Moon University", "country": "IT", "expertise": []}
    return client.post(
        reverse("reviewing:reviewer_invitation", args=[place.token]), {**data, **changes}
    )


def remove_url(place):
    return reverse("reviewing:reviewer_remove", args=[place.call.slug, place.pk])


@pytest.fixture
def place(call, mode, officer):
    """A pending invitation, sent by the office through the domain."""
    return pool.invite_reviewer(
        user=officer,
        call=call,
        email=INVITEE,
        profile={"organisation": None, "affiliation": "Lunar Lab", "country": "DE"},
        expertise=[mode],
    )


@pytest.fixture
def invitee(db):
    return UserFactory(email=INVITEE)


# Inviting.


def test_the_office_invites_a_reviewer_by_email_with_a_profile(client, call, mode, officer):
    client.force_login(officer)
    response = invite(client, call, "Referee@Example.org ", expertise=[mode.pk])

    assert response.status_code == 302
    assert response.url == reverse("reviewing:reviewer_pool", args=[call.slug])
    place = Reviewer.objects.get(call=call)
    assert place.email == INVITEE
    assert place.user is None
    assert place.invited_by == officer
    assert place.affiliation == "Lunar Lab"
    assert str(place.country) == "DE"
    assert list(place.expertise.all()) == [mode]
    assert "The invitation is on its way." in messages_of(response)


def test_the_office_may_name_the_reviewers_organisation(client, call, officer):
    organisation = OrganisationFactory(legal_name="Agenzia Lunare")
    client.force_login(officer)
    invite(client, call, organisation=organisation.pk)
    assert Reviewer.objects.get(call=call).organisation == organisation


def test_an_invitation_queues_one_email_with_the_link(client, call, officer):
    client.force_login(officer)
    invite(client, call)

    place = Reviewer.objects.get(call=call)
    email = OutboundEmail.objects.get()
    assert email.idempotency_key == f"reviewer-invitation:{place.pk}"
    assert email.to == INVITEE
    assert call.title in email.subject
    assert reverse("reviewing:reviewer_invitation", args=[place.token]) in email.body_text


def test_an_invitation_is_audited(client, call, officer):
    client.force_login(officer)
    invite(client, call)

    event = AuditEvent.objects.get(verb="reviewer.invited")
    assert event.actor == officer
    assert event.target_id == str(call.pk)
    assert event.data == {"email": INVITEE}


def test_the_pool_page_lists_the_pending_invitation(client, call, officer, place):
    client.force_login(officer)
    page = client.get(reverse("reviewing:reviewer_pool", args=[call.slug])).content.decode()
    assert INVITEE in page
    assert "Invited" in page
    assert remove_url(place) in page


def test_inviting_the_same_address_twice_is_refused(client, call, officer, place):
    client.force_login(officer)
    response = invite(client, call, "REFEREE@example.org")

    assert response.status_code == 200
    assert f"{INVITEE} is already in this call's reviewer pool." in messages_of(response)
    assert Reviewer.objects.filter(call=call).count() == 1
    assert OutboundEmail.objects.count() == 1
    assert AuditEvent.objects.filter(verb="reviewer.invited").count() == 1


def test_the_domain_refuses_a_second_invitation_to_the_same_address(call, officer, place):
    with pytest.raises(ReviewingError, match="already in this call's reviewer pool"):
        pool.invite_reviewer(
            user=officer,
            call=call,
            email=" Referee@example.org",
            profile={"organisation": None, "affiliation": "", "country": "DE"},
            expertise=[],
        )
    assert Reviewer.objects.count() == 1


def test_the_same_address_may_review_for_another_call(client, call, officer, place):
    other_call = CallFactory()
    ModeFactory(call=other_call)
    client.force_login(officer)
    response = invite(client, other_call)
    assert response.status_code == 302
    assert Reviewer.objects.filter(email=INVITEE).count() == 2


def test_an_invitation_without_a_valid_address_creates_nothing(client, call, officer):
    client.force_login(officer)
    response = invite(client, call, "not an address")
    assert response.status_code == 200
    assert not Reviewer.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize("role", ["owner", "outsider"])
def test_only_the_office_sees_and_fills_the_pool(client, request, call, role):
    client.force_login(request.getfixturevalue(role))
    url = reverse("reviewing:reviewer_pool", args=[call.slug])

    assert client.get(url).status_code == 403
    assert invite(client, call).status_code == 403
    assert not Reviewer.objects.exists()
    assert not OutboundEmail.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, call):
    response = client.get(reverse("reviewing:reviewer_pool", args=[call.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response.url


# Accepting.


def test_the_invitee_sees_the_profile_to_confirm(client, place, invitee):
    client.force_login(invitee)
    response = client.get(reverse("reviewing:reviewer_invitation", args=[place.token]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Join the reviewer pool" in page
    assert 'value="Lunar Lab"' in page


def test_the_invitee_accepts_with_a_profile_and_lands_on_the_desk(client, call, place, invitee):
    other_mode = ModeFactory(call=call, number=5)
    client.force_login(invitee)
    response = accept(client, place, expertise=[other_mode.pk])

    assert response.status_code == 302
    assert response.url == reverse("reviewing:reviewer_desk")
    place.refresh_from_db()
    assert place.user == invitee
    assert place.accepted_at is not None
    assert place.affiliation == "Moon University"
    assert str(place.country) == "IT"
    assert list(place.expertise.all()) == [other_mode]
    assert AuditEvent.objects.filter(verb="reviewer.joined", actor=invitee).exists()
    assert client.get(response.url).status_code == 200


def test_the_invitation_is_accepted_whatever_the_case_of_the_address(client, place):
    client.force_login(UserFactory(email="Referee@Example.ORG"))
    response = accept(client, place)
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.is_active


def test_another_account_is_told_which_address_the_invitation_was_for(client, place, outsider):
    client.force_login(outsider)
    page = client.get(reverse("reviewing:reviewer_invitation", args=[place.token])).content.decode()
    assert f"This invitation was sent to {INVITEE}" in page


def test_another_account_cannot_accept_the_invitation(client, place, outsider):
    client.force_login(outsider)
    response = accept(client, place)

    assert response.status_code == 200
    assert any(INVITEE in message for message in messages_of(response))
    place.refresh_from_db()
    assert place.user is None
    assert place.affiliation == "Lunar Lab"
    assert not AuditEvent.objects.filter(verb="reviewer.joined").exists()


def test_a_used_invitation_cannot_be_used_again(client, place, invitee):
    client.force_login(invitee)
    accept(client, place)
    response = accept(client, place, affiliation="Changed")

    assert "This invitation has already been used." in messages_of(response)
    place.refresh_from_db()
    assert place.affiliation == "Moon University"


def test_one_account_takes_only_one_place_in_a_call(client, call, officer, place, invitee):
    client.force_login(invitee)
    accept(client, place)
    second = pool.invite_reviewer(
        user=officer,
        call=call,
        email="Referee.Private@example.org",
        profile={"organisation": None, "affiliation": "", "country": "DE"},
        expertise=[],
    )
    # The reviewer has since made the second address their account's address.
    invitee.email = "referee.private@example.org"
    invitee.save()
    with pytest.raises(ReviewingError, match="already a reviewer for this call"):
        pool.accept_invitation(
            user=invitee,
            token=second.token,
            profile={"organisation": None, "affiliation": "", "country": "DE"},
            expertise=[],
        )
    second.refresh_from_db()
    assert second.user is None


def test_an_unknown_invitation_is_not_found(client, invitee):
    client.force_login(invitee)
    response = client.get(reverse("reviewing:reviewer_invitation", args=["no-such-token"]))
    assert response.status_code == 404


# Withdrawing.


def test_the_office_confirms_before_withdrawing_an_invitation(client, officer, place):
    client.force_login(officer)
    response = client.get(remove_url(place))
    assert response.status_code == 200
    assert INVITEE in response.content.decode()
    assert Reviewer.objects.filter(pk=place.pk).exists()


def test_the_office_withdraws_a_pending_invitation(client, call, officer, place, invitee):
    client.force_login(officer)
    response = client.post(remove_url(place))

    assert response.status_code == 302
    assert response.url == reverse("reviewing:reviewer_pool", args=[call.slug])
    assert not Reviewer.objects.filter(pk=place.pk).exists()
    event = AuditEvent.objects.get(verb="reviewer.removed")
    assert event.data == {"email": INVITEE}
    # The link in the e-mail stops working.
    client.force_login(invitee)
    assert (
        client.get(reverse("reviewing:reviewer_invitation", args=[place.token])).status_code == 404
    )


def test_the_office_removes_a_reviewer_without_assignments(client, call, officer, reviewer):
    client.force_login(officer)
    response = client.post(remove_url(reviewer))
    assert response.status_code == 302
    assert not Reviewer.objects.filter(pk=reviewer.pk).exists()
    assert f"{reviewer} left the pool." in messages_of(response)


def test_a_reviewer_with_assignments_stays_in_the_pool(client, officer, reviewer, assignment):
    client.force_login(officer)
    response = client.post(remove_url(reviewer))

    assert response.status_code == 302
    assert any("still has letters assigned" in message for message in messages_of(response))
    assert Reviewer.objects.filter(pk=reviewer.pk).exists()
    assert not AuditEvent.objects.filter(verb="reviewer.removed").exists()


def test_the_domain_refuses_to_withdraw_a_reviewer_with_assignments(officer, reviewer, assignment):
    with pytest.raises(ReviewingError, match="Remove those assignments first"):
        pool.withdraw_reviewer(user=officer, reviewer_id=reviewer.pk)
    assert Reviewer.objects.filter(pk=reviewer.pk).exists()


def test_only_the_office_withdraws(client, place, owner):
    client.force_login(owner)
    assert client.get(remove_url(place)).status_code == 403
    assert client.post(remove_url(place)).status_code == 403
    assert Reviewer.objects.filter(pk=place.pk).exists()


def test_a_place_is_withdrawn_only_through_its_own_call(client, officer, place):
    other_call = CallFactory()
    client.force_login(officer)
    response = client.post(reverse("reviewing:reviewer_remove", args=[other_call.slug, place.pk]))
    assert response.status_code == 404
    assert Reviewer.objects.filter(pk=place.pk).exists()


def test_a_reviewer_who_declared_a_conflict_leaves_the_pool_but_not_the_record(
    officer, reviewer, assignment
):
    assignments.declare_conflict(
        user=reviewer.user, assignment_id=assignment.pk, kind="personal", note=""
    )
    pool.withdraw_reviewer(user=officer, reviewer_id=reviewer.pk)

    reviewer.refresh_from_db()
    assert reviewer.removed_at is not None
    assert reviewer.conflicts.count() == 1
    assert not reviewer.call.reviewers.active().filter(pk=reviewer.pk).exists()


def test_inviting_a_removed_reviewer_again_keeps_their_declared_conflicts(
    officer, reviewer, assignment
):
    letter = assignment.letter
    assignments.declare_conflict(
        user=reviewer.user, assignment_id=assignment.pk, kind="personal", note=""
    )
    pool.withdraw_reviewer(user=officer, reviewer_id=reviewer.pk)

    again = pool.invite_reviewer(
        user=officer,
        call=reviewer.call,
        email=reviewer.email.upper(),
        profile={"organisation": None, "affiliation": "", "country": "DE"},
        expertise=[],
    )

    assert again.pk == reviewer.pk and again.removed_at is None
    with pytest.raises(ReviewingError):
        assignments.assign(user=officer, reviewer_id=again.pk, letter_id=letter.pk)
    assert (
        OutboundEmail.objects.filter(idempotency_key__startswith="reviewer-invitation:").count()
        == 1
    )
