"""When a call closes for one organisation: deadline + grace, or its extension if later."""

from django.utils import timezone

from .models import Extension


def closing_time(call, organisation):
    extension = (
        Extension.objects.filter(call=call, organisation=organisation)
        .values_list("closes_at", flat=True)
        .first()
    )
    if extension and extension > call.closes_at:
        return extension
    return call.closes_at


def is_open_for(call, organisation, now=None):
    now = now or timezone.now()
    return call.opens_at <= now <= closing_time(call, organisation)
