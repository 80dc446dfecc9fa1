"""Who hears of a decision and what the e-mail says: used by the release and by its preview."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Prefetch

from portal.notifications.outbox import queue_templated_email, render_email
from portal.organisations.models import Membership, Role

from ..decision_notice import NEXT_STEPS
from ..models import Decision, LetterOfIntent

TEMPLATE = "emails/decision"


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    time_zone: str


@dataclass
class Preview:
    """The e-mail in one language, as the first of its recipients will read it."""

    language: str
    recipients: list
    subject: str
    body_text: str


def pending(call):
    """The call's decisions not released yet, on letters still in the running (a letter
    withdrawn after its decision is not told it was selected)."""
    return Decision.objects.unreleased().filter(
        letter__call=call, letter__state__in=LetterOfIntent.State.reviewable()
    )


def short_of_reviews(decision_rows):
    """How many of these decisions are on letters with fewer submitted reviews than
    reviewers assigned: the release page warns of them."""
    return (
        decision_rows.annotate(assigned=Count("letter__assignments"))
        .filter(letter__review_count__lt=F("assigned"))
        .count()
    )


def with_recipients(decisions):
    """`decisions` with what the e-mails need, in a fixed number of queries."""
    return decisions.select_related(
        "letter__call", "letter__organisation", "letter__mode"
    ).prefetch_related(
        Prefetch(
            "letter__organisation__memberships",
            queryset=Membership.objects.select_related("user"),
        )
    )


def recipients(letter):
    """The organisation's owners and editors, then the letter's contact if no owner or editor
    has that address; each address once. A contact who is a member of another role is written
    to in their own language, anyone else in the portal's default one."""
    memberships = letter.organisation.memberships.all()
    found = {}
    for membership in memberships:
        if membership.role in (Role.OWNER, Role.EDITOR):
            found.setdefault(membership.user.email.lower(), _user_recipient(membership.user))
    contact = letter.contact_email.lower()
    if contact and contact not in found:
        member = next((m.user for m in memberships if m.user.email.lower() == contact), None)
        found[contact] = (
            _user_recipient(member)
            if member
            else Recipient(
                email=letter.contact_email,
                name=letter.contact_name,
                language=settings.LANGUAGE_CODE,
                time_zone=letter.call.time_zone,
            )
        )
    return list(found.values())


def _user_recipient(user):
    return Recipient(
        email=user.email,
        name=user.get_full_name(),
        language=user.language,
        time_zone=user.time_zone,
    )


def _context(decision, comments, recipient):
    return {
        "decision": decision,
        "letter": decision.letter,
        "call": decision.letter.call,
        "next_steps": NEXT_STEPS[decision.outcome],
        "comments": comments,
        "recipient": recipient,
    }


def queue_notices(decision, comments):
    """One e-mail per recipient, in their language; queuing it again sends nothing twice."""
    for recipient in recipients(decision.letter):
        queue_templated_email(
            key=f"decision:{decision.pk}:{recipient.email.lower()}",
            to=recipient.email,
            template=TEMPLATE,
            context=_context(decision, comments, recipient),
            language=recipient.language,
            time_zone=recipient.time_zone,
        )


def previews(decision, comments):
    """The decision's e-mail once per language its recipients read."""
    by_language = {}
    for recipient in recipients(decision.letter):
        by_language.setdefault(recipient.language, []).append(recipient)
    result = []
    for language, group in by_language.items():
        subject, body_text, _html = render_email(
            template=TEMPLATE,
            context=_context(decision, comments, group[0]),
            language=language,
            time_zone=group[0].time_zone,
        )
        result.append(Preview(language, group, subject, body_text))
    return result
