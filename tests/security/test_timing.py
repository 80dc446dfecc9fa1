"""Sign-up, password reset and sign-in take as long for an address with an account as for one
without, so the time of an answer does not tell who has an account (the answers themselves are
already the same). Measured with the production password hasher, through the real views: the
two kinds of request alternate and medians are compared, which a busy machine affects alike."""

import itertools
import statistics
import time

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from ..factories import PASSWORD, UserFactory

# Django's default, the one production uses (tests otherwise use MD5 for speed).
PRODUCTION_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
ROUNDS = 15
TOLERANCE = 0.20
# Answers that hash no password take some milliseconds, and on a busy machine their medians
# wander by a few: they count as alike within this, far less than one hash (0.25 s or more).
SLACK_SECONDS = 0.010
NEW_PASSWORD = "a-long-lunar-passphrase"

pytestmark = pytest.mark.django_db

_addresses = (f"10.{a}.{b}.{c}" for a, b, c in itertools.product(range(1, 250), repeat=3))


def timed(request):
    """Seconds the request takes; each comes from its own address with no rate counted yet, so
    neither the rate limits nor a lockout answers in its place."""
    for cache in caches.all():
        cache.clear()
    started = time.perf_counter()
    response = request(next(_addresses))
    return time.perf_counter() - started, response


def compare(existing, unknown, rounds=ROUNDS):
    """The medians of `existing()` and `unknown()`, alternated `rounds` times after one warm-up
    each, with the statuses each answered. A difference must show in two measurements running:
    a burst of other work (under CI, the Celery worker sending an earlier request's e-mail) can
    slow one kind in one measurement, while a real difference slows it in both."""
    for _ in range(2):
        medians, statuses = measure(existing, unknown, rounds)
        if alike(medians):
            break
    return medians, statuses


def measure(existing, unknown, rounds):
    timed(existing), timed(unknown)
    times = {"existing": [], "unknown": []}
    statuses = {"existing": set(), "unknown": set()}
    for _ in range(rounds):
        for kind, request in (("existing", existing), ("unknown", unknown)):
            seconds, response = timed(request)
            times[kind].append(seconds)
            statuses[kind].add(response.status_code)
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    print(f"medians: {medians}")  # shown with pytest -s
    return medians, statuses


def alike(medians):
    slower, faster = max(medians.values()), min(medians.values())
    return slower <= max(faster * (1 + TOLERANCE), faster + SLACK_SECONDS)


def assert_alike(medians):
    assert alike(medians), medians


@pytest.fixture
def member():
    with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
        return UserFactory(email="member@example.org")


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_signing_up_with_a_taken_address_takes_as_long_as_with_a_new_one(client, member):
    counter = itertools.count()

    def sign_up(email):
        def request(address):
            client.logout()
            return client.post(
                reverse("account_signup"),
                {
                    "email": email(),
                    "full_name": "Some One",
                    "time_zone": "UTC",
                    "password1": NEW_PASSWORD,
                    "password2": NEW_PASSWORD,
                },
                REMOTE_ADDR=address,
            )

        return request

    medians, statuses = compare(
        sign_up(lambda: member.email), sign_up(lambda: f"newcomer{next(counter)}@example.org")
    )
    assert statuses == {"existing": {302}, "unknown": {302}}
    assert_alike(medians)


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_password_reset_for_an_unknown_address_takes_as_long_as_for_a_member(client, member):
    def reset(email):
        return lambda address: client.post(
            reverse("account_reset_password"), {"email": email}, REMOTE_ADDR=address
        )

    medians, statuses = compare(reset(member.email), reset("nobody@example.org"), rounds=40)
    assert statuses == {"existing": {302}, "unknown": {302}}
    assert_alike(medians)


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_a_wrong_password_for_an_unknown_address_takes_as_long_as_for_a_member(client, member):
    def sign_in(email):
        return lambda address: client.post(
            reverse("account_login"),
            {"login": email, "password": PASSWORD + "-wrong"},
            REMOTE_ADDR=address,
        )

    medians, statuses = compare(sign_in(member.email), sign_in("nobody@example.org"))
    assert statuses == {"existing": {200}, "unknown": {200}}
    assert_alike(medians)


@override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS)
def test_asking_to_unlock_an_unknown_address_takes_as_long_as_a_members(client, member):
    def ask(email):
        return lambda address: client.post(
            reverse("accounts:unlock_request"), {"email": email}, REMOTE_ADDR=address
        )

    medians, statuses = compare(ask(member.email), ask("nobody@example.org"), rounds=40)
    assert statuses == {"existing": {302}, "unknown": {302}}
    assert_alike(medians)
