"""The outbox page's filters, and each kind of e-mail in words."""

import django_filters
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import StrIndex, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.filter_layout import ANY, SearchFilter, filter_helper

from .models import LISTED_FIELDS, OutboundEmail

# The prefix of the idempotency key (OutboundEmail.kind); an unknown kind is shown as it is.
KINDS = {
    "account": _("Account (address confirmation, password reset)"),
    "assignment": _("Letter assigned to a reviewer"),
    "assignment-run": _("Letters assigned automatically"),
    "conflict": _("Conflict declared"),
    "decision": _("Decision"),
    "digest": _("Office digest"),
    "extension": _("Extension granted"),
    "extension-removed": _("Extension withdrawn"),
    "invitation": _("Invitation to an organisation"),
    "organisation-verified": _("Organisation verified"),
    "receipt": _("Receipt"),
    "reminder": _("Deadline reminder"),
    "reviewer-invitation": _("Invitation to review"),
    "verification-request": _("Information requested from organisation"),
    "withdrawal": _("Letter withdrawn"),
}


def kind_label(kind):
    return KINDS.get(kind, kind)


def present_kinds():
    """The kinds that occur, read by the database from the keys, so no choice comes back empty."""
    colon = StrIndex("idempotency_key", Value(":"))
    kinds = (
        OutboundEmail.objects.order_by()
        .annotate(key_colon=colon)
        .annotate(
            key_kind=Case(
                When(key_colon=0, then=F("idempotency_key")),
                default=Substr("idempotency_key", 1, F("key_colon") - 1),
            )
        )
        .values_list("key_kind", flat=True)
        .distinct()
    )
    return sorted(((kind, kind_label(kind)) for kind in kinds), key=lambda choice: str(choice[1]))


class OutboxFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=OutboundEmail.State.choices, empty_label=ANY
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=present_kinds, empty_label=ANY, method="filter_kind"
    )
    q = SearchFilter(label=_("Recipient or subject contains"), method="filter_q")

    class Meta:
        model = OutboundEmail
        fields = []

    def __init__(self, data):
        super().__init__(data, queryset=OutboundEmail.objects.only(*LISTED_FIELDS))
        self.form.helper = filter_helper(
            "outbox-filters",
            [[("state", "col-md-3"), ("kind", "col-md-4"), ("q", "col-md-5")]],
            submit_label=_("Show the e-mails"),
            reset_url=reverse("notifications:outbox"),
        )

    def filter_kind(self, queryset, name, value):
        return queryset.filter(
            Q(idempotency_key__startswith=f"{value}:") | Q(idempotency_key=value)
        )

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(to__icontains=value) | Q(subject__icontains=value))

    @property
    def is_narrowed(self):
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(value not in (None, "") for value in data.values())
