"""Rate limits: allauth's on sign-up and password reset, ours (django-ratelimit) on invitations
and uploads. Over the limit the answer is a 429 page saying why, and nothing is saved or sent."""

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from intents.models import Document, Reviewer
from portal.accounts.models import User
from portal.notifications.models import OutboundEmail
from portal.organisations.models import Invitation

from ..factories import MembershipFactory, pdf_upload

ADDRESS = "192.0.2.10"
TOO_MANY_INVITATIONS = "You have sent too many invitations in a short time"
TOO_MANY_UPLOADS = "You have uploaded too many files in a short time"


def sign_up(client, number, address=ADDRESS):
    return client.post(
        reverse("account_signup"),
        {
            "email": f"newcomer{number}@example.org",
            "full_name": "New Comer",
            "time_zone": "UTC",
            "password1": "a-long-lunar-passphrase",
            "password2": "a-long-lunar-passphrase",
        },
        REMOTE_ADDR=address,
    )


def reset(client, email, address=ADDRESS):
    return client.post(reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=address)


# --- allauth: sign-up and password reset ----------------------------------------------------


def test_twenty_sign_ups_an_hour_from_one_address_then_a_429(client, db):
    for number in range(20):
        assert sign_up(client, number).status_code == 302
        client.logout()
    response = sign_up(client, 20)
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert not User.objects.filter(email="newcomer20@example.org").exists()
    assert sign_up(client, 21, address="198.51.100.20").status_code == 302


def test_five_password_resets_an_hour_for_one_address_then_a_429(client, owner):
    for _ in range(5):
        assert reset(client, owner.email).status_code == 302
    assert reset(client, owner.email.upper()).status_code == 429
    assert OutboundEmail.objects.filter(to=owner.email).count() == 5


def test_twenty_password_resets_an_hour_from_one_address_then_a_429(client, owner):
    for number in range(20):
        assert reset(client, f"someone{number}@example.org").status_code == 302
    assert reset(client, owner.email).status_code == 429
    assert not OutboundEmail.objects.filter(to=owner.email).exists()
    assert reset(client, owner.email, address="198.51.100.20").status_code == 302


# --- Ours: invitations and uploads ----------------------------------------------------------


def invite_member(client, organisation, number):
    return client.post(
        reverse("organisations:members", args=[organisation.pk]),
        {"email": f"colleague{number}@example.org", "role": "editor"},
    )


def invite_reviewer(client, call, number):
    return client.post(
        reverse("reviewing:reviewer_pool", args=[call.slug]),
        {"email": f"referee{number}@example.org", "affiliation": "Lab", "country": "DE"},
    )


def upload(client, letter, document_type):
    return client.post(
        reverse("letters:document_upload", args=[letter.pk]),
        {"document_type": document_type.pk, "file": pdf_upload()},
    )


def test_the_default_rates_are_twenty_invitations_and_sixty_uploads_an_hour():
    assert settings.INVITATION_RATE == "20/h"
    assert settings.UPLOAD_RATE == "60/h"


@override_settings(INVITATION_RATE="2/h")
def test_member_invitations_beyond_the_rate_are_refused_and_not_sent(client, owner, organisation):
    client.force_login(owner)
    assert invite_member(client, organisation, 1).status_code == 302
    assert invite_member(client, organisation, 2).status_code == 302
    response = invite_member(client, organisation, 3)
    assert response.status_code == 429
    assert TOO_MANY_INVITATIONS in response.content.decode()
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert not Invitation.objects.filter(email="colleague3@example.org").exists()
    assert OutboundEmail.objects.count() == 2
    # Reading the page is never limited.
    assert client.get(reverse("organisations:members", args=[organisation.pk])).status_code == 200


@override_settings(INVITATION_RATE="2/h")
def test_the_invitation_rate_is_counted_per_user(client, owner, organisation):
    client.force_login(owner)
    invite_member(client, organisation, 1)
    invite_member(client, organisation, 2)
    other = MembershipFactory().user
    client.force_login(other)
    assert invite_member(client, other.organisations.get(), 3).status_code == 302


@override_settings(INVITATION_RATE="2/h")
def test_reviewer_invitations_beyond_the_rate_are_refused_and_not_sent(client, call, officer):
    client.force_login(officer)
    assert invite_reviewer(client, call, 1).status_code == 302
    assert invite_reviewer(client, call, 2).status_code == 302
    response = invite_reviewer(client, call, 3)
    assert response.status_code == 429
    assert TOO_MANY_INVITATIONS in response.content.decode()
    assert Reviewer.objects.filter(call=call).count() == 2
    assert OutboundEmail.objects.count() == 2


def stored_files():
    return sorted(path for path in settings.PRIVATE_STORAGE_ROOT.rglob("*") if path.is_file())


@override_settings(UPLOAD_RATE="2/h")
def test_uploads_beyond_the_rate_are_refused_and_not_stored(
    client, owner, draft, signed_letter_type
):
    client.force_login(owner)
    assert upload(client, draft, signed_letter_type).status_code == 302
    assert upload(client, draft, signed_letter_type).status_code == 302
    stored = stored_files()
    response = upload(client, draft, signed_letter_type)
    assert response.status_code == 429
    assert TOO_MANY_UPLOADS in response.content.decode()
    assert Document.objects.filter(letter=draft).count() == 2
    assert stored_files() == stored
