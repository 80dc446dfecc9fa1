"""`{% load present %}`: the portal's one presentation of moments, dates, time left and
numbers in templates (portal.presentation says what they look like)."""

import datetime as dt

from django import template

from portal import presentation

register = template.Library()


@register.filter
def moment(value: dt.datetime | None, zone: presentation.Zone = None) -> str:
    """`{{ letter.submitted_at|moment }}` in the reader's zone, `|moment:call.time_zone` in the
    call's, `|moment:"UTC"` in UTC."""
    return "" if not value else presentation.moment_text(value, zone)


@register.filter
def exact_moment(value: dt.datetime | None, zone: presentation.Zone = None) -> str:
    """A moment to the second: receipts, closing times."""
    return "" if not value else presentation.moment_text(value, zone, seconds=True)


@register.filter
def day(value: dt.date | None) -> str:
    return "" if not value else presentation.date_text(value)


@register.filter
def month(value: dt.date | None) -> str:
    return "" if not value else presentation.month_text(value)


@register.filter
def time_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """`{{ call.closes_at|time_left }}`, or `|time_left:now` for a moment of the caller's."""
    return "" if not deadline else presentation.time_left_text(deadline, now)


@register.filter
def number(value, places: int | None = None) -> str:
    return presentation.number_text(value, places)


@register.simple_tag
def zone_name(zone: presentation.Zone = None) -> str:
    """`{% zone_name %}`: the reader's zone as the moments name it."""
    return presentation.zone_name(zone)
