"""The audit log's filters. Dates are days in the officer's own time zone."""

import datetime as dt

import django_filters
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit.models import AuditEvent

from .audit_labels import type_label, verb_label
from .filter_layout import filter_helper

ANY = _("Any")
DAY = {"widget": forms.DateInput(attrs={"type": "date"})}


def present_verbs():
    """Only the verbs that occur, so no choice comes back empty."""
    verbs = AuditEvent.objects.order_by().values_list("verb", flat=True).distinct()
    return sorted(((verb, verb_label(verb)) for verb in verbs), key=lambda choice: choice[1])


def present_types():
    types = AuditEvent.objects.order_by().values_list("target_type", flat=True).distinct()
    return sorted(((code, type_label(code)) for code in types), key=lambda choice: choice[1])


def start_of(day):
    """Midnight of that day in the active (the officer's) time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


class AuditFilter(django_filters.FilterSet):
    verb = django_filters.ChoiceFilter(label=_("Action"), choices=present_verbs, empty_label=ANY)
    actor = django_filters.CharFilter(
        label=_("Actor's e-mail contains"), field_name="actor__email", lookup_expr="icontains"
    )
    target_type = django_filters.ChoiceFilter(
        label=_("Object type"), choices=present_types, empty_label=ANY
    )
    target_id = django_filters.CharFilter(label=_("Object id"))
    since = django_filters.DateFilter(label=_("From"), method="filter_since", **DAY)
    until = django_filters.DateFilter(label=_("Until (included)"), method="filter_until", **DAY)
    q = django_filters.CharFilter(
        label=_("Object contains"), field_name="target_label", lookup_expr="icontains"
    )

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
            reset_url=reverse("intents:audit_log"),
        )

    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=start_of(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=start_of(value + dt.timedelta(days=1)))

    @property
    def is_narrowed(self):
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(value not in (None, "") for value in data.values())
