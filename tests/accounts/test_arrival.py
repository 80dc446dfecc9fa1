"""How people arrive: from an e-mailed invitation, at sign-in, after enrolling two-factor
authentication, and in the language they chose before signing in."""

import re

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.urls import reverse

from intents.models import Reviewer
from portal.accounts.models import User
from portal.notifications.models import OutboundEmail
from portal.organisations.models import Invitation, Role

from ..factories import (
    PASSWORD,
    MembershipFactory,
    ReviewerFactory,
    UserFactory,
    authenticator_code,
)


def signed_in_at(client, user, login_url=None):
    """Sign in through the real form; where it leads."""
    response = client.post(
        login_url or reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response.url


def prefilled_address(page):
    match = re.search(r'<input[^>]*name="email"[^>]*>', page)
    value = re.search(r'value="([^"]*)"', match.group(0)) if match else None
    return value.group(1) if value else None


@pytest.fixture
def organisation_invitation(organisation):
    return Invitation.objects.create(
        organisation=organisation, email="newcomer@example.org", role=Role.EDITOR
    )


@pytest.fixture
def reviewer_invitation(call):
    return Reviewer.objects.create(call=call, email="reviewer@example.org", country="IT")


def test_an_organisation_invitation_opens_the_sign_up_with_the_invited_address(
    client, organisation_invitation
):
    invitation_url = reverse(
        "organisations:invitation_accept", args=[organisation_invitation.token]
    )
    response = client.get(invitation_url, follow=True)
    sign_up_url = response.redirect_chain[-1][0]
    assert sign_up_url.startswith(reverse("account_signup"))
    assert prefilled_address(response.content.decode()) == "newcomer@example.org"

    # Signed up and verified, the newcomer is back at the invitation, signed in.
    client.post(
        sign_up_url,
        {
            "email": "newcomer@example.org",
            "full_name": "Amara Okafor",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "time_zone": "Africa/Lagos",
        },
    )
    message = OutboundEmail.objects.get(to="newcomer@example.org")
    link = re.search(r"/accounts/confirm-email/\S+/", message.body_text).group(0)
    assert client.post(link).url == invitation_url
    assert "Accept the invitation" in client.get(invitation_url).content.decode()


def test_a_reviewer_invitation_opens_the_sign_up_with_the_invited_address(
    client, reviewer_invitation
):
    invitation_url = reverse("reviewing:reviewer_invitation", args=[reviewer_invitation.token])
    response = client.get(invitation_url, follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_signup"))
    page = response.content.decode()
    assert prefilled_address(page) == "reviewer@example.org"
    assert f'value="{invitation_url}"' in page


def test_an_invitation_to_an_existing_account_asks_to_sign_in(client, db, call):
    user = UserFactory()
    place = Reviewer.objects.create(call=call, email=user.email, country="IT")
    invitation_url = reverse("reviewing:reviewer_invitation", args=[place.token])
    response = client.get(invitation_url)
    assert response.url.startswith(reverse("account_login") + "?next=")
    assert signed_in_at(client, user, response.url) == invitation_url


def test_an_officer_lands_on_the_office(client, db):
    # Without an authenticator app yet: with one, allauth asks for its code first.
    officer = UserFactory(is_programme_officer=True, totp=False)
    assert signed_in_at(client, officer) == reverse("office:office_home")


def test_a_reviewer_in_no_organisation_lands_on_their_desk(client, db):
    reviewer = ReviewerFactory()
    assert signed_in_at(client, reviewer.user) == reverse("reviewing:reviewer_desk")


def test_the_home_page_shows_a_reviewer_their_reviews_first(client, db):
    reviewer = ReviewerFactory()
    client.force_login(reviewer.user)
    page = client.get(reverse("home")).content.decode()
    assert page.index(reverse("reviewing:reviewer_desk") + '">Go to your reviews') < page.index(
        'id="your-organisations"'
    )
    assert "You are not a member of any organisation yet" not in page


def test_an_applicant_lands_on_the_home_page(client, owner):
    assert signed_in_at(client, owner) == reverse("home")


def test_a_reviewer_who_also_applies_lands_on_the_home_page(client, db):
    reviewer = ReviewerFactory()
    MembershipFactory(user=reviewer.user, role=Role.EDITOR)
    assert signed_in_at(client, reviewer.user) == reverse("home")


def test_a_named_page_wins_over_the_landing(client, db):
    officer = UserFactory(is_programme_officer=True, totp=False)
    assert signed_in_at(client, officer, reverse("account_login") + "?next=/me/") == "/me/"


def the_way_on_from_the_recovery_codes(client):
    """Turn on the authenticator app through the forms; the recovery codes page's link on."""
    activate = reverse("mfa_activate_totp")
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": activate})
    client.get(activate)
    response = client.post(
        activate, {"code": authenticator_code(client.session[SECRET_SESSION_KEY])}
    )
    assert response.url == reverse("mfa_view_recovery_codes")
    page = client.get(response.url).content.decode()
    return re.search(r'id="after-enrolment" href="([^"]*)"', page).group(1)


def test_the_recovery_codes_lead_on_to_the_page_enrolment_interrupted(client, db, call):
    officer = UserFactory(is_programme_officer=True, totp=False)
    signed_in_at(client, officer)
    wanted = reverse("office:call_settings", args=[call.slug])
    assert client.get(wanted).url == reverse("mfa_activate_totp")
    assert the_way_on_from_the_recovery_codes(client) == wanted
    assert client.get(wanted).status_code == 200


def test_the_recovery_codes_lead_an_applicant_home(client, owner):
    signed_in_at(client, owner)
    assert the_way_on_from_the_recovery_codes(client) == reverse("home")


def choose_language_before_signing_in(client, language):
    client.post(reverse("accounts:switch_language"), {"language": language, "next": "/"})


def test_a_language_chosen_before_signing_in_stays_if_the_account_had_none(client, db):
    user = UserFactory()  # made by the office: the default language, never chosen
    choose_language_before_signing_in(client, "zh-hans")
    signed_in_at(client, user)
    assert '<html lang="zh-hans"' in client.get(reverse("home")).content.decode()
    user.refresh_from_db()
    assert (user.language, user.language_chosen) == ("zh-hans", True)


def test_the_accounts_own_language_wins_over_one_chosen_before_signing_in(client, db):
    user = UserFactory(language="en", language_chosen=True)
    choose_language_before_signing_in(client, "zh-hans")
    signed_in_at(client, user)
    assert '<html lang="en"' in client.get(reverse("home")).content.decode()
    user.refresh_from_db()
    assert user.language == "en"


def test_signing_up_and_the_switcher_while_signed_in_count_as_choices(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "li@example.org",
            "full_name": "Li Wei",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "time_zone": "Asia/Shanghai",
        },
    )
    assert User.objects.get(email="li@example.org").language_chosen
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("accounts:switch_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language_chosen
