"""The office's actions on the outbox: sending failed e-mails again, each audited, in one
transaction that hands the rows to the broker on its commit."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.log import record
from portal.refusals import Refused

from .models import LISTED_FIELDS, OutboundEmail
from .outbox import send_on_commit


class ResendRefused(Refused):
    """The row is not failed (any more): nothing was changed."""


def resend(*, user: User, email_id: int) -> OutboundEmail:
    """Queue a failed e-mail once more, as the office asks: the only way out of "failed".

    The row goes back to queued with a fresh count of attempts; its last error stays until the
    next try replaces it. Raises ResendRefused when the row is not failed, e.g. on a second
    click, and changes nothing then."""
    with transaction.atomic():
        email = OutboundEmail.objects.only(*LISTED_FIELDS).get(pk=email_id)
        if not _requeue(user, email):
            raise ResendRefused(_refusal(email_id))
        send_on_commit([email_id])
    return email


def resend_failed(*, user: User, email_ids: Iterable[int] | QuerySet[Any, Any]) -> int:
    """Queue the failed ones among these rows (ids, or a query of them) once more, each
    audited; returns how many. Rows no longer failed (another officer got there first) are
    left alone."""
    with transaction.atomic():
        rows = OutboundEmail.objects.filter(
            pk__in=email_ids, state=OutboundEmail.State.FAILED
        ).only(*LISTED_FIELDS)
        moved = [email.pk for email in list(rows.order_by("pk")) if _requeue(user, email)]
        if moved:
            send_on_commit(moved)
    return len(moved)


def _requeue(user: User, email: OutboundEmail) -> bool:
    """The conditional UPDATE that makes a resend happen once, however many clicks."""
    previous_attempts = email.attempts
    now = timezone.now()
    moved = OutboundEmail.objects.filter(pk=email.pk, state=OutboundEmail.State.FAILED).update(
        state=OutboundEmail.State.QUEUED, attempts=0, next_attempt_at=now, claimed_at=None
    )
    if not moved:
        return False
    email.state, email.attempts, email.next_attempt_at = OutboundEmail.State.QUEUED, 0, now
    record(
        user,
        "email.resent",
        email,
        kind=email.kind,
        attempts=previous_attempts,
        last_error=email.last_error,
    )
    return True


def _refusal(email_id: int) -> str:
    state = OutboundEmail.objects.filter(pk=email_id).values_list("state", flat=True).first()
    if state == OutboundEmail.State.SENT:
        return _("This e-mail was sent already; it is not sent twice.")
    if state in (OutboundEmail.State.QUEUED, OutboundEmail.State.SENDING):
        return _("This e-mail is already queued to be sent again; nothing was changed.")
    return _("Only a failed e-mail can be sent again; nothing was changed.")
