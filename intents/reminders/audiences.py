"""Who is due which reminder of a call at a given moment, as `Due` items: plain data that the
engine renders in each recipient's language and writes to the outbox."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.organisations.models import Membership, Role

from ..completeness import missing_items
from ..models import Assignment, CallRegistration, Document, Extension
from ..models.letter import CURRENT_LETTER
from ..models.paths import through
from ..models.review import ACTIVE_REVIEWER
from .calendar import CalendarEntry, uid
from .thresholds import due_threshold

LAST_WEEK = timedelta(days=7)
# The digest names this many drafts at risk, then counts the rest.
DIGEST_LIST_LENGTH = 20


@dataclass
class Due:
    key: str
    recipient: User
    template: str
    context: dict[str, Any]
    calendar: CalendarEntry | None = None


class MissingItems:
    """What a draft still lacks, put into words when the e-mail is rendered, so in the
    recipient's language."""

    def __init__(self, letter):
        self.letter = letter

    def __iter__(self):
        return iter(missing_items(self.letter, self.letter.current_documents))


def applicant_reminders(call, now):
    """Owners and editors of organisations with a draft, or registered with no letter at all,
    at each point of the call's schedule before their deadline (an extension's, if later)."""
    deadlines = _deadlines(call)
    drafts_by_organisation = defaultdict(list)
    for letter in _drafts(call):
        drafts_by_organisation[letter.organisation].append(letter)
    without_letter = [
        registration.organisation
        for registration in CallRegistration.objects.filter(call=call)
        .exclude(organisation__letters__call=call)
        .select_related("organisation")
        .order_by("pk")
    ]
    due_now = {}
    for organisation in [*drafts_by_organisation, *without_letter]:
        deadline = deadlines.get(organisation.pk, call.deadline)
        hours = due_threshold(deadline, call.reminder_hours, now, not_before=call.opens_at)
        if hours is not None:
            due_now[organisation] = (deadline, hours)
    recipients = _editing_members(due_now)
    for organisation, (deadline, hours) in due_now.items():
        letters = drafts_by_organisation.get(organisation)
        kind = "draft" if letters else "no-letter"
        context = {
            "call": call,
            "organisation": organisation,
            "deadline": deadline,
            "official_zone": call.time_zone,
            "now": now,
            "drafts": [{"letter": letter, "missing": MissingItems(letter)} for letter in letters]
            if letters
            else [],
        }
        entry = CalendarEntry(
            uid=uid("deadline", call.pk, organisation.pk),
            when=deadline,
            summary=lambda: (
                _("Deadline: letters of intent for %(call)s") % {"call": call.localized("title")}
            ),
            url=settings.SITE_URL + call.get_absolute_url(),
        )
        for user in recipients[organisation.pk]:
            yield Due(
                key=f"reminder:{call.pk}:{kind}:{organisation.pk}:{hours}h:{user.pk}",
                recipient=user,
                template=f"emails/reminder_{kind.replace('-', '_')}",
                context={**context, "recipient": user},
                calendar=entry,
            )


def reviewer_reminders(call, now):
    """Reviewers with letters not yet reviewed, at each point of the schedule before the review
    deadline (counted from their first open assignment); and, once, reviewers who have left a
    new assignment without saying whether they have a conflict."""
    open_assignments = _open_assignments(call)
    by_user = defaultdict(list)
    for assignment in open_assignments:
        by_user[assignment.reviewer.user].append(assignment)
    nudge_before = now - timedelta(hours=settings.REVIEWER_DECLARE_NUDGE_HOURS)
    for user, assignments in by_user.items():
        if not user.receive_reminders or not user.is_active:
            continue
        to_declare = [a for a in assignments if a.progress == Assignment.Progress.TO_DECLARE]
        context = {
            "call": call,
            "deadline": call.review_deadline,
            "official_zone": call.time_zone,
            "now": now,
            "to_declare": to_declare,
            "to_review": [a for a in assignments if a not in to_declare],
            "open_count": len(assignments),
            "recipient": user,
        }
        first_assigned = min(assignment.assigned_at for assignment in assignments)
        hours = due_threshold(
            call.review_deadline, call.reminder_hours, now, not_before=first_assigned
        )
        if hours is not None:
            yield Due(
                key=f"reminder:{call.pk}:review:{hours}h:{user.pk}",
                recipient=user,
                template="emails/reminder_review",
                context=context,
                calendar=CalendarEntry(
                    uid=uid("review-deadline", call.pk, user.pk),
                    when=call.review_deadline,
                    summary=lambda: (
                        _("Deadline: reviews for %(call)s") % {"call": call.localized("title")}
                    ),
                    url=settings.SITE_URL + reverse("reviewing:reviewer_desk"),
                ),
            )
        overdue = [a for a in to_declare if a.assigned_at <= nudge_before]
        reviews_open = call.review_deadline is None or now < call.review_deadline
        if overdue and reviews_open:
            # Keyed by the newest overdue assignment: later assignments bring a new nudge.
            newest = max(assignment.pk for assignment in overdue)
            yield Due(
                key=f"reminder:{call.pk}:declare:{newest}:{user.pk}",
                recipient=user,
                template="emails/reminder_declare",
                context=context,
            )


