from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.form_helpers import posted_once


class ResendFailedForm(forms.Form):
    """The confirmation asked before every failed e-mail shown is queued again."""

    confirm = forms.BooleanField(
        label=_("Yes, send the failed e-mails shown by these filters again"),
        error_messages={"required": _("Tick the box to confirm sending the failed e-mails again.")},
    )

    def __init__(self, *args, count, query, **kwargs):
        super().__init__(*args, **kwargs)
        if count:
            self.fields["confirm"].label = ngettext(
                "Yes, send the %(count)s failed e-mail shown by these filters again",
                "Yes, send the %(count)s failed e-mails shown by these filters again",
                count,
            ) % {"count": count}
        self.helper = posted_once(Submit("resend", _("Send them again")))
        self.helper.form_id = "resend-failed"
        self.helper.form_action = reverse("notifications:resend_failed") + (
            f"?{query}" if query else ""
        )
