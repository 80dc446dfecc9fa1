"""The call's dashboard: where the cycle stands, in pictures with table alternatives."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..office import charts
from ..office.dashboard import funnel, snapshot
from .access import office_call


@login_required
def dashboard(request, slug):
    call = office_call(request, slug)
    counts = snapshot(call)
    numbers, days, reviewers = counts.figures, counts.timeline, counts.reviewers
    context = {
        "call": call,
        "figures": numbers,
        "counted_at": counts.counted_at,
        "closed": timezone.now() > call.closes_at,
        "timeline": days,
        "countries": counts.countries,
        "modes": counts.modes,
        "stages": funnel(numbers),
        "reviewers": reviewers,
    }
    # Each picture is drawn only when there is something to draw; the page says so otherwise.
    if days:
        context["timeline_chart"] = _timeline_chart(call, days)
    if numbers.submitted:
        context["country_chart"] = charts.bar_chart(
            "chart-countries", _("Submitted letters by country"), context["countries"]
        )
        context["mode_chart"] = charts.bar_chart(
            "chart-modes",
            _("Submitted letters by cooperation mode"),
            context["modes"],
            colour="info",
        )
    if numbers.organisations:
        context["funnel_chart"] = charts.funnel_chart(
            "chart-funnel", _("From registration to submission"), context["stages"]
        )
    if any(reviewer.assigned for reviewer in reviewers):
        context["reviewer_chart"] = _reviewer_chart(reviewers)
    return render(request, "intents/office/dashboard/dashboard.html", context)


def _timeline_chart(call, days):
    last = days.days[-1]
    return charts.step_chart(
        "chart-timeline",
        _("Letters started and submitted over time"),
        [day.day for day in days.days],
        [
            (_("Letters started"), "secondary", [day.started_total for day in days.days]),
            (_("Letters submitted"), "primary", [day.filed_total for day in days.days]),
        ],
        marker=(timezone.localtime(call.closes_at, call.zone), _("Deadline")),
        width=960,
        description=_(
            "Running totals per day in %(zone)s up to %(day)s. Letters started: %(started)s; "
            "letters submitted: %(filed)s. The dashed line marks the deadline."
        )
        % {
            "zone": call.time_zone,
            "day": last.day.isoformat(),
            "started": last.started_total,
            "filed": last.filed_total,
        },
    )


def _reviewer_chart(reviewers):
    return charts.stacked_bar_chart(
        "chart-reviewers",
        _("Review progress per reviewer"),
        [
            (reviewer.name, [reviewer.submitted, reviewer.in_progress, reviewer.to_declare])
            for reviewer in reviewers
        ],
        [
            (_("Review submitted"), "success"),
            (_("No conflict, review to come"), "info"),
            (_("Conflict check pending"), "warning"),
        ],
    )
