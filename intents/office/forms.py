"""The office's forms for configuring calls, granting extensions and verifying organisations."""

import datetime as dt
import zoneinfo

import django_filters
from crispy_bootstrap5.bootstrap5 import Switch
from crispy_forms.bootstrap import InlineCheckboxes, StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import TIME_ZONE_CHOICES
from portal.filter_layout import SearchFilter
from portal.form_fields import ModelMultipleChoiceField
from portal.organisations.models import Organisation

from ..models import Call, CooperationMode, Criterion, DocumentType, LetterOfIntent
from ..models.call import TECHNICAL_FIELDS
from . import config

ZONES = {name for name, _label in TIME_ZONE_CHOICES}


def official_zone(data, call=None):
    """The zone a form's times are typed in: the one chosen on the form, else the call's."""
    name = (data or {}).get("time_zone")
    if name not in ZONES:
        name = call.time_zone if call else "UTC"
    return zoneinfo.ZoneInfo(name)


class TimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, to the second (deadlines end at 23:59:59)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__({"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


# No zone is a day away from UTC: a time at least a day from either end of Python's calendar
# can be shown in every zone. Nearer (the last hour of the year 9999 in Samoa), it cannot.
EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC) + dt.timedelta(days=1)
LATEST = dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=1)


def on_the_calendar(moment):
    try:
        return EARLIEST <= moment <= LATEST
    except OverflowError:  # comparing goes through UTC
        return False


class TimeField(forms.DateTimeField):
    """A time typed in an official zone, and one every page can show."""

    widget = TimeInput

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is not None and not on_the_calendar(moment):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return moment


# Ten years before the deadline: anything further is a typo.
MAX_REMINDER_HOURS = 10 * 365 * 24


class HoursField(forms.CharField):
    """Hours before the deadline typed as "720, 168, 24"; kept as a list, latest first, once."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(hours) for hours in value)
        return value

    def to_python(self, value):
        hours = set()
        for part in super().to_python(value).split(","):
            part = part.strip()
            if not part:
                continue
            if not (part.isascii() and part.isdigit()) or not part.strip("0"):
                raise ValidationError(
                    _("“%(value)s” is not a whole number of hours above zero."),
                    params={"value": part},
                )
            # Measured before int(), which refuses over 4,300 digits with an error of its own.
            if (
                len(part.lstrip("0")) > len(str(MAX_REMINDER_HOURS))
                or int(part) > MAX_REMINDER_HOURS
            ):
                raise ValidationError(
                    _("A reminder can be at most %(max)s hours before the deadline."),
                    params={"max": MAX_REMINDER_HOURS},
                )
            hours.add(int(part))
        return sorted(hours, reverse=True)


def layout_of_call(*, slug):
    return Layout(
        Fieldset(
            _("The call"),
            Row(Column("title"), Column("title_zh")),
            *(["slug"] if slug else []),
            Row(Column("description"), Column("description_zh")),
        ),
        Fieldset(
            _("Dates"),
            Row(Column("time_zone"), Column("opens_at")),
            Row(Column("deadline"), Column("grace_minutes")),
            Row(Column("review_deadline"), Column("selection_date")),
        ),
        Fieldset(
            _("Letters of intent"),
            Row(Column("reference_prefix"), Column("reminder_hours")),
        ),
        Fieldset(
            _("Review"),
            Row(Column("reviewers_per_letter"), Column("score_max")),
            Switch("conflict_same_country"),
            Switch("blind_review"),
            Switch("reviewers_see_other_reviews"),
            Switch("share_reviewer_comments"),
        ),
    )


class CallForm(forms.ModelForm):
    """A new call's settings. Its times are typed in its official zone: build, validate and
    render the form inside `timezone.override(official_zone(...))`."""

    reminder_hours = HoursField(
        label=_("Reminders (hours before the deadline)"),
        required=False,
        help_text=_("Separated by commas, e.g. 720, 168, 24, 3. Leave empty for no reminders."),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "title_zh",
            "slug",
            "description",
            "description_zh",
            "time_zone",
            "opens_at",
            "deadline",
            "grace_minutes",
            "review_deadline",
            "selection_date",
            "reference_prefix",
            "reminder_hours",
            "reviewers_per_letter",
            "score_max",
            "conflict_same_country",
            "blind_review",
            "reviewers_see_other_reviews",
            "share_reviewer_comments",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_zh": forms.Textarea(attrs={"rows": 5}),
            "selection_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        field_classes = {"opens_at": TimeField, "deadline": TimeField, "review_deadline": TimeField}
        help_texts = {
            "slug": _("The call's address: /calls/<slug>/. It cannot change later."),
            "reference_prefix": _(
                "Letters get references such as PREFIX-LOI-0001. It cannot change once a "
                "letter has a reference."
            ),
        }

    submit_label = _("Create the call")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "deadline", "review_deadline"):
            self.fields[name].help_text = _("In the official time zone.")
        self.helper = FormHelper()
        self.helper.attrs = {"data-once": "true"}
        self.helper.layout = layout_of_call(slug="slug" in self.fields)
        self.helper.add_input(Submit("save", self.submit_label))

    def clean(self):
        data = super().clean()
        opens_at, deadline = data.get("opens_at"), data.get("deadline")
        review_deadline = data.get("review_deadline")
        if opens_at and deadline and deadline <= opens_at:
            self.add_error("deadline", _("The deadline must come after the opening time."))
        if deadline and review_deadline and review_deadline <= deadline:
            self.add_error(
                "review_deadline", _("The review deadline must come after the deadline.")
            )
        grace = data.get("grace_minutes")
        if deadline and grace and not self._closes_on_the_calendar(deadline, grace):
            self.add_error(
                "grace_minutes", _("With this grace, the call would close after the year 9999.")
            )
        return data

    @staticmethod
    def _closes_on_the_calendar(deadline, grace):
        """Whether the closing time, which every page of the call works out, can be shown."""
        try:
            return on_the_calendar(deadline + dt.timedelta(minutes=grace))
        except OverflowError:
            return False

    def settings(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class CallSettingsForm(CallForm):
    """An existing call's settings: the slug stays, the prefix too once references exist."""

    confirm_closing_change = forms.BooleanField(
        label=_("Yes, move the closing time for these letters."), required=False
    )

    class Meta(CallForm.Meta):
        fields = [name for name in CallForm.Meta.fields if name != "slug"]

    submit_label = _("Save the settings")

    def __init__(self, *args, prefix_locked, **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_locked:
            self.fields["reference_prefix"].disabled = True
            self.fields["reference_prefix"].help_text = _(
                "Letters already carry references with this prefix, so it can no longer change."
            )

    def ask_to_confirm(self):
        """Show the confirmation box, first in the form, after a change needing one."""
        self.helper.layout.insert(0, Field("confirm_closing_change", wrapper_class="fw-semibold"))
        self.helper.inputs[0].value = _("Confirm and save")

    def changes(self):
        return {
            name: self.cleaned_data[name] for name in self.changed_data if name in self._meta.fields
        }


class CallRowsFormSet(forms.BaseModelFormSet):
    """All of one call's modes, document types or criteria, and a blank row to add one.

    Subclasses name the field two rows may not share and the domain check refusing to delete
    rows still in use."""

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
        field_classes = {"required_for": ModelMultipleChoiceField}

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


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, organisation):
        return f"{organisation.legal_name} ({organisation.short_name}, {organisation.country.name})"


