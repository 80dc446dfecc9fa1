"""E-mails to an organisation's members."""

from portal.notifications.outbox import queue_templated_email

from .models import Role

# Those who file and amend the organisation's letters, and so hear of everything about them.
OWNERS_AND_EDITORS = [Role.OWNER, Role.EDITOR]


def queue_for_members(organisation, *, roles, key, template, context):
    """One e-mail per member in these roles, each in their own language and time zone, keyed
    `<key>:<user id>`."""
    memberships = organisation.memberships.filter(role__in=roles).select_related("user")
    for user in (membership.user for membership in memberships):
        queue_templated_email(
            key=f"{key}:{user.pk}",
            to=user.email,
            template=template,
            context={**context, "recipient": user},
            language=user.language,
            time_zone=user.time_zone,
        )
