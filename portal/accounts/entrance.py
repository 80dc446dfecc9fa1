"""The way into the portal from an e-mailed invitation (to an organisation, to a reviewer pool)."""

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse

from .adapter import account_holder


def sign_in_to_accept(request: HttpRequest, email: str) -> HttpResponseRedirect:
    """An invitation opened by someone not signed in: the sign-up form with the invited address
    filled in (allauth's `?email=`), or the sign-in form when the address has an account; both
    come back to the invitation."""
    invitation = request.get_full_path()
    if account_holder(email) is not None:
        return redirect_to_login(invitation)
    query = urlencode({"email": email, "next": invitation})
    return redirect(f"{reverse('account_signup')}?{query}")