def office_digests(call, now):
    """One digest a day, from the set hour in the call's official zone, to every programme
    officer, during the last week before the letters' deadline and before the reviews'."""
    in_last_week = [
        deadline
        for deadline in (call.deadline, call.review_deadline)
        if deadline is not None and deadline - LAST_WEEK <= now < deadline
    ]
    local = now.astimezone(call.zone)
    if not in_last_week or local.hour < settings.OFFICE_DIGEST_HOUR:
        return
    officers = User.objects.filter(
        is_programme_officer=True, is_active=True, receive_reminders=True
    ).order_by("pk")
    figures = None
    for officer in officers:
        figures = figures or digest_figures(call, now)
        yield Due(
            key=f"digest:{call.pk}:{local.date().isoformat()}:{officer.pk}",
            recipient=officer,
            template="emails/office_digest",
            context={
                "call": call,
                "deadline": in_last_week[0],
                "official_zone": call.time_zone,
                "now": now,
                "day": local.date(),
                "recipient": officer,
                **figures,
            },
        )


def digest_figures(call, now):
    """Where the call stands: submissions, drafts at risk, registrations without a letter,
    reviews outstanding and conflict declarations overdue."""
    filed = call.letters.current().filed()
    drafts = [{"letter": letter, "missing": MissingItems(letter)} for letter in _drafts(call)]
    at_risk = [draft for draft in drafts if list(draft["missing"])]
    open_assignments = _open_assignments(call)
    nudge_before = now - timedelta(hours=settings.REVIEWER_DECLARE_NUDGE_HOURS)
    return {
        "filed": filed.count(),
        "filed_last_day": filed.filter(submitted_at__gte=now - timedelta(days=1)).count(),
        "drafts": len(drafts),
        "at_risk": at_risk[:DIGEST_LIST_LENGTH],
        "at_risk_count": len(at_risk),
        "registered_without_letter": CallRegistration.objects.filter(call=call)
        .exclude(organisation__letters__call=call)
        .count(),
        "reviews_outstanding": len(open_assignments),
        "declarations_overdue": sum(
            1
            for assignment in open_assignments
            if assignment.progress == Assignment.Progress.TO_DECLARE
            and assignment.assigned_at <= nudge_before
        ),
    }


def _drafts(call):
    """The call's drafts with what `MissingItems` reads, in a fixed number of queries."""
    return (
        call.letters.drafts()
        .select_related("organisation", "mode")
        .prefetch_related(
            "mode__required_document_types",
            Prefetch(
                "documents",
                queryset=Document.objects.current(),
                to_attr="current_documents",
            ),
        )
        .order_by("pk")
    )


def _deadlines(call):
    """{organisation id: its own later deadline} from the call's extensions."""
    return {
        organisation_id: closes_at
        for organisation_id, closes_at in Extension.objects.filter(call=call).values_list(
            "organisation_id", "closes_at"
        )
        if closes_at > call.deadline
    }


def _editing_members(organisations):
    """{organisation id: [owners and editors who take reminders]} in one query."""
    members = defaultdict(list)
    for membership in (
        Membership.objects.filter(
            organisation__in=list(organisations),
            role__in=[Role.OWNER, Role.EDITOR],
            user__is_active=True,
            user__receive_reminders=True,
        )
        .select_related("user")
        .order_by("user_id")
    ):
        members[membership.organisation_id].append(membership.user)
    return members


def _open_assignments(call):
    """Assignments of active reviewers on letters still in the running, not yet reviewed."""
    return [
        assignment
        for assignment in Assignment.objects.filter(
            through("reviewer", ACTIVE_REVIEWER),
            through("letter", CURRENT_LETTER),
            letter__call=call,
        )
        .select_related("letter", "reviewer__user", "review")
        .order_by("pk")
        if assignment.progress != Assignment.Progress.SUBMITTED
    ]
