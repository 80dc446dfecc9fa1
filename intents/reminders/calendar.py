"""The .ics file attached to deadline reminders, so the deadline lands in a calendar."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from icalendar import Calendar, Event

PRODUCT_ID = "-//Lunar cooperation portal//Deadline reminders//EN"


@dataclass(frozen=True)
class CalendarEntry:
    """A deadline as one calendar event. The uid is stable, so a later reminder updates the
    event already in the recipient's calendar instead of adding another."""

    uid: str
    when: datetime
    # Called while the e-mail is rendered, so the title is in the recipient's language.
    summary: Callable[[], str]
    url: str


def ics_attachment(entry, now):
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now)
    event.add("dtstart", entry.when)
    event.add("dtend", entry.when)
    event.add("summary", entry.summary())
    event.add("description", entry.url)
    event.add("url", entry.url)
    calendar.add_component(event)
    return {
        "name": "deadline.ics",
        "mimetype": "text/calendar",
        "content": calendar.to_ical().decode(),
    }


def uid(*parts):
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return "-".join(str(part) for part in parts) + f"@{domain or 'localhost'}"
