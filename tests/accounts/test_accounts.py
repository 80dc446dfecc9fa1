import re

from django.urls import reverse

from portal.accounts.models import User
from portal.notifications.models import OutboundEmail


def sign_up(client, email="new@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "full_name": "Ngozi Adeyemi",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "time_zone": "Africa/Lagos",
        },
    )


def test_sign_up_keeps_the_name_zone_and_language(client, db):
    client.post(
        reverse("account_signup"),
        {
            "email": "wang@example.org",
            "full_name": "Wang Fang",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "time_zone": "Asia/Shanghai",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    user = User.objects.get(email="wang@example.org")
    assert (user.full_name, user.time_zone, user.language) == (
        "Wang Fang",
        "Asia/Shanghai",
        "zh-hans",
    )


def test_the_verification_email_goes_through_the_outbox(client, db):
    sign_up(client)
    email = OutboundEmail.objects.get(to="new@example.org")
    assert email.idempotency_key.startswith("account:")
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", email.body_text).group(0)
    page = client.get(link.split("testserver", 1)[-1])
    assert page.status_code == 200


def test_an_unverified_user_cannot_sign_in(client, db):
    sign_up(client)
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "new@example.org", "password": "a-long-and-unusual-passphrase"},
    )
    assert response.url == reverse("account_email_verification_sent")


def test_switching_language_is_remembered_on_the_account(client, owner):
    client.force_login(owner)
    response = client.post(
        reverse("accounts:switch_language"), {"language": "zh-hans", "next": "/"}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.language == "zh-hans"


def test_a_language_we_do_not_ship_is_ignored(client, owner):
    client.force_login(owner)
    client.post(reverse("accounts:switch_language"), {"language": "xx", "next": "/"})
    owner.refresh_from_db()
    assert owner.language == "en"


def test_times_are_shown_in_the_users_zone(client, owner, call):
    owner.time_zone = "America/Sao_Paulo"
    owner.save()
    client.force_login(owner)
    page = client.get(call.get_absolute_url()).content.decode()
    assert "America/Sao_Paulo" in page
    assert "Asia/Shanghai" in page
    assert "UTC" in page


def test_the_profile_changes_zone_and_language(client, owner):
    client.force_login(owner)
    client.post(
        reverse("accounts:profile"),
        {"full_name": "New Name", "language": "zh-hans", "time_zone": "Europe/Paris"},
    )
    owner.refresh_from_db()
    assert (owner.full_name, owner.language, owner.time_zone) == (
        "New Name",
        "zh-hans",
        "Europe/Paris",
    )


def test_reminders_can_be_turned_off_and_on_in_the_profile(client, owner):
    client.force_login(owner)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Receipts, decisions and account e-mails are always sent." in page
    profile = {"full_name": "Ada", "language": "en", "time_zone": "UTC"}
    client.post(reverse("accounts:profile"), profile)
    owner.refresh_from_db()
    assert owner.receive_reminders is False
    client.post(reverse("accounts:profile"), {**profile, "receive_reminders": "on"})
    owner.refresh_from_db()
    assert owner.receive_reminders is True
