"""One member's failures do not lock out an institution behind one address, and a locked account
is unlocked by a link e-mailed from the lockout page: signed, single-use, expiring; asking for
one answers alike whether or not the address has an account."""

import datetime as dt
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEvent
from portal.notifications.models import OutboundEmail

from ..factories import PASSWORD, UserFactory
from ..sign_in import sign_in

CAMPUS = "192.0.2.10"  # a university behind one NAT
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def account(db):
    return UserFactory(email="ann@example.org")


def attempt(client, email, password, address=CAMPUS):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=address
    )


def fail(client, times, email="ann@example.org", address=CAMPUS):
    return [attempt(client, email, "not-the-password", address) for _ in range(times)]


def ask_for_link(client, email, address=CAMPUS):
    return client.post(reverse("accounts:unlock_request"), {"email": email}, REMOTE_ADDR=address)


def emailed_link(email):
    body = OutboundEmail.objects.filter(to=email).latest("pk").body_text
    return re.search(r"https?://\S+(/me/unlock/link/\?key=\S+)", body).group(1)


def unlock(client, link):
    key = link.split("key=", 1)[1]
    return client.post(reverse("accounts:unlock"), {"key": key}, REMOTE_ADDR=CAMPUS)


# --- One address, many people ----------------------------------------------------------------


def test_the_ceiling_per_address_is_set_for_an_institution():
    assert settings.LOGIN_FAILURES_PER_ADDRESS == "300/10m/ip"
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "300/10m/ip"


def test_colleagues_on_the_same_address_sign_in_after_one_members_thirty_failures(client, account):
    colleagues = UserFactory.create_batch(3)
    responses = fail(client, 30)
    assert responses[-1].status_code == 429  # Ann's account is locked from here
    for colleague in colleagues:
        assert sign_in(client, colleague.email, PASSWORD, REMOTE_ADDR=CAMPUS)
        client.logout()


def test_many_members_failing_on_one_address_do_not_lock_out_the_others(client, account):
    members = UserFactory.create_batch(8)
    for member in members[:7]:
        fail(client, 4, email=member.email)  # 28 failures, none locked
    assert sign_in(client, members[7].email, PASSWORD, REMOTE_ADDR=CAMPUS)


@override_settings(
    ACCOUNT_RATE_LIMITS={**settings.ACCOUNT_RATE_LIMITS, "login_failed": "10/10m/ip"}
)
def test_beyond_the_ceiling_the_address_is_refused(client, account):
    for member in UserFactory.create_batch(3):
        fail(client, 4, email=member.email)
    response = attempt(client, account.email, PASSWORD)
    assert "Too many failed login attempts" in response.content.decode()
    assert not sign_in(client, account.email, PASSWORD, REMOTE_ADDR=CAMPUS)
    assert sign_in(client, account.email, PASSWORD, REMOTE_ADDR=ELSEWHERE)


# --- The unlock link ---------------------------------------------------------------------------


def test_the_lockout_page_offers_the_link(client, account):
    *_, locked = fail(client, 5)
    page = locked.content.decode()
    assert locked.status_code == 429
    assert reverse("accounts:unlock_request") in page
    assert 'value="ann@example.org"' in page


def test_a_locked_account_stays_locked_until_the_emailed_link_is_followed(client, account):
    fail(client, 5)
    assert attempt(client, account.email, PASSWORD).status_code == 429
    response = ask_for_link(client, "ANN@example.org")
    assert response.status_code == 302
    link = emailed_link(account.email)
    # Still locked until the link is used; opening it only shows a button.
    assert attempt(client, account.email, PASSWORD).status_code == 429
    page = client.get(link, REMOTE_ADDR=CAMPUS)
    assert page.status_code == 200
    assert "Unlock my account" in page.content.decode()
    assert attempt(client, account.email, PASSWORD).status_code == 429

    response = unlock(client, link)
    assert response.status_code == 302
    assert response.url == reverse("account_login")
    assert not AccessAttempt.objects.filter(username=account.email).exists()
    assert AuditEvent.objects.filter(verb="security.unlock", target_id=str(account.pk)).exists()
    assert sign_in(client, account.email, PASSWORD, REMOTE_ADDR=CAMPUS)


def test_the_link_works_once(client, account):
    fail(client, 5)
    ask_for_link(client, account.email)
    link = emailed_link(account.email)
    unlock(client, link)
    fail(client, 5)
    response = unlock(client, link)
    assert response.status_code == 200
    assert "not valid" in response.content.decode()
    assert attempt(client, account.email, PASSWORD).status_code == 429
    assert "not valid" in client.get(link).content.decode()


def test_the_link_expires(client, account):
    fail(client, 5)
    ask_for_link(client, account.email)
    link = emailed_link(account.email)
    later = timezone.now() + dt.timedelta(minutes=settings.UNLOCK_LINK_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        response = unlock(client, link)
    assert "not valid" in response.content.decode()
    assert AccessAttempt.objects.filter(username=account.email).exists()


def test_a_forged_link_is_refused(client, account):
    fail(client, 5)
    ask_for_link(client, account.email)
    link = emailed_link(account.email)
    response = unlock(client, link[:-3] + "abc")
    assert "not valid" in response.content.decode()
    assert AccessAttempt.objects.filter(username=account.email).exists()


def test_the_answer_for_an_unknown_address_is_the_same(client, account):
    fail(client, 5)
    known = ask_for_link(client, account.email)
    assert "If ann@example.org belongs to an account" in client.get(known.url).content.decode()
    unknown = ask_for_link(client, "nobody@example.org")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    page = client.get(unknown.url).content.decode()
    assert "If nobody@example.org belongs to an account" in page
    # One e-mail each: the link to the account, a note to the stranger's address.
    assert "/me/unlock/link/?key=" in OutboundEmail.objects.get(to=account.email).body_text
    note = OutboundEmail.objects.get(to="nobody@example.org")
    assert "belongs to no account" in note.body_text
    assert "key=" not in note.body_text


def test_asking_for_links_is_rate_limited(client, account):
    for _ in range(5):
        assert ask_for_link(client, account.email).status_code == 302
    assert ask_for_link(client, account.email).status_code == 429
    assert OutboundEmail.objects.filter(to=account.email).count() == 5


def test_an_invalid_address_shows_the_form_again(client, db):
    response = ask_for_link(client, "not an address")
    assert response.status_code == 200
    assert not OutboundEmail.objects.exists()


def test_the_offer_and_the_e_mail_speak_the_visitors_and_the_owners_language(client, account):
    account.language = "zh-hans"
    account.save(update_fields=["language"])
    fail(client, 5)
    page = client.post(
        reverse("account_login"),
        {"login": account.email, "password": PASSWORD},
        REMOTE_ADDR=CAMPUS,
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    assert "给我发送解锁账户的链接" in page
    ask_for_link(client, account.email)
    assert OutboundEmail.objects.get(to=account.email).subject == "解除账户登录锁定"
