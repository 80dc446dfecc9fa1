"""The office's decision on an organisation's verification, and its withdrawal."""

from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.form_helpers import posted_once


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
        self.helper = posted_once(Submit("decide", _("Record the decision")))

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
        withdraw = Submit("withdraw", _("Withdraw the verification"))
        withdraw.field_classes = "btn btn-danger"
        self.helper = posted_once(withdraw)
