"""A call's settings: creating a call, and changing an existing call's settings."""

import datetime as dt

from crispy_bootstrap5.bootstrap5 import Switch
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.form_fields import TextareaField
from portal.form_helpers import posted_once

from ...models import Call
from .times import TimeField, on_the_calendar

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
        field_classes = {
            "description": TextareaField,
            "description_zh": TextareaField,
            "opens_at": TimeField,
            "deadline": TimeField,
            "review_deadline": TimeField,
        }
        help_texts = {
            "slug": _("The call's address: /calls/<slug>/. It cannot change later."),
            # A real example rather than a placeholder word, which reads the same translated.
            "reference_prefix": _(
                "Capital letters and digits, such as CE8: letters then get references such as "
                "CE8-LOI-0001. It cannot change once a letter has a reference."
            ),
        }

    submit_label = _("Create the call")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("opens_at", "deadline", "review_deadline"):
            self.fields[name].help_text = _("In the official time zone.")
        self.helper = posted_once(Submit("save", self.submit_label))
        self.helper.layout = layout_of_call(slug="slug" in self.fields)

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
