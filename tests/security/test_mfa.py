"""Two-factor authentication: offered to everyone, required of programme officers."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.messages import get_messages
from django.urls import reverse

from ..factories import PASSWORD, UserFactory, authenticator_code, totp_code, turn_on_totp

ACTIVATE = reverse("mfa_activate_totp")
MUST_TURN_ON = (
    "Programme officers must turn on two-factor authentication before using the office pages."
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


@pytest.fixture
def new_officer(db):
    """An officer who has not set up an authenticator app yet."""
    return UserFactory(is_programme_officer=True, totp=False)


def sign_in(client, user):
    """Through allauth's sign-in form, as a person would (force_login skips allauth's steps)."""
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def recovery_codes(user):
    return (
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )


def turn_on_through_the_form(client):
    """Confirms the password, reads the secret the page shows and types the app's code."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": ACTIVATE})
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert f'value="{secret}"' in page.content.decode()
    return client.post(ACTIVATE, {"code": authenticator_code(secret)})


@pytest.mark.parametrize("path", ["/office/", "/", "/review/", "/admin/"])
def test_an_officer_without_an_authenticator_app_is_sent_to_set_one_up(client, new_officer, path):
    client.force_login(new_officer)
    response = client.get(path)
    assert response.status_code == 302
    assert response.url == ACTIVATE
    assert MUST_TURN_ON in [str(message) for message in get_messages(response.wsgi_request)]


def test_setting_up_signing_out_the_language_and_the_health_probe_stay_open(client, new_officer):
    client.force_login(new_officer)
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.get(reverse("account_reauthenticate")).status_code == 200
    assert client.get(reverse("account_email")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    language = client.post(reverse("accounts:switch_language"), {"language": "en", "next": "/"})
    assert language.url == "/"
    signed_out = client.post(reverse("account_logout"))
    assert signed_out.url != ACTIVATE
    assert "_auth_user_id" not in client.session


def test_after_turning_on_the_authenticator_app_the_officer_reaches_the_office(client, new_officer):
    sign_in(client, new_officer)
    assert client.get("/office/").url == ACTIVATE
    response = turn_on_through_the_form(client)
    assert Authenticator.objects.filter(user=new_officer, type=Authenticator.Type.TOTP).exists()
    # Recovery codes are made and shown at once, for the day the phone is lost.
    assert response.url == reverse("mfa_view_recovery_codes")
    page = client.get(response.url).content.decode()
    codes = recovery_codes(new_officer)
    assert len(codes) == 10
    assert all(code in page for code in codes)
    assert client.get("/office/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_wrong_code_turns_nothing_on(client, new_officer):
    sign_in(client, new_officer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": ACTIVATE})
    client.get(ACTIVATE)
    response = client.post(ACTIVATE, {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=new_officer).exists()
    assert client.get("/office/").url == ACTIVATE


def test_an_officer_who_turns_the_app_off_is_sent_back_to_set_it_up(client, officer):
    sign_in(client, officer)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(officer)})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get("/office/").url == ACTIVATE


def test_someone_who_is_not_an_officer_is_never_made_to_turn_it_on(client, owner):
    client.force_login(owner)
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get("/office/").status_code == 403


def test_anyone_may_turn_it_on_and_is_then_asked_for_a_code(client, owner):
    sign_in(client, owner)
    turn_on_through_the_form(client)
    client.post(reverse("account_logout"))
    assert sign_in(client, owner).url == reverse("mfa_authenticate")


def test_an_officer_with_the_app_must_give_a_code_after_the_password(client, officer):
    response = sign_in(client, officer)
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/office/").status_code == 302
    assert client.get("/office/").url.startswith(reverse("account_login"))

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code." in wrong.content.decode()
    assert "_auth_user_id" not in client.session

    right = client.post(reverse("mfa_authenticate"), {"code": totp_code(officer)})
    assert right.url == reverse("office:office_home")  # an officer's landing
    assert client.get("/office/").status_code == 200


def test_a_code_is_accepted_once(client, officer):
    code = totp_code(officer)
    sign_in(client, officer)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))
    sign_in(client, officer)
    replayed = client.post(reverse("mfa_authenticate"), {"code": code})
    assert replayed.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_stands_in_for_a_lost_phone_once(client, new_officer):
    sign_in(client, new_officer)
    turn_on_through_the_form(client)
    recovery_code = recovery_codes(new_officer)[0]
    client.post(reverse("account_logout"))

    sign_in(client, new_officer)
    signed_in = client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert signed_in.url == reverse("office:office_home")
    assert client.get("/office/").status_code == 200
    client.post(reverse("account_logout"))

    sign_in(client, new_officer)
    reused = client.post(reverse("mfa_authenticate"), {"code": recovery_code})
    assert reused.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_admin_sign_in_form_cannot_skip_the_code(client, officer):
    page = client.get("/admin/login/?next=/admin/")
    assert page.url == reverse("account_login") + "?next=%2Fadmin%2F"
    client.post("/admin/login/", {"username": officer.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_the_profile_offers_two_factor_authentication(client, owner):
    client.force_login(owner)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Two-factor authentication" in page
    assert "Off." in page
    assert f'href="{ACTIVATE}"' in page


def test_the_profile_says_when_two_factor_authentication_is_on(client, owner):
    client.force_login(turn_on_totp(owner))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "On: after your password" in page
    assert f'href="{reverse("mfa_index")}"' in page


def assert_site_page_without_inline_code(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert 'class="navbar-brand"' in html, path  # our base layout
    assert not INLINE_SCRIPT.search(html), path  # the CSP forbids inline script and style
    assert "style=" not in html and "<style" not in html, path


def test_the_two_factor_pages_use_the_site_layout_without_inline_script_or_style(
    client, new_officer
):
    sign_in(client, new_officer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": ACTIVATE})
    for path in [reverse("mfa_index"), ACTIVATE]:
        assert_site_page_without_inline_code(client, path)
    turn_on_through_the_form(client)
    for name in [
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_deactivate_totp",
    ]:
        assert_site_page_without_inline_code(client, reverse(name))
    client.post(reverse("account_logout"))
    sign_in(client, new_officer)
    assert_site_page_without_inline_code(client, reverse("mfa_authenticate"))


def test_the_qr_code_is_an_image_inside_the_page(client, new_officer):
    sign_in(client, new_officer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD, "next": ACTIVATE})
    html = client.get(ACTIVATE).content.decode()
    assert re.search(r'<img [^>]*src="data:image/svg\+xml;base64,', html)
