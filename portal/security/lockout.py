"""Sign-in lockout (django-axes): whose failures count together, what a locked-out visitor sees."""

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render

# allauth authenticates with `email=`, axes passes the login form's field, the admin `username=`.
CREDENTIAL_KEYS = ("email", "login", "username")


def attempted_email(request, credentials):
    """The e-mail address a sign-in attempt was for, lower-cased: `Ann@` and `ann@` count as one."""
    for source in (credentials or {}, getattr(request, "POST", {})):
        for key in CREDENTIAL_KEYS:
            if source.get(key):
                # Cut to what axes stores (255): no account has a longer address anyway.
                return str(source[key]).strip().lower()[:255]
    return None


def lockout_response(request, original_response=None, credentials=None):
    minutes = round(get_cool_off(request).total_seconds() / 60)
    return render(
        request,
        "security/lockout.html",
        # The page offers an e-mailed link that unlocks the account (portal/security/unlock.py).
        {"minutes": minutes, "email": attempted_email(request, credentials)},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
