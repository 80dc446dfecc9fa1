"""Who may do what to an organisation. Checked in every view."""

import rules

from portal.accounts.rules import is_programme_officer

from .models import Role


def role_of(user, organisation):
    if not user.is_authenticated or organisation is None:
        return None
    for membership in user.membership_list:
        if membership.organisation_id == organisation.pk:
            return membership.role
    return None


@rules.predicate
def is_member(user, organisation):
    return role_of(user, organisation) is not None


@rules.predicate
def is_editor(user, organisation):
    return role_of(user, organisation) in (Role.OWNER, Role.EDITOR)


@rules.predicate
def is_owner(user, organisation):
    return role_of(user, organisation) == Role.OWNER


# Not named view_/change_organisation: a rule would take the place of Django's model permission
# of the same name (User.has_perm), which the admin checks for superusers and the office group.
rules.add_perm("organisations.open_organisation", is_member | is_programme_officer)
rules.add_perm("organisations.edit_organisation", is_editor)
rules.add_perm("organisations.manage_members", is_owner)
rules.add_perm("organisations.leave_organisation", is_member)
