"""Sign-in lockout (django-axes): five failures for one account from one address lock that pair
for fifteen minutes; everyone else signs in as usual."""

import datetime as dt

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portal.audit.models import AuditEvent

from ..factories import PASSWORD, UserFactory
from ..sign_in import sign_in

HOME = "192.0.2.10"
ELSEWHERE = "198.51.100.20"
LOCKED = "Please try again in 15 minutes."


@pytest.fixture
def account(db):
    return UserFactory(email="ann@example.org")


def attempt(client, email, password, address=HOME, **headers):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, times, email="ann@example.org", **kwargs):
    return [attempt(client, email, "not-the-password", **kwargs) for _ in range(times)]


def is_signed_in(client):
    return SESSION_KEY in client.session


def test_four_failures_only_show_the_form_again(client, account):
    for response in fail(client, 4):
        assert response.status_code == 200
        assert "form" in response.context


def test_the_fifth_failure_locks_and_then_even_the_right_password_is_refused(client, account):
    *_, fifth = fail(client, 5)
    assert fifth.status_code == 429
    response = attempt(client, account.email, PASSWORD)
    assert response.status_code == 429
    assert not is_signed_in(client)
    page = response.content.decode()
    assert "Sign-in locked" in page
    assert LOCKED in page
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_a_lockout_is_in_the_audit_log(client, account):
    fail(client, 5)
    event = AuditEvent.objects.get(verb="security.lockout")
    assert event.data == {"email": "ann@example.org", "ip": HOME}
    assert event.actor is None


def test_the_case_of_the_address_does_not_reset_the_count(client, account):
    fail(client, 3, email="ann@example.org")
    *_, last = fail(client, 2, email=" ANN@Example.org")
    assert last.status_code == 429


def test_the_same_account_from_another_address_is_not_locked(client, account):
    fail(client, 5)
    assert sign_in(client, account.email, PASSWORD, REMOTE_ADDR=ELSEWHERE)


def test_another_account_from_the_same_address_is_not_locked(client, account):
    colleague = UserFactory()
    fail(client, 5)
    assert sign_in(client, colleague.email, PASSWORD, REMOTE_ADDR=HOME)


def test_after_fifteen_minutes_the_account_signs_in_again(client, account):
    fail(client, 5)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=14), tick=False):
        assert attempt(client, account.email, PASSWORD).status_code == 429
    # Each attempt during the lockout restarts the fifteen minutes.
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=30), tick=False):
        assert sign_in(client, account.email, PASSWORD, REMOTE_ADDR=HOME)


def test_a_successful_sign_in_forgets_the_earlier_failures(client, account):
    fail(client, 4)
    assert sign_in(client, account.email, PASSWORD, REMOTE_ADDR=HOME)
    assert not AccessAttempt.objects.exists()
    client.logout()
    *_, fourth = fail(client, 4)
    assert fourth.status_code == 200


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_lockout(client, account):
    """The proxy appends the real address; what the client wrote before it is not trusted."""
    for forged in ("1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5"):
        fail(client, 1, address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"{forged}, {HOME}")
    response = attempt(
        client, account.email, PASSWORD, address="10.0.0.2", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {HOME}"
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}
