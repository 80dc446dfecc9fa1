"""The audit log's filters. Dates are days in the officer's own time zone."""

import datetime as dt

import django_filters
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import sentences
from portal.audit.models import AuditEvent
from portal.filter_layout import ANY, SearchFilter, filter_helper

DAY = {"widget": forms.DateInput(attrs={"type": "date"})}


def present_verbs():
    """Only the verbs that occur, so no choice comes back empty."""
    verbs = AuditEvent.objects.order_by().values_list("verb", flat=True).distinct()
    return sorted(((verb, sentences.label(verb)) for verb in verbs), key=lambda choice: choice[1])


def present_types():
    types = (
        AuditEvent.objects.exclude(target_type="")  # events about no object (security.*)
        .order_by()
        .values_list("target_type", flat=True)
        .distinct()
    )
    return sorted(
        ((code, sentences.type_label(code)) for code in types), key=lambda choice: choice[1]
    )


def start_of(day, days_later=0):
    """Midnight of that day, or of `days_later` days after, in the active (the officer's) time
    zone; None past either end of the calendar (in UTC), where there is nothing to leave out."""
    try:
        moment = dt.datetime.combine(day + dt.timedelta(days=days_later), dt.time.min)
        return timezone.make_aware(moment).astimezone(dt.UTC)
    except OverflowError:
        return None


class AuditFilter(django_filters.FilterSet):
    verb = django_filters.ChoiceFilter(label=_("Action"), choices=present_verbs, empty_label=ANY)
    actor = SearchFilter(
        label=_("Actor's e-mail contains"), field_name="actor__email", lookup_expr="icontains"
    )
    target_type = django_filters.ChoiceFilter(
        label=_("Object type"), choices=present_types, empty_label=ANY
    )
    target_id = django_filters.CharFilter(label=_("Object id"))
    since = django_filters.DateFilter(label=_("From"), method="filter_since", **DAY)
    until = django_filters.DateFilter(label=_("Until (included)"), method="filter_until", **DAY)
    q = SearchFilter(label=_("Object contains"), field_name="target_label", lookup_expr="icontains")

    class Meta:
        model = AuditEvent
        fields = []

    def __init__(self, data):
        super().__init__(data, queryset=AuditEvent.objects.select_related("actor"))
        self.form.helper = filter_helper(
            "audit-filters",
            [
                [("verb", "col-md-4"), ("actor", "col-md-4"), ("q", "col-md-4")],
                [
                    ("target_type", "col-md-3"),
                    ("target_id", "col-md-3"),
                    ("since", "col-md-3"),
                    ("until", "col-md-3"),
                ],
            ],
            submit_label=_("Show the events"),
            reset_url=reverse("office:audit_log"),
        )

    def filter_since(self, queryset, name, value):
        start = start_of(value)
        return queryset if start is None else queryset.filter(created_at__gte=start)

    def filter_until(self, queryset, name, value):
        end = start_of(value, days_later=1)
        return queryset if end is None else queryset.filter(created_at__lt=end)

    @property
    def is_narrowed(self):
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(value not in (None, "") for value in data.values())
