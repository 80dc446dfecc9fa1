"""A call's rows, edited a page each: its cooperation modes, document types and rubric."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.form_fields import ModelMultipleChoiceField, TextareaField

from ...models import CooperationMode, Criterion, DocumentType, LetterOfIntent
from ...models.call import TECHNICAL_FIELDS
from .. import config


class CallRowsFormSet(forms.BaseModelFormSet):
    """All of one call's modes, document types or criteria, and a blank row to add one.

    Subclasses name the field two rows may not share and the check of office/config.py refusing
    to delete rows still in use."""

    unique_field = None
    refuse_deleting = None

    def __init__(self, *args, call, queryset, **kwargs):
        self.call = call
        super().__init__(*args, queryset=queryset.filter(call=call), **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The row's id, and the box to delete it (saved rows only), come last.
        form.helper.layout.extend(name for name in ("DELETE", "id") if name in form.fields)

    def clean(self):
        super().clean()
        kept = [
            form
            for form in self.forms
            if (form.instance.pk or form.has_changed()) and not self._should_delete_form(form)
        ]
        seen = set()
        for form in kept:
            value = form.cleaned_data.get(self.unique_field)
            if value is None:
                continue
            if value in seen:
                form.add_error(self.unique_field, _("Another row already uses this."))
            seen.add(value)
        try:
            self.refuse_deleting(self.deleted_ids())
        except config.ConfigError as error:
            raise ValidationError(str(error)) from None

    def deleted_ids(self):
        return [
            form.instance.pk
            for form in self.forms
            if form.instance.pk and self._should_delete_form(form)
        ]

    def rows(self):
        """(id or None, {field: value}) for each new or changed row that is kept."""
        return [
            (
                form.instance.pk,
                {
                    name: form.cleaned_data[name]
                    for name in form._meta.fields
                    if not form.instance.pk or name in form.changed_data
                },
            )
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form)
        ]


# Descriptions typed in a textarea are kept with \n line breaks (portal/form_fields.py), so an
# untouched row does not count as changed.
DESCRIPTIONS = {"description": TextareaField, "description_zh": TextareaField}


class ModeForm(forms.ModelForm):
    technical_fields = forms.MultipleChoiceField(
        label=_("Technical figures the letter must give"),
        choices=[
            (name, capfirst(LetterOfIntent._meta.get_field(name).verbose_name))
            for name in TECHNICAL_FIELDS
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = CooperationMode
        fields = ["number", "name", "name_zh", "description", "description_zh", "technical_fields"]
        field_classes = DESCRIPTIONS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_zh": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("number", css_class="col-md-2"), Column("name"), Column("name_zh")),
            Row(Column("description"), Column("description_zh")),
            InlineCheckboxes("technical_fields"),
        )


class DocumentTypeForm(forms.ModelForm):
    class Meta:
        model = DocumentType
        fields = ["code", "name", "name_zh", "description", "description_zh", "required_for"]
        fields += ["position"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_zh": forms.Textarea(attrs={"rows": 2}),
            "required_for": forms.CheckboxSelectMultiple,
        }
        labels = {"position": _("Position in lists")}
        field_classes = {**DESCRIPTIONS, "required_for": ModelMultipleChoiceField}

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_for"].queryset = call.modes.all()
        self.fields["required_for"].help_text = ""
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("code", css_class="col-md-3"),
                Column("name"),
                Column("name_zh"),
                Column("position", css_class="col-md-2"),
            ),
            Row(Column("description"), Column("description_zh")),
            InlineCheckboxes("required_for"),
        )


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "name_zh", "description", "description_zh", "weight", "position"]
        field_classes = DESCRIPTIONS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "description_zh": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"position": _("Position in lists")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("name"),
                Column("name_zh"),
                Column("weight", css_class="col-md-2"),
                Column("position", css_class="col-md-2"),
            ),
            Row(Column("description"), Column("description_zh")),
        )


# A call has a handful of modes, document types or criteria. Django would build (and the page
# show) up to 2,000 rows for a form claiming more; this many is refused with a message instead.
MAX_ROWS = 50


def call_rows_formset(form, refuse_deleting, unique_field=None):
    formset = forms.modelformset_factory(
        form._meta.model,
        form=form,
        formset=CallRowsFormSet,
        extra=1,
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_ROWS,
        validate_max=True,
        absolute_max=MAX_ROWS,
    )
    formset.refuse_deleting = staticmethod(refuse_deleting)
    formset.unique_field = unique_field
    return formset


ModeFormSet = call_rows_formset(ModeForm, config.refuse_deleting_modes, "number")
DocumentTypeFormSet = call_rows_formset(
    DocumentTypeForm, config.refuse_deleting_document_types, "code"
)
RubricFormSet = call_rows_formset(CriterionForm, config.refuse_deleting_criteria)
