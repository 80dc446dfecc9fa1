"""When a call closes for one organisation: deadline + grace, or its extension if later."""

from django.utils import timezone

from .models import Extension


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


def closing_time(call, organisation):
    return closing_times(call, [organisation])[organisation.pk]


def is_open_for(call, organisation, now=None):
    now = now or timezone.now()
    return call.opens_at <= now <= closing_time(call, organisation)


def open_organisations(call, organisations):
    """Those of `organisations` that may start a letter now (extensions included), and the
    closing time to show them: the call's, or the latest of their own."""
    closing = closing_times(call, organisations)
    now = timezone.now()
    still_open = [
        organisation
        for organisation in organisations
        if call.opens_at <= now <= closing[organisation.pk]
    ]
    return still_open, max(closing.values(), default=call.closes_at)
