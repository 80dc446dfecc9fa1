"""Two-factor authentication: offered to everyone, required of programme officers.

This middleware is the one place the requirement lives. It runs before every view (the office,
Django's admin, the reviewer's desk), whereas a check in the `accounts.run_office` rule would
guard the office pages only and answer a bare 403 where the officer needs to be shown the way.
An officer who has an authenticator app cannot skip it at sign-in: allauth asks for a code after
the password, and the admin's sign-in form sends people to allauth's (portal/urls.py).
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Still open to an officer without an authenticator app: what it takes to set one up (allauth's
# two-factor pages, named "mfa_…", the password confirmation they ask for first, and the e-mail
# pages, since allauth refuses while an address is unverified), signing out, the language and
# the health probe. Static files never get here: WhiteNoise answers first.
OPEN_VIEWS = {
    "account_reauthenticate",
    "account_email",
    "account_confirm_email",
    "account_logout",
    "accounts:switch_language",
    "healthz",
}

# The session key of the page an officer was sent away from to set up the app: the recovery
# codes page, where the enrolment ends, leads back to it (templatetags/enrolment.py).
AFTER_ENROLMENT = "after_mfa_enrolment"


def has_totp(user):
    return is_mfa_enabled(user, [Authenticator.Type.TOTP])


class OfficerMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_programme_officer):
            return None
        view_name = request.resolver_match.view_name
        if view_name.startswith("mfa_") or view_name in OPEN_VIEWS or has_totp(user):
            return None
        if request.method == "GET":
            request.session[AFTER_ENROLMENT] = request.get_full_path()
        messages.warning(
            request,
            _(
                "Programme officers must turn on two-factor authentication before using "
                "the office pages."
            ),
        )
        return redirect("mfa_activate_totp")
