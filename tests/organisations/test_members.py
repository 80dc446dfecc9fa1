"""Organisations and their members: creation, editing, invitations, roles and leaving."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail
from portal.organisations import actions
from portal.organisations.models import Invitation, Membership, Organisation, Role

from ..factories import LetterFactory, MembershipFactory, UserFactory

LAST_OWNER = "An organisation needs at least one owner"


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def invite(client, organisation, email, role=Role.EDITOR):
    return client.post(
        reverse("organisations:members", args=[organisation.pk]), {"email": email, "role": role}
    )


def accept(client, invitation):
    return client.post(reverse("organisations:invitation_accept", args=[invitation.token]))


def membership_of(user, organisation):
    return Membership.objects.get(user=user, organisation=organisation)


@pytest.fixture
def invitation(organisation, owner):
    return actions.invite(
        user=owner, organisation=organisation, email="invitee@example.org", role=Role.EDITOR
    )


@pytest.fixture
def invitee(db):
    return UserFactory(email="invitee@example.org")


# Creating and editing an organisation.


def test_registering_an_organisation_makes_the_creator_its_owner(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("organisations:create"),
        {
            "legal_name": "Agenzia Lunare",
            "short_name": "AL",
            "kind": Organisation.Kind.SPACE_AGENCY,
            "country": "IT",
            "postal_address": "Via della Luna 1\nRoma",
            "contact_name": "Giulia Rossi",
            "contact_email": "giulia@example.org",
        },
    )
    organisation = Organisation.objects.get(legal_name="Agenzia Lunare")
    assert response.status_code == 302
    assert response.url == reverse("organisations:detail", args=[organisation.pk])
    assert membership_of(user, organisation).role == Role.OWNER
    assert AuditEvent.objects.filter(verb="organisation.created", actor=user).exists()


def test_an_invalid_registration_creates_nothing(client, db):
    client.force_login(UserFactory())
    response = client.post(reverse("organisations:create"), {"legal_name": "Half a form"})
    assert response.status_code == 200
    assert not Organisation.objects.exists()
    assert not Membership.objects.exists()


@pytest.mark.parametrize("role", ["owner", "editor"])
def test_an_owner_or_editor_edits_the_organisation(client, request, organisation, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("organisations:edit", args=[organisation.pk]),
        {
            "legal_name": "Renamed Institute",
            "short_name": organisation.short_name,
            "kind": organisation.kind,
            "country": "DE",
            "postal_address": organisation.postal_address,
            "contact_name": organisation.contact_name,
            "contact_email": organisation.contact_email,
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.legal_name == "Renamed Institute"
    assert str(organisation.country) == "DE"


@pytest.mark.parametrize("role", ["viewer", "officer"])
def test_a_viewer_or_officer_cannot_edit_the_organisation(client, request, organisation, role):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("organisations:edit", args=[organisation.pk]), {"legal_name": "Hijacked"}
    )
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.legal_name != "Hijacked"


# Invitations.


def test_an_owner_invites_a_colleague_by_email_with_a_role(client, organisation, owner):
    client.force_login(owner)
    response = invite(client, organisation, "Newcomer@Example.org", Role.VIEWER)

    assert response.status_code == 302
    assert response.url == reverse("organisations:members", args=[organisation.pk])
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.email == "newcomer@example.org"
    assert invitation.role == Role.VIEWER
    assert invitation.invited_by == owner
    assert invitation.is_pending


def test_an_invitation_writes_its_email_to_the_outbox(client, organisation, owner):
    client.force_login(owner)
    invite(client, organisation, "newcomer@example.org")

    invitation = Invitation.objects.get(organisation=organisation)
    email = OutboundEmail.objects.get(idempotency_key=f"invitation:{invitation.pk}")
    assert email.to == "newcomer@example.org"
    assert organisation.legal_name in email.subject
    accept_url = reverse("organisations:invitation_accept", args=[invitation.token])
    assert accept_url in email.body_text


def test_the_owner_sees_the_pending_invitation(client, organisation, owner, invitation):
    client.force_login(owner)
    page = client.get(reverse("organisations:members", args=[organisation.pk])).content.decode()
    assert invitation.email in page


def test_a_viewer_does_not_see_pending_invitations(client, organisation, viewer, invitation):
    client.force_login(viewer)
    page = client.get(reverse("organisations:members", args=[organisation.pk])).content.decode()
    assert invitation.email not in page


def test_inviting_an_existing_member_is_refused(client, organisation, owner, editor):
    client.force_login(owner)
    response = invite(client, organisation, editor.email.upper(), Role.OWNER)

    assert response.status_code == 200
    assert f"{editor.email} is already a member." in messages_of(response)
    assert not Invitation.objects.exists()
    assert not OutboundEmail.objects.filter(idempotency_key__startswith="invitation:").exists()
    assert membership_of(editor, organisation).role == Role.EDITOR


def test_an_owner_demoted_a_moment_ago_can_no_longer_invite_or_withdraw(
    organisation, owner, invitation
):
    """The page was opened as an owner; another owner changed the role before the click: the
    action reads the role again under the organisation's lock."""
    Membership.objects.filter(organisation=organisation, user=owner).update(role=Role.EDITOR)

    with pytest.raises(actions.MembershipError, match="no longer an owner"):
        actions.invite(
            user=owner, organisation=organisation, email="second@example.org", role=Role.OWNER
        )
    with pytest.raises(actions.MembershipError, match="no longer an owner"):
        actions.revoke_invitation(user=owner, invitation_id=invitation.pk)

    assert list(Invitation.objects.values_list("email", "revoked_at")) == [
        ("invitee@example.org", None)
    ]


