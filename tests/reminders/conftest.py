"""A call closing at a known instant, so tests can stand at each point of its schedule."""

import datetime as dt

import pytest
import time_machine

from intents.models import CallRegistration
from portal.notifications.models import OutboundEmail

from ..factories import CallFactory, ModeFactory

# 31 Dec 2023, 23:59:59 in Beijing: the seed call's deadline.
DEADLINE = dt.datetime(2023, 12, 31, 15, 59, 59, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """Moves the clock; `clock.at(hours_before_deadline)` stands that long before it."""

    class Clock:
        def __init__(self):
            self.traveller = None

        def to(self, moment):
            if self.traveller is not None:
                self.traveller.stop()
            self.traveller = time_machine.travel(moment, tick=False)
            self.traveller.start()
            return moment

        def at(self, hours_before, deadline=DEADLINE):
            return self.to(deadline - dt.timedelta(hours=hours_before))

    clock = Clock()
    clock.to(DEADLINE - dt.timedelta(days=60))
    yield clock
    clock.traveller.stop()


@pytest.fixture
def call(db, clock):
    return CallFactory(
        opens_at=DEADLINE - dt.timedelta(days=90),
        deadline=DEADLINE,
        time_zone="Asia/Shanghai",
        reminder_hours=[30 * 24, 7 * 24, 24, 3],
    )


@pytest.fixture
def mode(call):
    return ModeFactory(call=call, number=3)


def register(call, organisation, user=None):
    return CallRegistration.objects.create(call=call, organisation=organisation, registered_by=user)


def reminders_to(email, kind=None):
    rows = OutboundEmail.objects.filter(to=email).order_by("pk")
    if kind:
        rows = rows.filter(idempotency_key__contains=f":{kind}:")
    return list(rows)


def keys():
    return sorted(OutboundEmail.objects.values_list("idempotency_key", flat=True))
