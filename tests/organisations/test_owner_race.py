"""Two owners demoting or removing each other at the same moment, through the real views.

Each round gives an organisation two owners, A and B, signs each in on a client of their own and
sends both requests at once, each on its own thread and database connection as two web workers
would. Both requests pass the views' permission checks (both are owners) and only then meet at the
domain function, so every round really races for the organisation's lock: one change must apply,
the other be refused with a message saying why, and the organisation keep an owner.
"""

import threading
import time
from collections import Counter
from functools import partial

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from portal.audit.models import AuditEvent
from portal.organisations import actions
from portal.organisations.models import Membership, Role

from ..factories import MembershipFactory, OrganisationFactory
from ..services import require

ROUNDS = 50
# Both messages a refused owner can get here say this (see actions._require_owner and
# actions._keep_an_owner).
NO_LONGER_OWNER = "no longer an owner of"
GONE = "This membership no longer exists"


@pytest.fixture
def race_database(transactional_db):
    """PostgreSQL is where the race was found; SQLite serialises writers and passes as well."""
    require(
        connection.vendor == "postgresql",
        "DATABASE_URL is not PostgreSQL: the owners' race must be tried on PostgreSQL",
    )


@pytest.fixture
def meet_in_the_domain(monkeypatch):
    """Hold each request at the entry of `name` until the other one gets there too."""

    def meet(name):
        original = getattr(actions, name)
        # Generous: the machine running the tests may be busy with much else.
        barrier = threading.Barrier(2, timeout=60)

        def held(**kwargs):
            barrier.wait()
            return original(**kwargs)

        monkeypatch.setattr(actions, name, held)
        return barrier

    return meet


def at_once(*requests):
    """Each request on its own thread and connection, started together; an exception is kept."""
    start = threading.Barrier(len(requests))
    outcomes = [None] * len(requests)

    def run(index, request):
        try:
            start.wait()
            outcomes[index] = request()
        except Exception as error:  # a 500: the test client raises what the view raised
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def two_owners():
    organisation = OrganisationFactory()
    a = MembershipFactory(organisation=organisation, role=Role.OWNER)
    b = MembershipFactory(organisation=organisation, role=Role.OWNER)
    clients = []
    for membership in (a, b):
        client = Client()
        client.force_login(membership.user)
        clients.append(client)
    return organisation, a, b, clients


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def events_about(organisation, verb):
    return AuditEvent.objects.filter(
        verb=verb, target_type="organisations.organisation", target_id=str(organisation.pk)
    )


def outcome_of(response):
    if isinstance(response, Exception):
        return f"500 {type(response).__name__}: {response}"
    if response.status_code != 302:
        return str(response.status_code)
    texts = messages_of(response)
    if any(NO_LONGER_OWNER in text for text in texts):
        return "refused"
    if any(GONE in text for text in texts):
        return "gone"
    if texts in (["The role was changed."], ["The member was removed."]):
        return "applied"
    return f"302 {texts}"


def race(name, changes, expected):
    """`changes(organisation, a, b, clients)` gives A's and B's requests, `expected` checks a
    round's result; every round is run, then the figures are printed and checked."""
    # One request first, alone, so the rounds time the race and not Django's first imports.
    organisation, _, _, clients = two_owners()
    members = reverse("organisations:members", args=[organisation.pk])
    assert clients[0].get(members).status_code == 200
    tally, wrong, started = Counter(), [], time.monotonic()
    for number in range(1, ROUNDS + 1):
        organisation, a, b, clients = two_owners()
        responses = at_once(*changes(organisation, a, b, clients))
        outcomes = [outcome_of(response) for response in responses]
        tally.update(outcome.split(" ", 1)[0] for outcome in outcomes)
        owners = Membership.objects.filter(organisation=organisation, role=Role.OWNER)
        try:
            assert owners.exists(), "no owner left"
            assert sorted(outcomes) == ["applied", "refused"], outcomes
            winner, loser = (a, b) if outcomes[0] == "applied" else (b, a)
            tally["won by A" if winner is a else "won by B"] += 1
            expected(organisation, winner, loser, responses[[a, b].index(loser)])
        except AssertionError as error:
            wrong.append(f"round {number}: {error}")
    tally["seconds"] = round(time.monotonic() - started, 1)
    print(f"\n{ROUNDS} {name} rounds on {connection.vendor}: {dict(tally)}")
    assert wrong == [], f"{len(wrong)} of {ROUNDS} rounds went wrong, first: {wrong[:3]}"


