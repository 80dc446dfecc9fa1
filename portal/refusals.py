"""The one exception for a change the portal refuses, and the one way a view tells the user
(of a refusal, or of the errors of a form it does not show again).

Every area's refusals derive from Refused (LetterError, ReviewingError, ConfigError, …): an
action that raises it leaves everything as it was, and its message is written for the user, in
their language. Failures that are not the user's to act on (a lost lease, a broken build) are not
refusals.
"""

from django.contrib import messages
from django.forms import BaseForm
from django.http import HttpRequest


class Refused(Exception):
    """A change that cannot be made; the message is shown to the user as it is."""


def show_refusal(request: HttpRequest, refusal: Refused, level: int = messages.ERROR) -> None:
    """Say why on the next page the user sees (an error, unless `level` says otherwise)."""
    messages.add_message(request, level, str(refusal))


def show_form_errors(request: HttpRequest, form: BaseForm, extra_tags: str = "") -> None:
    """Each error of a form that was not valid, as a message on the next page: for a view that
    redirects rather than showing the form again (`extra_tags`: where that page shows them)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error), extra_tags=extra_tags)
