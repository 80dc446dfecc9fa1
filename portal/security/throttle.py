"""Per-user rate limits (django-ratelimit) on the endpoints that send e-mails or store files."""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_ratelimit.decorators import ratelimit


def limit_posts(rate_setting, message):
    """Beyond the rate in settings.<rate_setting> (read per request, so tests can lower it), a
    user's POSTs get a 429 page saying `message`, and the view does not run: nothing is saved.

    Put it under @login_required: the count is per user.
    """

    def decorator(view):
        @ratelimit(
            group=f"{view.__module__}.{view.__qualname__}",
            key="user",
            rate=lambda group, request: getattr(settings, rate_setting),
            method="POST",
            block=False,
        )
        @wraps(view)
        def limited(request, *args, **kwargs):
            if request.limited:
                return render(request, "429.html", {"message": message}, status=429)
            return view(request, *args, **kwargs)

        return limited

    return decorator


limit_invitations = limit_posts(
    "INVITATION_RATE",
    _(
        "You have sent too many invitations in a short time, so this one was not sent. "
        "Please wait a while before inviting more people."
    ),
)
limit_uploads = limit_posts(
    "UPLOAD_RATE",
    _(
        "You have uploaded too many files in a short time, so this one was not stored. "
        "Please wait a while before uploading more."
    ),
)
