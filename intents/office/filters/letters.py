"""The office's list of a call's filed letters: review counts worked out in SQL, so the list can
be filtered and sorted on them, and the filters themselves."""

import django_filters
from django import forms
from django.db.models import (
    Avg,
    Case,
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    TextChoices,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from portal.filter_layout import ANY, SearchFilter, filter_helper
from portal.organisations.models import Organisation

from ...models import Assignment, Decision, LetterOfIntent, Review

YES_OR_NO = [("", ANY), ("true", _("Yes")), ("false", _("No"))]


class ReviewProgress(TextChoices):
    UNASSIGNED = "unassigned", _("No reviewer yet")
    SHORT = "short", _("Fewer reviewers than the call asks for")
    INCOMPLETE = "incomplete", _("Reviews still to come")
    COMPLETE = "complete", _("All reviews in")


NO_DECISION = "none"


def office_letters(call):
    """The call's filed letters (a draft is the organisation's own, even once withdrawn), each
    with `assigned` reviewers, `received` reviews out of `expected`, its `mean_score` and its
    `review_progress`.

    The counts are correlated subqueries rather than joins with GROUP BY: the database then
    works them out only for the rows a page shows (unless the list is filtered or sorted on
    them), and counting the rows for the paginator needs none of them."""
    # Grouped by the outer letter: one row, the letter's own figure.
    assignments = Assignment.objects.filter(letter=OuterRef("pk")).order_by().values("letter")
    submitted = (
        Review.objects.submitted()
        .filter(assignment__letter=OuterRef("pk"))
        .order_by()
        .values("assignment__letter")
    )
    per_letter = call.reviewers_per_letter
    return (
        LetterOfIntent.objects.filed()
        .filter(call=call)
        .select_related("organisation", "mode", "decision")
        .annotate(
            assigned=Coalesce(Subquery(assignments.annotate(n=Count("pk")).values("n")), 0),
            received=Coalesce(Subquery(submitted.annotate(n=Count("pk")).values("n")), 0),
            mean_score=Subquery(submitted.annotate(mean=Avg("total")).values("mean")),
        )
        .annotate(
            # Extra reviewers assigned by hand are expected too.
            expected=Greatest(F("assigned"), Value(per_letter)),
            review_progress=Case(
                When(assigned=0, then=Value(ReviewProgress.UNASSIGNED)),
                When(assigned__lt=per_letter, then=Value(ReviewProgress.SHORT)),
                When(received__lt=F("assigned"), then=Value(ReviewProgress.INCOMPLETE)),
                default=Value(ReviewProgress.COMPLETE),
            ),
        )
        .order_by("reference", "pk")
    )


class LetterOrdering(django_filters.OrderingFilter):
    """Letters without a score sort last either way, and equal keys by reference, so a page
    boundary never moves."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        expression = F(self.param_map[param.lstrip("-")])
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "reference", "pk")


class LetterFilter(django_filters.FilterSet):
    q = SearchFilter(
        label=_("Search"),
        method="search",
        help_text=_("Reference, title or organisation name."),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[
            choice
            for choice in LetterOfIntent.State.choices
            if choice[0] != LetterOfIntent.State.DRAFT
        ],
        empty_label=ANY,
    )
    mode = django_filters.ModelChoiceFilter(
        label=_("Cooperation mode"), queryset=None, empty_label=ANY
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="organisation__country", empty_label=ANY
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of organisation"),
        field_name="organisation__kind",
        choices=Organisation.Kind.choices,
        empty_label=ANY,
    )
    verified = django_filters.BooleanFilter(
        label=_("Verified organisation"),
        field_name="organisation__is_verified",
        widget=forms.Select(choices=YES_OR_NO),
    )
    progress = django_filters.ChoiceFilter(
        label=_("Reviews"),
        field_name="review_progress",
        choices=ReviewProgress.choices,
        empty_label=ANY,
    )
    decision = django_filters.ChoiceFilter(
        label=_("Decision"),
        method="filter_decision",
        choices=[(NO_DECISION, _("No decision yet")), *Decision.Outcome.choices],
        empty_label=ANY,
    )
    released = django_filters.BooleanFilter(
        label=_("Decision released"),
        method="filter_released",
        widget=forms.Select(choices=YES_OR_NO),
    )
    sort = LetterOrdering(
        label=_("Sort by"),
        empty_label=None,
        fields=[
            ("reference", "reference"),
            ("title", "title"),
            ("organisation__legal_name", "organisation"),
            ("organisation__country", "country"),
            ("submitted_at", "submitted"),
            ("mean_score", "score"),
            ("received", "reviews"),
        ],
        field_labels={
            "reference": _("Reference"),
            "title": _("Title"),
            "organisation__legal_name": _("Organisation"),
            "organisation__country": _("Country"),
            "submitted_at": _("Submitted at"),
            "mean_score": _("Mean score"),
            "received": _("Reviews received"),
            # Keyed by the parameter: django-filter's own "%s (descending)" would be fixed in
            # English when the class is built.
            "-reference": _("Reference, last first"),
            "-title": _("Title, Z to A"),
            "-organisation": _("Organisation, Z to A"),
            "-country": _("Country, Z to A"),
            "-submitted": _("Submitted at, latest first"),
            "-score": _("Mean score, highest first"),
            "-reviews": _("Reviews received, most first"),
        },
    )

    def __init__(self, data, *, call):
        super().__init__(data, queryset=office_letters(call))
        self.filters["mode"].queryset = call.modes.all()
        # Only the countries that filed, so no choice can come back empty.
        present = set(
            LetterOfIntent.objects.filed()
            .filter(call=call)
            .order_by()
            .values_list("organisation__country", flat=True)
            .distinct()
        )
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in present
        ]
        self.form.helper = filter_helper(
            "letter-filters",
            [
                [("q", "col-md-6"), ("state", "col-md-3"), ("mode", "col-md-3")],
                [
                    ("country", "col-md-3"),
                    ("kind", "col-md-3"),
                    ("verified", "col-md-3"),
                    ("progress", "col-md-3"),
                ],
                [("decision", "col-md-3"), ("released", "col-md-3"), ("sort", "col-md-3")],
            ],
            submit_label=_("Show the letters"),
            reset_url=reverse("office:office_letters", args=[call.slug]),
        )

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(reference__icontains=value)
            | Q(title__icontains=value)
            | Q(organisation__legal_name__icontains=value)
            | Q(organisation__short_name__icontains=value)
        )

    def filter_decision(self, queryset, name, value):
        if value == NO_DECISION:
            return queryset.filter(decision__isnull=True)
        return queryset.filter(decision__outcome=value)

    def filter_released(self, queryset, name, value):
        return queryset.filter(decision__isnull=False, decision__released_at__isnull=not value)

    @property
    def is_narrowed(self):
        """Whether any filter (not the sort order) is in use."""
        data = self.form.cleaned_data if self.form.is_valid() else {}
        return any(value not in (None, "") for name, value in data.items() if name != "sort")