def test_inviting_someone_twice_while_the_first_invitation_is_valid_is_refused(
    client, organisation, owner, invitation
):
    client.force_login(owner)
    response = invite(client, organisation, "INVITEE@example.org")

    assert "invitee@example.org has already been invited" in " ".join(messages_of(response))
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_can_be_sent_again(client, organisation, owner, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    client.force_login(owner)
    invite(client, organisation, "invitee@example.org")

    assert Invitation.objects.count() == 2


def test_the_invited_user_sees_the_invitation_before_accepting(
    client, organisation, invitation, invitee
):
    client.force_login(invitee)
    response = client.get(reverse("organisations:invitation_accept", args=[invitation.token]))
    assert response.status_code == 200
    assert organisation.legal_name in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_the_invited_user_accepts_and_gets_the_role(client, organisation, invitation, invitee):
    client.force_login(invitee)
    response = accept(client, invitation)

    assert response.status_code == 302
    assert response.url == reverse("organisations:detail", args=[organisation.pk])
    assert membership_of(invitee, organisation).role == Role.EDITOR
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    assert invitation.accepted_at is not None


def test_the_new_member_then_reads_the_organisation(client, organisation, invitation, invitee):
    client.force_login(invitee)
    accept(client, invitation)
    response = client.get(reverse("organisations:detail", args=[organisation.pk]))
    assert response.status_code == 200


def test_an_invitation_is_accepted_whatever_the_case_of_the_address(client, organisation, owner):
    invitation = actions.invite(
        user=owner, organisation=organisation, email="Mixed.Case@Example.org", role=Role.VIEWER
    )
    user = UserFactory(email="mixed.case@example.org")
    client.force_login(user)
    accept(client, invitation)
    assert membership_of(user, organisation).role == Role.VIEWER


def test_someone_with_another_email_cannot_accept_it(client, organisation, invitation, outsider):
    client.force_login(outsider)
    response = accept(client, invitation)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert any("invitee@example.org" in message for message in messages_of(response))
    assert not Membership.objects.filter(user=outsider, organisation=organisation).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_expired_invitation_cannot_be_accepted(client, organisation, invitation, invitee):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client.force_login(invitee)
    response = accept(client, invitation)

    assert response.status_code == 302
    assert any("expired" in message for message in messages_of(response))
    assert not Membership.objects.filter(user=invitee).exists()


def test_the_invitation_page_says_when_it_has_expired(client, invitation, invitee):
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    client.force_login(invitee)
    response = client.get(reverse("organisations:invitation_accept", args=[invitation.token]))
    assert "expired" in response.content.decode()
    assert 'id="accept-invitation"' not in response.content.decode()


def test_a_used_invitation_cannot_be_reused(client, organisation, invitation, invitee):
    client.force_login(invitee)
    accept(client, invitation)
    # The invitee leaves; the old link must not bring them back.
    membership = membership_of(invitee, organisation)
    client.post(reverse("organisations:member_remove", args=[organisation.pk, membership.pk]))
    assert not Membership.objects.filter(user=invitee).exists()

    response = accept(client, invitation)

    assert response.status_code == 302
    assert "This invitation has already been used." in messages_of(response)
    assert not Membership.objects.filter(user=invitee).exists()


def test_a_user_can_belong_to_two_organisations(client, organisation, outsider, owner):
    """The outsider owns another organisation and is invited into ours as a viewer."""
    their_organisation = outsider.organisations.get()
    invitation = actions.invite(
        user=owner, organisation=organisation, email=outsider.email, role=Role.VIEWER
    )
    client.force_login(outsider)
    accept(client, invitation)

    assert membership_of(outsider, their_organisation).role == Role.OWNER
    assert membership_of(outsider, organisation).role == Role.VIEWER
    home = client.get(reverse("home")).content.decode()
    assert organisation.legal_name in home and their_organisation.legal_name in home
    for each in (organisation, their_organisation):
        assert client.get(reverse("organisations:detail", args=[each.pk])).status_code == 200
    # Each role applies to its own organisation only.
    assert client.get(reverse("organisations:edit", args=[organisation.pk])).status_code == 403
    edit_theirs = reverse("organisations:edit", args=[their_organisation.pk])
    assert client.get(edit_theirs).status_code == 200


# Roles and leaving.


def test_an_owner_changes_a_members_role(client, organisation, owner, viewer):
    client.force_login(owner)
    membership = membership_of(viewer, organisation)
    response = client.post(
        reverse("organisations:member_role", args=[organisation.pk, membership.pk]),
        {"role": Role.EDITOR},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR


def test_an_owner_removes_a_member(client, organisation, owner, editor):
    client.force_login(owner)
    membership = membership_of(editor, organisation)
    response = client.post(
        reverse("organisations:member_remove", args=[organisation.pk, membership.pk])
    )
    assert response.status_code == 302
    assert response.url == reverse("organisations:members", args=[organisation.pk])
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_the_last_owner_cannot_leave(client, organisation, owner):
    client.force_login(owner)
    membership = membership_of(owner, organisation)
    response = client.post(
        reverse("organisations:member_remove", args=[organisation.pk, membership.pk])
    )

    assert response.status_code == 302
    assert response.url == reverse("organisations:members", args=[organisation.pk])
    assert any(LAST_OWNER in message for message in messages_of(response))
    assert membership_of(owner, organisation).role == Role.OWNER


def test_the_last_owner_cannot_be_demoted(client, organisation, owner, editor):
    client.force_login(owner)
    membership = membership_of(owner, organisation)
    response = client.post(
        reverse("organisations:member_role", args=[organisation.pk, membership.pk]),
        {"role": Role.EDITOR},
    )

    assert response.status_code == 302
    assert any(LAST_OWNER in message for message in messages_of(response))
    assert membership_of(owner, organisation).role == Role.OWNER


def test_the_last_owner_cannot_be_removed_by_anyone(organisation, owner, editor):
    """Only an owner may remove members through the views; the domain guards the rule anyway."""
    membership = membership_of(owner, organisation)
    with pytest.raises(actions.MembershipError, match=LAST_OWNER):
        actions.remove_member(user=editor, membership_id=membership.pk)
    assert Membership.objects.filter(pk=membership.pk, role=Role.OWNER).exists()


def test_an_editor_cannot_remove_the_owner(client, organisation, owner, editor):
    client.force_login(editor)
    membership = membership_of(owner, organisation)
    response = client.post(
        reverse("organisations:member_remove", args=[organisation.pk, membership.pk])
    )
    assert response.status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_editor_cannot_promote_themselves(client, organisation, editor):
    client.force_login(editor)
    membership = membership_of(editor, organisation)
    response = client.post(
        reverse("organisations:member_role", args=[organisation.pk, membership.pk]),
        {"role": Role.OWNER},
    )
    assert response.status_code == 403
    assert membership_of(editor, organisation).role == Role.EDITOR


def test_with_two_owners_one_can_leave(client, organisation, owner):
    second_owner = MembershipFactory(organisation=organisation, role=Role.OWNER).user
    client.force_login(second_owner)
    membership = membership_of(second_owner, organisation)
    response = client.post(
        reverse("organisations:member_remove", args=[organisation.pk, membership.pk])
    )

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert membership_of(owner, organisation).role == Role.OWNER


def test_with_two_owners_one_can_remove_or_demote_the_other(client, organisation, owner):
    second = MembershipFactory(organisation=organisation, role=Role.OWNER)
    client.force_login(owner)
    client.post(
        reverse("organisations:member_role", args=[organisation.pk, second.pk]),
        {"role": Role.EDITOR},
    )
    second.refresh_from_db()
    assert second.role == Role.EDITOR
    # Now the owner is the last one again.
    own = membership_of(owner, organisation)
    client.post(reverse("organisations:member_remove", args=[organisation.pk, own.pk]))
    assert membership_of(owner, organisation).role == Role.OWNER


def test_an_owner_can_hand_over_and_then_leave(client, organisation, owner, editor):
    client.force_login(owner)
    editor_membership = membership_of(editor, organisation)
    client.post(
        reverse("organisations:member_role", args=[organisation.pk, editor_membership.pk]),
        {"role": Role.OWNER},
    )
    own = membership_of(owner, organisation)
    response = client.post(reverse("organisations:member_remove", args=[organisation.pk, own.pk]))

    assert response.url == reverse("home")
    assert list(organisation.memberships.values_list("user", "role")) == [(editor.pk, Role.OWNER)]


def test_a_withdrawn_invitation_can_no_longer_be_accepted(
    client, organisation, owner, invitation, invitee
):
    client.force_login(owner)
    client.post(reverse("organisations:invitation_revoke", args=[organisation.pk, invitation.pk]))
    client.force_login(invitee)
    response = accept(client, invitation)
    assert "withdrawn by the organisation" in " ".join(messages_of(response))
    assert not Membership.objects.filter(user=invitee).exists()


def test_the_invitation_page_says_at_once_when_the_address_does_not_match(
    client, invitation, outsider
):
    client.force_login(outsider)
    page = client.get(
        reverse("organisations:invitation_accept", args=[invitation.token])
    ).content.decode()
    assert "This invitation was sent to invitee@example.org" in page
    assert 'id="accept-invitation"' not in page


def test_the_office_sees_an_organisations_filed_letters_but_not_its_drafts(
    client, organisation, officer, submitted, mode
):
    LetterFactory(organisation=organisation, mode=mode, title="Unfinished secret rover")
    client.force_login(officer)
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert submitted.reference in page
    assert "Unfinished secret rover" not in page


def test_a_pending_invitation_expires_at_a_moment_with_its_zone(
    client, organisation, owner, invitation
):
    owner.time_zone = "Asia/Shanghai"
    owner.save()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=dt.datetime(2026, 12, 20, 15, 53, tzinfo=dt.UTC)
    )
    client.force_login(owner)
    page = client.get(reverse("organisations:members", args=[organisation.pk])).content.decode()
    # Was "expires Dec. 20, 2026, 11:53 p.m.", in a zone the page did not name.
    assert "expires 20 Dec 2026, 23:53 Asia/Shanghai" in page