class ExtensionForm(forms.Form):
    """A later closing time for one organisation, typed in the call's official zone."""

    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("legal_name")
    )
    closes_at = TimeField(label=_("New closing time"))
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The organisation's members see it on the call's page."),
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["closes_at"].help_text = _(
            "In the call's official time zone, %(zone)s; after its own closing time."
        ) % {"zone": call.time_zone}
        self.helper = FormHelper()
        self.helper.attrs = {"data-once": "true"}
        self.helper.add_input(Submit("grant", _("Grant the extension")))

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= self.call.closes_at:
            raise ValidationError(_("Choose a time after the call's own closing time."))
        return closes_at


class VerificationForm(forms.Form):
    VERIFY = "verify"
    REQUEST = "request"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (VERIFY, _("Mark the organisation as verified")),
            (REQUEST, _("Ask the organisation for more information")),
        ],
        widget=forms.RadioSelect,
    )
    request = forms.CharField(
        label=_("What the organisation must supply"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        required=False,
        help_text=_("Sent to the organisation's owners and shown on its page."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"data-once": "true"}
        self.helper.add_input(Submit("decide", _("Record the decision")))

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.REQUEST and not data.get("request", "").strip():
            self.add_error("request", _("Say what the organisation must supply."))
        return data


class WithdrawVerificationForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this organisation's verification."), required=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"data-once": "true"}
        withdraw = Submit("withdraw", _("Withdraw the verification"))
        withdraw.field_classes = "btn btn-danger"
        self.helper.add_input(withdraw)


VERIFICATION_STATES = [
    ("unverified", _("Not yet verified")),
    ("requested", _("Information requested")),
    ("verified", _("Verified")),
]


class OrganisationFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.layout = Layout(
            Row(
                Column("name"),
                Column("state"),
                Column(
                    StrictButton(_("Filter"), type="submit", css_class="btn-outline-primary mb-3")
                ),
                css_class="align-items-end",
            )
        )


class OrganisationFilter(django_filters.FilterSet):
    name = SearchFilter(label=_("Name"), method="filter_name")
    state = django_filters.ChoiceFilter(
        label=_("Verification"),
        choices=VERIFICATION_STATES,
        empty_label=_("Any"),
        method="filter_state",
    )

    class Meta:
        model = Organisation
        fields = []
        form = OrganisationFilterForm

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(legal_name__icontains=value) | Q(short_name__icontains=value))

    def filter_state(self, queryset, name, value):
        return queryset.filter(
            {
                "unverified": Q(is_verified=False, verification_request=""),
                "requested": Q(is_verified=False) & ~Q(verification_request=""),
                "verified": Q(is_verified=True),
            }[value]
        )
