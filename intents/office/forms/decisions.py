"""The office's decisions on letters, one at a time or for the letters ticked in a list, and their
release."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.form_fields import ModelMultipleChoiceField
from portal.form_helpers import posted_once

from ...models import Decision, LetterOfIntent

OUTCOME = forms.ChoiceField(
    label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
)


class DecisionForm(forms.Form):
    outcome = OUTCOME
    note = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
        help_text=_("For the programme office only; the applicant never sees it."),
    )

    def __init__(self, *args, decision, **kwargs):
        if decision is not None:
            kwargs.setdefault(
                "initial", {"outcome": decision.outcome, "note": decision.internal_note}
            )
        super().__init__(*args, **kwargs)
        self.helper = posted_once(Submit("decide", _("Save the decision")))


class BulkDecisionForm(forms.Form):
    """One decision for the letters ticked in a list; the page draws the tick boxes itself
    (named `letters`) and this form's other fields, and `next` brings the officer back."""

    letters = ModelMultipleChoiceField(
        queryset=LetterOfIntent.objects.none(),
        error_messages={
            "required": _("Tick at least one letter."),
            "invalid_choice": _("Some of the ticked letters are not filed letters of this call."),
            "invalid_pk_value": _("Some of the ticked letters are not filed letters of this call."),
        },
    )
    outcome = OUTCOME
    note = forms.CharField(
        label=_("Internal note (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
        required=False,
        help_text=_("Left empty, each letter keeps the note it has."),
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letters"].queryset = call.letters.filed()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("outcome", "note", "next")


class ReleaseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I have read the previews of the e-mails"),
        error_messages={"required": _("Tick the box once you have read the previews.")},
    )

    def __init__(self, *args, call_open=False, **kwargs):
        super().__init__(*args, **kwargs)
        if call_open:
            # Letters may still be filed or amended: releasing now is rarely meant.
            self.fields["confirm_open"] = forms.BooleanField(
                label=_("Release although the call is still open"),
                error_messages={
                    "required": _("Tick the box to release while the call is still open.")
                },
            )
        self.helper = posted_once(
            Submit("release", _("Release the decisions and send the e-mails"), css_id="release")
        )
