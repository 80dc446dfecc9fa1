"""The security events of the audit log in words: sign-ins, refusals, lockouts, unlocks."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.audit.sentences import Details, Kind


def _denied(d: Details) -> str:
    return _("Access refused to %(method)s %(path)s, from %(ip)s.") % {
        "method": d.text("method"),
        "path": d.text("path"),
        "ip": d.text("ip"),
    }


def _lockout(d: Details) -> str:
    return _("Sign-in as %(email)s locked after repeated failures, from %(ip)s.") % {
        "email": d.text("email"),
        "ip": d.text("ip"),
    }


def _login(d: Details) -> str:
    return _("Signed in from %(ip)s.") % {"ip": d.text("ip")}


def _login_failed(d: Details) -> str:
    return _("Failed sign-in as %(email)s, from %(ip)s.") % {
        "email": d.text("email"),
        "ip": d.text("ip"),
    }


def _logout(d: Details) -> str:
    return _("Signed out from %(ip)s.") % {"ip": d.text("ip")}


def _unlock(d: Details) -> str:
    return _("Account unlocked by its e-mailed link, from %(ip)s.") % {"ip": d.text("ip")}


KINDS = {
    "security.denied": Kind(gettext_lazy("Access refused"), _denied),
    "security.lockout": Kind(gettext_lazy("Sign-in locked after repeated failures"), _lockout),
    "security.login": Kind(gettext_lazy("Signed in"), _login),
    "security.login_failed": Kind(gettext_lazy("Failed sign-in"), _login_failed),
    "security.logout": Kind(gettext_lazy("Signed out"), _logout),
    "security.unlock": Kind(gettext_lazy("Account unlocked by its e-mailed link"), _unlock),
}
