"""The office's list of organisations, filtered by name and verification state."""

import django_filters
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.filter_layout import SearchFilter
from portal.organisations.models import Organisation

VERIFICATION_STATES = [
    ("unverified", _("Not yet verified")),
    ("requested", _("Information requested")),
    ("verified", _("Verified")),
]


class OrganisationFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("name"),
                Column("state"),
                Column(
                    StrictButton(_("Filter"), type="submit", css_class="btn-outline-primary mb-3")
                ),
                css_class="align-items-end",
            )
        )


class OrganisationFilter(django_filters.FilterSet):
    name = SearchFilter(label=_("Name"), method="filter_name")
    state = django_filters.ChoiceFilter(
        label=_("Verification"),
        choices=VERIFICATION_STATES,
        empty_label=_("Any"),
        method="filter_state",
    )

    class Meta:
        model = Organisation
        fields = []
        form = OrganisationFilterForm

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(legal_name__icontains=value) | Q(short_name__icontains=value))

    def filter_state(self, queryset, name, value):
        return queryset.filter(
            {
                "unverified": Q(is_verified=False, verification_request=""),
                "requested": Q(is_verified=False) & ~Q(verification_request=""),
                "verified": Q(is_verified=True),
            }[value]
        )
