"""Times the office types in a call's official zone, and can show on every page."""

import datetime as dt
import zoneinfo

from django import forms
from django.core.exceptions import ValidationError

from portal.accounts.models import TIME_ZONE_CHOICES

ZONES = {name for name, _label in TIME_ZONE_CHOICES}


def official_zone(data, call=None):
    """The zone a form's times are typed in: the one chosen on the form, else the call's."""
    name = (data or {}).get("time_zone")
    if name not in ZONES:
        name = call.time_zone if call else "UTC"
    return zoneinfo.ZoneInfo(name)


class TimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, to the second (deadlines end at 23:59:59)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


# No zone is a day away from UTC: a time at least a day from either end of Python's calendar
# can be shown in every zone. Nearer (the last hour of the year 9999 in Samoa), it cannot.
EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=1)


def on_the_calendar(moment):
    try:
        return EARLIEST <= moment <= LATEST
    except OverflowError:  # comparing goes through UTC
        return False


class TimeField(forms.DateTimeField):
    """A time typed in an official zone, and one every page can show."""

    widget = TimeInput

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not on_the_calendar(moment):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return moment
