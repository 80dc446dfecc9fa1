"""Form fields shared by the portal's forms."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.utils.html import format_html

from .presentation import number_text


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id too large for the database instead of failing with a server
    error: Django keeps such numbers out of `pk=` lookups but not out of the `pk__in` this
    field runs, and SQLite cannot take an integer past 2**63 - 1."""

    def _check_values(self, value):
        pk = self.queryset.model._meta.pk
        low, high = connections[self.queryset.db].ops.integer_field_range(pk.get_internal_type())
        for item in value:
            try:
                number = pk.to_python(item)
            except ValidationError:
                continue  # not a number at all: Django's own check says so
            if number is not None and not low <= number <= high:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": item},
                )
        return super()._check_values(value)


class TextareaField(forms.CharField):
    """Text typed in a textarea. Browsers send its line breaks as \\r\\n (the HTML standard
    says so); they are kept as \\n, like text saved any other way, so that an untouched text
    does not count as changed."""

    widget = forms.Textarea

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class _LoadedChoices(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.loaded:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.loaded) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.loaded)


class LoadedModelChoiceField(forms.ModelChoiceField):
    """A choice among objects the view has already read (`offer`): drawn from them rather than
    from a new query, which Django's field runs, through a server-side cursor on PostgreSQL,
    each time it is drawn."""

    iterator = _LoadedChoices
    loaded = ()

    def offer(self, objects):
        """Offer these objects, in this order; only they are valid choices."""
        self.loaded = list(objects)
        self.queryset = self.queryset.model._default_manager.filter(
            pk__in=[obj.pk for obj in self.loaded]
        )


# The id of the legend that explains the mark of a field needed at a later step.
NEEDED_LATER_LEGEND = "needed-later-legend"


class NeededLaterBoundField(forms.BoundField):
    """A field the form saves empty but a later step needs (a draft's, before submission): its
    label carries a mark, hidden from screen readers, and its input is described by the page's
    legend (id NEEDED_LATER_LEGEND), which says what the mark means. A field the form itself
    requires keeps crispy's own mark and the browser's `required`."""

    def __init__(self, form, field, name):
        super().__init__(form, field, name)
        self.label = format_html(
            '{}<span class="asteriskField" aria-hidden="true">*</span>', self.label
        )

    @property
    def aria_describedby(self):
        if self.field.widget.attrs.get("aria-describedby"):
            return None  # set by hand on the widget: Django keeps it, and so do we
        return " ".join(filter(None, [NEEDED_LATER_LEGEND, super().aria_describedby]))


def mark_needed_later(form, names):
    """Mark these of the form's fields as needed later, skipping those it already requires."""
    for name in names:
        field = form.fields.get(name)
        if field is not None and not field.required:
            field.bound_field_class = NeededLaterBoundField


class NumberInput(forms.NumberInput):
    """A number input showing its value as the pages do (portal.presentation: 12.5, not 12.50)."""

    def format_value(self, value):
        if isinstance(value, Decimal | float):
            return number_text(value)
        return super().format_value(value)
