"""What intents shows on an organisation's page, which is portal's (portal/ never imports
intents/): named in IntentsConfig.organisation_sections."""

from django.template.loader import render_to_string

from portal.organisations.rules import is_member

from ...queries import organisation_letters


def letters_section(request, organisation):
    """The organisation's letters, for the page's viewer: its page checked they may open it."""
    letters = organisation_letters(organisation)
    if not is_member(request.user, organisation):
        # The office sees the letters once filed; drafts stay the organisation's own.
        letters = letters.filed()
    return render_to_string(
        "intents/letters/_organisation_letters.html", {"letters": letters}, request
    )
