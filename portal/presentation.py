"""How the portal writes moments, dates, time left and numbers for people to read.

One presentation in every page, e-mail and message, unambiguous in both languages:

- a moment: "6 Dec 2026, 16:18 UTC" / "2026年12月6日 16:18 UTC", always on a 24-hour clock and
  always naming its zone by its IANA name ("Asia/Shanghai"; abbreviations such as CST mean
  three different zones), in the zone asked for: the call's official zone, UTC, or by default
  the reader's (the active zone: their profile's, see portal.accounts.middleware);
- a date: "6 Dec 2026" / "2026年12月6日"; a month: "December 2026" / "2026年12月";
- time left: "60 days left" / "还剩 60 天", in whole days from two days on, then whole hours,
  then minutes, never months or weeks (Chinese "4 月" reads as April);
- a number: no trailing zeros ("12.50" → "12.5", "80.000" → "80"), the same in a form's input
  and on the page.

Machine-readable values (a <time> element's `datetime`, CSV, JSON) stay ISO 8601.
"""

import datetime as dt
import zoneinfo
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext, pgettext_lazy

# Chinese writes months by number: the translations are "1月" to "12月".
MONTHS = (
    pgettext_lazy("month", "January"), pgettext_lazy("month", "February"),
    pgettext_lazy("month", "March"), pgettext_lazy("month", "April"),
    pgettext_lazy("month", "May"), pgettext_lazy("month", "June"),
    pgettext_lazy("month", "July"), pgettext_lazy("month", "August"),
    pgettext_lazy("month", "September"), pgettext_lazy("month", "October"),
    pgettext_lazy("month", "November"), pgettext_lazy("month", "December"),
)  # fmt: skip
MONTHS_SHORT = (
    pgettext_lazy("abbreviated month", "Jan"), pgettext_lazy("abbreviated month", "Feb"),
    pgettext_lazy("abbreviated month", "Mar"), pgettext_lazy("abbreviated month", "Apr"),
    pgettext_lazy("abbreviated month", "May"), pgettext_lazy("abbreviated month", "Jun"),
    pgettext_lazy("abbreviated month", "Jul"), pgettext_lazy("abbreviated month", "Aug"),
    pgettext_lazy("abbreviated month", "Sep"), pgettext_lazy("abbreviated month", "Oct"),
    pgettext_lazy("abbreviated month", "Nov"), pgettext_lazy("abbreviated month", "Dec"),
)  # fmt: skip

Zone = dt.tzinfo | str | None


def zone_of(zone: Zone) -> dt.tzinfo:
    """The zone asked for: a tzinfo, an IANA name, or None for the active (the reader's) zone."""
    if zone is None:
        return timezone.get_current_timezone()
    if isinstance(zone, str):
        return zoneinfo.ZoneInfo(zone)
    return zone


def zone_name(zone: Zone) -> str:
    return str(zone_of(zone))


def date_text(value: dt.date) -> str:
    """A calendar date: "6 Dec 2026" / "2026年12月6日"."""
    return pgettext("date; keep the placeholders", "{day} {month} {year}").format(
        day=value.day, month=MONTHS_SHORT[value.month - 1], year=value.year
    )


def day_text(value: dt.date) -> str:
    """A day without its year, where the year is plain (a chart's axis): "6 Dec" / "12月6日"."""
    return pgettext("day; keep the placeholders", "{day} {month}").format(
        day=value.day, month=MONTHS_SHORT[value.month - 1]
    )


def month_text(value: dt.date) -> str:
    """A month: "December 2026" / "2026年12月"."""
    return pgettext("month; keep the placeholders", "{month} {year}").format(
        month=MONTHS[value.month - 1], year=value.year
    )


def moment_text(value: dt.datetime, zone: Zone = None, *, seconds: bool = False) -> str:
    """A moment in `zone`, naming it: "6 Dec 2026, 16:18 UTC" / "2026年12月6日 16:18 UTC".
    With `seconds` where they matter: receipts, and deadlines that end at :59."""
    tz = zone_of(zone)
    local = timezone.localtime(value, tz) if timezone.is_aware(value) else value
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return pgettext("moment; keep the placeholders", "{date}, {time} {zone}").format(
        date=date_text(local), time=clock, zone=str(tz)
    )


def time_left_text(deadline: dt.datetime, now: dt.datetime | None = None) -> str:
    """What is left until `deadline`: "60 days left" / "还剩 60 天"; "47 hours left" below two
    days, minutes below two hours; "deadline passed" / "已截止" once it is over."""
    left = deadline - (now or timezone.now())
    if left <= dt.timedelta(0):
        return gettext("deadline passed")
    if left >= dt.timedelta(days=2):
        days = left.days
        return ngettext("%(count)d day left", "%(count)d days left", days) % {"count": days}
    if left >= dt.timedelta(hours=2):
        hours = int(left.total_seconds() // 3600)
        return ngettext("%(count)d hour left", "%(count)d hours left", hours) % {"count": hours}
    # Rounded up: half a minute left is still a minute to act in, never "0 minutes".
    minutes = max(1, -int(-left.total_seconds() // 60))
    return ngettext("%(count)d minute left", "%(count)d minutes left", minutes) % {"count": minutes}


def number_text(value: Decimal | float | int | str | None, places: int | None = None) -> str:
    """A number without trailing zeros ("12.50" → "12.5", "80.000" → "80"), rounded half up to
    `places` decimals first if given; "" for no value."""
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    # normalize() writes 80 as 8E+1; "f" writes it out again, and "+ 0" turns -0 into 0.
    return format(number.normalize() + 0, "f")
