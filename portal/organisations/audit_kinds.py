"""The audit events of organisations, their members and invitations, in words."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit.sentences import Details, Kind

from .models import Organisation, Role


def _updated(d: Details) -> str:
    return _("Organisation's details changed: %(fields)s.") % {
        "fields": d.field_names(Organisation, "fields")
    }


def _invited(d: Details) -> str:
    return _("%(email)s invited as %(role)s.") % {
        "email": d.text("email"),
        "role": d.choice("role", Role),
    }


def _accepted(d: Details) -> str:
    return _("Invitation accepted: joined as %(role)s.") % {"role": d.choice("role", Role)}


def _revoked(d: Details) -> str:
    return _("Invitation of %(email)s revoked.") % {"email": d.text("email")}


def _role_changed(d: Details) -> str:
    return _("%(member)s's role changed to %(role)s.") % {
        "member": d.text("member"),
        "role": d.choice("role", Role),
    }


def _left(d: Details) -> str:
    return _("%(member)s left the organisation.") % {"member": d.text("member")}


def _removed(d: Details) -> str:
    return _("%(member)s removed from the organisation.") % {"member": d.text("member")}


KINDS = {
    "organisation.created": Kind(gettext_lazy("Organisation registered")),
    "organisation.updated": Kind(gettext_lazy("Organisation updated"), _updated),
    "invitation.sent": Kind(gettext_lazy("Member invited"), _invited),
    "invitation.accepted": Kind(gettext_lazy("Invitation accepted"), _accepted),
    "invitation.revoked": Kind(gettext_lazy("Invitation revoked"), _revoked),
    "member.role_changed": Kind(gettext_lazy("Member's role changed"), _role_changed),
    "member.left": Kind(gettext_lazy("Member left"), _left),
    "member.removed": Kind(gettext_lazy("Member removed"), _removed),
}
