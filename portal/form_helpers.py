"""The crispy-forms helper of the portal's forms that change something."""

from crispy_forms.helper import FormHelper


def posted_once(*buttons):
    """A helper whose form is sent once however often its button is clicked (static/js marks
    a `data-once` form as sent), with these submit buttons."""
    helper = FormHelper()
    helper.attrs = {"data-once": "true"}
    for button in buttons:
        helper.add_input(button)
    return helper
