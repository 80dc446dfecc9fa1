from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.db import models
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows shown in Django's admin that only the portal's own code may create or change."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class NamedFields:
    """For a ModelAdmin: every input a screen reader can name (WCAG 1.3.1 and 4.1.2).

    Django's admin labels neither input of a date and time (its label has no `for`; the inputs
    have only "Date:" and "Time:" beside them): each gets its field's name. A many-to-many field
    is a list of checkboxes rather than the admin's two-list filter, whose search icon carries
    an aria-label its element may not have.
    """

    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, AdminSplitDateTime):
            name = capfirst(db_field.verbose_name)
            date, time = formfield.widget.widgets
            date.attrs["aria-label"] = format_lazy("{}: {}", name, _("Date"))
            time.attrs["aria-label"] = format_lazy("{}: {}", name, _("Time"))
        return formfield


class NamedEmptyValueFilter(admin.AllValuesFieldListFilter):
    """A list filter by a field's values that names the empty value (Django's shows it as a
    link with no text, which no one can read out)."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": _("(none)")}
            yield choice
