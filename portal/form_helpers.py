"""The crispy-forms helper of the portal's forms that change something."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit


def posted_once(*buttons):
    """A helper whose form is sent once however often its button is clicked (static/js marks
    a `data-once` form as sent), with these submit buttons."""
    helper = FormHelper()
    helper.attrs = {"data-once": "true"}
    for button in buttons:
        helper.add_input(button)
    return helper


def styled_submit(name, label, style):
    """A submit button in one style: crispy's Submit keeps btn-primary beside any css_class,
    and two styles together (say btn-primary with btn-outline-primary) draw blue on blue."""
    button = Submit(name, label)
    button.field_classes = f"btn {style}"
    return button
