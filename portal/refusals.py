"""The one exception for a change the portal refuses, and the one way a view tells the user.

Every area's refusals derive from Refused (LetterError, ReviewingError, ConfigError, …): an
action that raises it leaves everything as it was, and its message is written for the user, in
their language. Failures that are not the user's to act on (a lost lease, a broken build) are not
refusals.
"""

from django.contrib import messages
from django.http import HttpRequest


class Refused(Exception):
    """A change that cannot be made; the message is shown to the user as it is."""


def show_refusal(request: HttpRequest, refusal: Refused, level: int = messages.ERROR) -> None:
    """Say why on the next page the user sees (an error, unless `level` says otherwise)."""
    messages.add_message(request, level, str(refusal))
