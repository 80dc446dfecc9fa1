"""What every filter form of the office's pages shares (the letters', the audit log's, the
outbox's): the layout (rows of fields, a submit and a reset link) and bounded search fields."""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Div, Layout, Row
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The empty choice of every filter's select.
ANY = gettext_lazy("Any")


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


class SearchFilter(django_filters.CharFilter):
    """Text searched for with LIKE. Bounded: SQLite answers a pattern over 50,000 bytes with an
    error, and nothing we search (names, labels, addresses) is longer than 255 characters."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 255)
        super().__init__(*args, **kwargs)
