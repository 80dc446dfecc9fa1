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


def closing_times(call, organisations):
    """{organisation id: closing time} for several organisations, in one query."""
    extended = dict(
        Extension.objects.filter(call=call, organisation__in=organisations).values_list(
            "organisation_id", "closes_at"
        )
    )
    return {
        organisation.pk: max(call.closes_at, extended.get(organisation.pk, call.closes_at))
        for organisation in organisations
    }


def is_open_for(call, organisation, now=None):
    now = now or timezone.now()
    return call.opens_at <= now <= closing_time(call, organisation)
