"""What a call's dashboard shows, each series in one aggregate query whatever the number of
letters, organisations and reviews, and the whole kept in the cache until something changes."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

from portal.audit.models import AuditEvent
from portal.organisations.models import Organisation

from ..models import Assignment, LetterOfIntent, Review
from ..models.letter import FILED_LETTER, STANDING_LETTER
from ..models.paths import through
from ..models.review import SUBMITTED_REVIEW

State = LetterOfIntent.State
TOP_COUNTRIES = 15
# How far back the dashboard's cache looks for an audit event that committed late.
RECENT_EVENTS = 200


@dataclass
class Figures:
    organisations: int  # every organisation of the portal: they register independently of calls
    organisations_with_letter: int  # any state, drafts included
    organisations_with_draft: int
    organisations_submitted: int
    drafts: int
    submitted: int
    withdrawn: int  # filed, then withdrawn
    reviews_received: int
    reviews_expected: int


def figures(call):
    """The headline figures and the funnel's counts, in three queries."""
    counts = LetterOfIntent.objects.filter(call=call).aggregate(
        organisations_with_letter=Count("organisation", distinct=True),
        organisations_with_draft=Count("organisation", filter=Q(state=State.DRAFT), distinct=True),
        organisations_submitted=Count("organisation", filter=STANDING_LETTER, distinct=True),
        drafts=Count("pk", filter=Q(state=State.DRAFT)),
        submitted=Count("pk", filter=STANDING_LETTER),
        withdrawn=Count("pk", filter=Q(state=State.WITHDRAWN) & FILED_LETTER),
    )
    received = (
        Review.objects.submitted()
        .filter(through("assignment__letter", STANDING_LETTER), assignment__letter__call=call)
        .count()
    )
    return Figures(
        organisations=Organisation.objects.count(),
        reviews_received=received,
        reviews_expected=counts["submitted"] * call.reviewers_per_letter,
        **counts,
    )


@dataclass
class Day:
    day: dt.date
    started: int  # letters started that day (every letter begins as a draft)
    filed: int  # letters submitted for the first time that day
    started_total: int
    filed_total: int


@dataclass
class Timeline:
    days: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.days)

    @property
    def active_days(self):
        """The days on which something happened: the table's rows."""
        return [day for day in self.days if day.started or day.filed]


def timeline(call):
    """Letters started and filed per day in the call's zone, and their running totals, from the
    opening (or the first letter) until today or the deadline, whichever comes first, or the
    last letter. Filed letters count on the day they were filed even if withdrawn since."""
    zone = call.zone
    letters = LetterOfIntent.objects.filter(call=call).order_by()
    started = _per_day(letters, "created_at", zone)
    filed = _per_day(letters.filed(), "submitted_at", zone)
    if not started and not filed:
        return Timeline()
    today = timezone.localdate(timezone=zone)
    first = min(timezone.localdate(call.opens_at, zone), *started, *filed)
    last = max(min(today, timezone.localdate(call.closes_at, zone)), *started, *filed)
    days, started_total, filed_total = [], 0, 0
    for offset in range((last - first).days + 1):
        day = first + dt.timedelta(days=offset)
        started_total += started.get(day, 0)
        filed_total += filed.get(day, 0)
        days.append(Day(day, started.get(day, 0), filed.get(day, 0), started_total, filed_total))
    return Timeline(days)


def _per_day(letters, moment, zone):
    return dict(
        letters.annotate(day=TruncDate(moment, tzinfo=zone))
        .values("day")
        .annotate(count=Count("pk"))
        .values_list("day", "count")
    )


def letters_by_country(call, top=TOP_COUNTRIES):
    """(country name, filed letters) for the `top` countries, most letters first, then one
    line for all the others."""
    per_country = (
        LetterOfIntent.objects.standing()
        .filter(call=call)
        .values("organisation__country")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("organisation__country", "count")
    )
    rows = sorted(
        ((countries.name(code) or code, count) for code, count in per_country),
        key=lambda row: (-row[1], row[0]),
    )
    others = rows[top:]
    if others:
        label = ngettext("%(count)s other country", "%(count)s other countries", len(others)) % {
            "count": len(others)
        }
        rows = rows[:top] + [(label, sum(count for _name, count in others))]
    return rows


def letters_by_mode(call):
    """(mode, filed letters) for every mode of the call, in the call's order."""
    modes = call.modes.annotate(
        filed=Count("letters", filter=through("letters", STANDING_LETTER))
    ).order_by("number")
    return [(str(mode), mode.filed) for mode in modes]


def funnel(numbers):
    """The organisations at each step of `figures(call)`, widest first: (step, count)."""
    return [
        (_("Organisations registered"), numbers.organisations),
        (_("With a letter for this call"), numbers.organisations_with_letter),
        (_("With a submitted letter"), numbers.organisations_submitted),
    ]


@dataclass
class ReviewerProgress:
    name: str
    assigned: int
    declared: int  # assignments where the reviewer confirmed having no conflict
    submitted: int  # reviews submitted

    @property
    def to_declare(self):
        return self.assigned - self.declared

    @property
    def in_progress(self):
        return self.declared - self.submitted


def review_progress(call):
    """Each reviewer who joined the pool, with their assignments at each step, by name.

    Counted in one pass over the call's assignments (each has at most one review, so nothing
    is counted twice), not with COUNT(DISTINCT) over every assignment joined to every review."""
    counts = {
        row["reviewer"]: row
        for row in Assignment.objects.filter(reviewer__call=call)
        .order_by()
        .values("reviewer")
        .annotate(
            assigned=Count("pk"),
            declared=Count("pk", filter=Q(no_conflict_confirmed_at__isnull=False)),
            reviewed=Count("pk", filter=through("review", SUBMITTED_REVIEW)),
        )
    }
    none = {"assigned": 0, "declared": 0, "reviewed": 0}
    reviewers = (
        call.reviewers.active()
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )
    progress = []
    for reviewer in reviewers:
        row = counts.get(reviewer.pk, none)
        progress.append(
            ReviewerProgress(str(reviewer), row["assigned"], row["declared"], row["reviewed"])
        )
    return progress


def until_next_change(call, compute):
    """What `compute()` returns for the call's dashboard, from the cache while nothing changed.

    Counting runs over the whole call, so it grows with the data; one officer after another
    opening the page should not pay for it each time. Every change the page counts (letters
    started, filed, withdrawn or decided, reviews, assignments, conflicts, the pool,
    organisations, the call's settings) writes an audit event in its own transaction, so the
    newest events tell whether anything may have changed, with one short walk down an index.
    The time limit bounds what no event marks: a new day on the timeline, a change made outside
    the portal's own functions."""
    # Not the newest id alone: a transaction that took its id before another committed becomes
    # visible below it, and would leave the newest id, and the stale counts, as they were.
    recent = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True)[:RECENT_EVENTS]
    stamp = hashlib.sha256(",".join(map(str, recent)).encode()).hexdigest()[:20]
    # Names and the charts' words are translated when counted: one entry per language.
    key = f"dashboard:v3:{call.pk}:{get_language()}:{stamp}"
    counted = cache.get(key)
    if counted is None:
        counted = compute()
        cache.set(key, counted, settings.DASHBOARD_CACHE_SECONDS)
    return counted
