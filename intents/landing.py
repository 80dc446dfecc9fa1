"""Where signing in takes a user who asked for no page (IntentsConfig.landing, read by
portal/registry.py)."""

from django.urls import reverse

from .rules import has_reviewer_places


def landing(user):
    """Officers to the office; a reviewer who belongs to no organisation to their desk, not to
    an applicant's home that says they are in no organisation; anyone else to the home page
    (None)."""
    if user.is_programme_officer:
        return reverse("office:office_home")
    if not user.membership_list and has_reviewer_places(user):
        return reverse("reviewing:reviewer_desk")
    return None
