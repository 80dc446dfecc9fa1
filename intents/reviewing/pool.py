"""The call's reviewer pool: invitations by e-mail, acceptance, withdrawal."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.log import record
from portal.notifications.outbox import queue_templated_email

from ..models import Call, CooperationMode, Reviewer
from . import ReviewingError

PROFILE_FIELDS = ("organisation", "affiliation", "country")


def invite_reviewer(
    *,
    user: User,
    call: Call,
    email: str,
    profile: Mapping[str, Any],
    expertise: Iterable[CooperationMode],
) -> Reviewer:
    """Add a place to the pool (or give back a removed one) and send the invitation."""
    email = email.strip().lower()
    try:
        with transaction.atomic():
            reviewer = call.reviewers.select_for_update().filter(email__iexact=email).first()
            if reviewer is not None and reviewer.removed_at is None:
                raise ReviewingError(
                    _("%(email)s is already in this call's reviewer pool.") % {"email": email}
                )
            # A removed place given back gets a fresh key: it is a new invitation.
            key = (
                f"reviewer-invitation:{reviewer.pk}:{timezone.now():%Y%m%dT%H%M%S.%f}"
                if reviewer
                else None
            )
            reviewer = reviewer or Reviewer(call=call, email=email)
            for name in PROFILE_FIELDS:
                setattr(reviewer, name, profile[name])
            reviewer.invited_by = user
            reviewer.removed_at = None
            reviewer.save()
            reviewer.expertise.set(expertise)
            record(user, "reviewer.invited", call, email=email)
            invitee = User.objects.filter(email__iexact=email).first()
            queue_templated_email(
                key=key or f"reviewer-invitation:{reviewer.pk}",
                to=email,
                template="emails/reviewer_invitation",
                context={"reviewer": reviewer, "call": call, "inviter": user},
                language=invitee.language if invitee else user.language,
                time_zone=invitee.time_zone if invitee else user.time_zone,
            )
    except IntegrityError:
        # Another officer invited the same address at the same moment.
        raise ReviewingError(
            _("%(email)s is already in this call's reviewer pool.") % {"email": email}
        ) from None
    return reviewer


def accept_invitation(
    *, user: User, token: str, profile: Mapping[str, Any], expertise: Iterable[CooperationMode]
) -> Reviewer:
    """Take the place in the pool, with the profile the reviewer confirmed."""
    try:
        with transaction.atomic():
            reviewer = Reviewer.objects.select_for_update().select_related("call").get(token=token)
            if reviewer.removed_at is not None:
                raise ReviewingError(_("This invitation was withdrawn by the programme office."))
            if reviewer.user_id is not None:
                raise ReviewingError(_("This invitation has already been used."))
            if reviewer.email.lower() != user.email.lower():
                raise ReviewingError(
                    _(
                        "This invitation was sent to %(email)s. Sign in with that address to "
                        "accept it."
                    )
                    % {"email": reviewer.email}
                )
            for name in PROFILE_FIELDS:
                setattr(reviewer, name, profile[name])
            reviewer.user = user
            reviewer.accepted_at = timezone.now()
            reviewer.save()
            reviewer.expertise.set(expertise)
            record(user, "reviewer.joined", reviewer.call)
    except IntegrityError:
        # The same account already holds a place in this call under another address.
        raise ReviewingError(_("You are already a reviewer for this call.")) from None
    return reviewer


def withdraw_reviewer(*, user: User, reviewer_id: int) -> None:
    """Remove a place from the pool; refused while the reviewer has letters assigned. A place
    with declared conflicts is kept, marked removed, so those conflicts are never forgotten."""
    with transaction.atomic():
        reviewer = Reviewer.objects.select_for_update().select_related("call").get(pk=reviewer_id)
        if reviewer.assignments.exists():
            raise ReviewingError(
                _("%(reviewer)s still has letters assigned. Remove those assignments first.")
                % {"reviewer": reviewer}
            )
        record(user, "reviewer.removed", reviewer.call, email=reviewer.email)
        if reviewer.conflicts.exists():
            reviewer.removed_at = timezone.now()
            reviewer.save(update_fields=["removed_at"])
        else:
            reviewer.delete()
