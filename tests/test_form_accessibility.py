"""What a screen reader meets on the portal's forms and menus: after a failed submit, a summary
of every error at the top of the form, announced and linking to each field (every crispy form,
the sign-in form's wrong password included); and a language menu that names each language in
its own `lang`."""

import re

import pytest
from django.urls import reverse

from .factories import PASSWORD, UserFactory

SUMMARY = re.compile(
    r'<div class="alert alert-danger error-summary" role="alert" tabindex="-1">(.*?)</div>', re.S
)


def error_summary(response) -> str:
    [summary] = SUMMARY.findall(response.content.decode())
    return summary


def test_a_wrong_password_is_announced(client, db):
    user = UserFactory()

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "not-the-password"}
    )

    assert "The email address and/or password you specified are not correct." in error_summary(
        response
    )


@pytest.mark.parametrize(
    ("url_name", "data", "fields"),
    [
        ("account_signup", {"email": "new@example.org"}, ["password1"]),
        ("organisations:create", {"legal_name": "Half a form"}, ["short_name", "country"]),
        ("accounts:profile", {"full_name": "Someone", "language": "xx"}, ["language"]),
    ],
)
def test_a_form_sent_back_lists_its_errors_each_linked_to_its_field(
    client, db, url_name, data, fields
):
    if url_name != "account_signup":
        client.force_login(UserFactory())

    response = client.post(reverse(url_name), data)

    summary = error_summary(response)
    for name in fields:
        assert f'<a href="#id_{name}">' in summary


def test_a_sign_in_that_succeeds_shows_no_error_summary(client, db):
    user = UserFactory()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True
    )
    assert SUMMARY.findall(response.content.decode()) == []


def test_each_language_in_the_menu_is_marked_as_written_in_that_language(client, db):
    html = client.get(reverse("home")).content.decode()

    options = re.findall(r'<option value="([\w-]+)" lang="([\w-]+)"', html)

    assert options == [("en", "en"), ("zh-hans", "zh-hans")]