def test_two_owners_demoting_each_other_at_once(race_database, meet_in_the_domain):
    meet_in_the_domain("change_role")

    def changes(organisation, a, b, clients):
        def demote(client, membership):
            url = reverse("organisations:member_role", args=[organisation.pk, membership.pk])
            return lambda: client.post(url, {"role": Role.EDITOR})

        return demote(clients[0], b), demote(clients[1], a)

    def expected(organisation, winner, loser, refused):
        roles = dict(organisation.memberships.values_list("pk", "role"))
        # The winner demoted the loser, and is the one owner left.
        assert roles == {winner.pk: Role.OWNER, loser.pk: Role.EDITOR}
        events = events_about(organisation, "member.role_changed")
        assert list(events.values_list("actor", flat=True)) == [winner.user_id]
        # Still a member (an editor): back on the members page with the message.
        assert refused.url == reverse("organisations:members", args=[organisation.pk])

    race("demotion", changes, expected)


def test_two_owners_removing_each_other_at_once(race_database, meet_in_the_domain):
    meet_in_the_domain("remove_member")

    def changes(organisation, a, b, clients):
        def remove(client, membership):
            url = reverse("organisations:member_remove", args=[organisation.pk, membership.pk])
            return lambda: client.post(url)

        return remove(clients[0], b), remove(clients[1], a)

    def expected(organisation, winner, loser, refused):
        roles = dict(organisation.memberships.values_list("pk", "role"))
        assert roles == {winner.pk: Role.OWNER}
        events = events_about(organisation, "member.removed")
        assert list(events.values_list("actor", flat=True)) == [winner.user_id]
        # No longer a member: the members page would be a 404, so home, with the message.
        assert refused.url == reverse("home")

    race("removal", changes, expected)


def test_a_role_change_for_someone_removed_meanwhile_is_refused(race_database, monkeypatch):
    """Owner A removes C while owner B's change of C's role, already past the view's checks,
    waits: it then finds C gone and is refused (it was a 500: DoesNotExist, or an update of no
    row)."""
    remove_member, change_role = actions.remove_member, actions.change_role
    both_checked, removed = threading.Barrier(2, timeout=60), threading.Event()

    def remove_first(**kwargs):
        both_checked.wait()
        try:
            return remove_member(**kwargs)
        finally:
            removed.set()

    def change_after(**kwargs):
        both_checked.wait()
        removed.wait(timeout=60)
        return change_role(**kwargs)

    monkeypatch.setattr(actions, "remove_member", remove_first)
    monkeypatch.setattr(actions, "change_role", change_after)
    for _ in range(10):
        removed.clear()
        organisation, _, _, clients = two_owners()
        c = MembershipFactory(organisation=organisation, role=Role.EDITOR)
        remove = reverse("organisations:member_remove", args=[organisation.pk, c.pk])
        change = reverse("organisations:member_role", args=[organisation.pk, c.pk])
        responses = at_once(
            partial(clients[0].post, remove), partial(clients[1].post, change, {"role": "viewer"})
        )
        assert [outcome_of(response) for response in responses] == ["applied", "gone"]
        assert not Membership.objects.filter(pk=c.pk).exists()


def test_an_owner_demoted_meanwhile_changes_nobody_but_may_still_leave(organisation, owner):
    """What the view checked (the user is an owner) is checked again under the lock."""
    second = MembershipFactory(organisation=organisation, role=Role.OWNER)
    viewer = MembershipFactory(organisation=organisation, role=Role.VIEWER)
    own = Membership.objects.get(organisation=organisation, user=owner)
    actions.change_role(user=second.user, membership_id=own.pk, role=Role.EDITOR)

    with pytest.raises(actions.MembershipError, match=f"You are {NO_LONGER_OWNER}"):
        actions.change_role(user=owner, membership_id=viewer.pk, role=Role.EDITOR)
    with pytest.raises(actions.MembershipError, match=f"You are {NO_LONGER_OWNER}"):
        actions.remove_member(user=owner, membership_id=viewer.pk)
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER
    actions.remove_member(user=owner, membership_id=own.pk)
    assert not Membership.objects.filter(pk=own.pk).exists()
