"""The call's dashboard: where the cycle stands, in pictures with table alternatives."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.presentation import date_text

from ...access import office_call
from .. import charts
from ..dashboard import (
    figures,
    funnel,
    letters_by_country,
    letters_by_mode,
    review_progress,
    timeline,
    until_next_change,
)


@login_required
def dashboard(request, slug):
    call = office_call(request, slug)
    counted = until_next_change(call, lambda: _counted(call))
    context = {"call": call, "closed": timezone.now() > call.closes_at, **counted}
    return render(request, "intents/office/dashboard/dashboard.html", context)


def _counted(call):
    """The page's figures and its series, drawn and rendered: drawing and rendering them cost
    as much as counting a middle-sized call, so they are kept with the counts."""
    numbers = figures(call)
    days = timeline(call)
    reviewers = review_progress(call)
    counted = {
        "figures": numbers,
        "counted_at": timezone.now(),
        "timeline": days,
        "countries": letters_by_country(call),
        "modes": letters_by_mode(call),
        "stages": funnel(numbers),
        "reviewers": reviewers,
    }
    # Each picture is drawn only when there is something to draw; the page says so otherwise.
    if days:
        counted["timeline_chart"] = _timeline_chart(call, days)
    if numbers.submitted:
        counted["country_chart"] = charts.for_every_screen(
            charts.bar_chart,
            "chart-countries",
            _("Submitted letters by country"),
            counted["countries"],
        )
        counted["mode_chart"] = charts.for_every_screen(
            charts.bar_chart,
            "chart-modes",
            _("Submitted letters by cooperation mode"),
            counted["modes"],
            colour="info",
        )
    if numbers.organisations:
        counted["funnel_chart"] = charts.for_every_screen(
            charts.funnel_chart,
            "chart-funnel",
            _("From registration to submission"),
            counted["stages"],
        )
    if any(reviewer.assigned for reviewer in reviewers):
        counted["reviewer_chart"] = _reviewer_chart(reviewers)
    # Nothing in them depends on the reader's zone or the time of the visit.
    counted["series"] = render_to_string(
        "intents/office/dashboard/_series.html", {"call": call, **counted}
    )
    return counted


def _timeline_chart(call, days):
    last = days.days[-1]
    return charts.for_every_screen(
        charts.step_chart,
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
            "day": date_text(last.day),
            "started": last.started_total,
            "filed": last.filed_total,
        },
    )


def _reviewer_chart(reviewers):
    return charts.for_every_screen(
        charts.stacked_bar_chart,
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
