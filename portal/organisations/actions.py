"""Changes to organisations and their members, each in one transaction with its audit event."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.audit.log import record
from portal.notifications.outbox import queue_templated_email
from portal.refusals import Refused

from .models import Invitation, Membership, Organisation, Role


class MembershipError(Refused):
    """A change to members that is not allowed."""


def create_organisation(*, user: User, data: Mapping[str, Any]) -> Organisation:
    with transaction.atomic():
        organisation = Organisation.objects.create(**data)
        Membership.objects.create(organisation=organisation, user=user, role=Role.OWNER)
        record(user, "organisation.created", organisation)
    return organisation


def update_organisation(
    *, user: User, organisation: Organisation, data: Mapping[str, Any]
) -> Organisation:
    with transaction.atomic():
        for name, value in data.items():
            setattr(organisation, name, value)
        organisation.save()
        record(user, "organisation.updated", organisation, fields=sorted(data))
    return organisation


def invite(*, user: User, organisation: Organisation, email: str, role: str) -> Invitation:
    email = email.strip().lower()
    with transaction.atomic():
        _require_owner(_acting_under_lock(user, organisation.pk), organisation)
        if organisation.memberships.filter(user__email__iexact=email).exists():
            raise MembershipError(_("%(email)s is already a member.") % {"email": email})
        if organisation.invitations.pending().filter(email__iexact=email).exists():
            raise MembershipError(
                _("%(email)s has already been invited; the invitation is still valid.")
                % {"email": email}
            )
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, invited_by=user
        )
        record(user, "invitation.sent", organisation, email=email, role=role)
        # Someone with an account reads it in their own language and zone; a newcomer in the
        # inviter's, the best guess for a colleague.
        reader = User.objects.filter(email__iexact=email).first() or user
        queue_templated_email(
            key=f"invitation:{invitation.pk}",
            to=email,
            template="emails/invitation",
            context={"invitation": invitation, "inviter": user},
            language=reader.language,
            time_zone=reader.time_zone,
        )
    return invitation


def accept_invitation(*, user: User, token: str) -> Membership:
    with transaction.atomic():
        # It may add an owner: the organisation's lock first, as in every change to its members.
        organisation_id = (
            Invitation.objects.filter(token=token).values_list("organisation_id", flat=True).get()
        )
        _lock_organisation(organisation_id)
        invitation = (
            Invitation.objects.select_for_update().select_related("organisation").get(token=token)
        )
        if invitation.accepted_at is not None:
            raise MembershipError(_("This invitation has already been used."))
        if invitation.revoked_at is not None:
            raise MembershipError(_("This invitation has been withdrawn by the organisation."))
        if invitation.is_expired:
            raise MembershipError(
                _("This invitation has expired. Ask the organisation's owner for a new one.")
            )
        if invitation.email.lower() != user.email.lower():
            raise MembershipError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        membership, created = Membership.objects.get_or_create(
            organisation=invitation.organisation, user=user, defaults={"role": invitation.role}
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record(user, "invitation.accepted", invitation.organisation, role=membership.role)
    return membership


def revoke_invitation(*, user: User, invitation_id: int) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_related("organisation").get(pk=invitation_id)
        _require_owner(
            _acting_under_lock(user, invitation.organisation_id), invitation.organisation
        )
        invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
        if invitation.accepted_at is not None:
            raise MembershipError(_("This invitation has already been used."))
        if invitation.revoked_at is None:
            invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["revoked_at"])
            record(user, "invitation.revoked", invitation.organisation, email=invitation.email)
    return invitation


def change_role(*, user: User, membership_id: int, role: str) -> Membership:
    with transaction.atomic():
        membership, acting = _lock_membership(user, membership_id)
        if membership.role == Role.OWNER and role != Role.OWNER:
            _keep_an_owner(membership, acting)
        _require_owner(acting, membership.organisation)
        membership.role = role
        membership.save(update_fields=["role"])
        record(
            user,
            "member.role_changed",
            membership.organisation,
            member=membership.user.email,
            role=role,
        )
    return membership


def remove_member(*, user: User, membership_id: int) -> None:
    with transaction.atomic():
        membership, acting = _lock_membership(user, membership_id)
        leaving = membership.user_id == user.pk
        if membership.role == Role.OWNER:
            _keep_an_owner(membership, acting)
        if not leaving:
            _require_owner(acting, membership.organisation)
        membership.delete()
        verb = "member.left" if leaving else "member.removed"
        record(user, verb, membership.organisation, member=membership.user.email)


def _lock_organisation(organisation_id):
    """Every change to an organisation's members takes this lock first, so they run one at a
    time: what one reads (who is an owner, who is a member) holds until it commits."""
    # NO KEY UPDATE: rows that reference the organisation (its letters) may still be added.
    return Organisation.objects.select_for_update(no_key=True).get(pk=organisation_id)


def _acting_under_lock(user, organisation_id):
    """The acting user's membership (or None), read under the organisation's lock: an owner
    demoted or removed a moment ago no longer invites or withdraws invitations."""
    _lock_organisation(organisation_id)
    return Membership.objects.filter(organisation_id=organisation_id, user=user).first()


def _lock_membership(user, membership_id):
    """The membership to change and the acting user's own (None if they are no longer a
    member), both read under the organisation's lock."""
    organisation_id = (
        Membership.objects.filter(pk=membership_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    membership = acting = None
    if organisation_id is not None:
        acting = _acting_under_lock(user, organisation_id)
        # Read again under the lock: the change another owner committed meanwhile is seen.
        membership = (
            Membership.objects.select_related("organisation", "user")
            .filter(pk=membership_id)
            .first()
        )
    if membership is None:
        # Removed by someone else, maybe while this change waited for the lock.
        raise MembershipError(
            _(
                "This membership no longer exists: someone changed the organisation's members a "
                "moment ago. Nothing was changed."
            )
        )
    return membership, acting


def _is_owner(acting):
    return acting is not None and acting.role == Role.OWNER


def _require_owner(acting, organisation):
    if not _is_owner(acting):
        raise MembershipError(
            _(
                "You are no longer an owner of %(name)s: another owner has just changed your role "
                "or removed you. Nothing was changed."
            )
            % {"name": organisation}
        )


def _keep_an_owner(membership, acting):
    other_owners = (
        Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    )
    if other_owners:
        return
    if _is_owner(acting):
        raise MembershipError(
            _("An organisation needs at least one owner. Make someone else an owner first.")
        )
    # Typically a second owner whose own role was changed a moment before this request.
    raise MembershipError(
        _(
            "An organisation needs at least one owner, and you are no longer an owner of "
            "%(name)s: another owner has just changed your role or removed you. Nothing was "
            "changed."
        )
        % {"name": membership.organisation}
    )
