"""The layout every office filter form shares: rows of fields, a submit and a reset link."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row
from django.utils.html import format_html
from django.utils.translation import gettext as _


def filter_helper(form_id, rows, *, submit_label, reset_url):
    """`rows`: lists of (field name, bootstrap column class)."""
    helper = FormHelper()
    helper.form_method = "get"
    helper.form_id = form_id
    helper.form_class = "card card-body mb-3"
    helper.layout = Layout(
        *(Row(*(Column(name, css_class=width) for name, width in row)) for row in rows),
        # A plain button, so the query string carries the filters and nothing else.
        Div(
            HTML(
                format_html(
                    '<button class="btn btn-primary" type="submit">{}</button>'
                    '<a class="btn btn-link" id="reset-filters" href="{}">{}</a>',
                    submit_label,
                    reset_url,
                    _("Clear the filters"),
                )
            ),
            css_class="d-flex flex-wrap gap-2",
        ),
    )
    return helper
