from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Organisation, Role

ORGANISATION_FIELDS = [
    "legal_name",
    "short_name",
    "kind",
    "country",
    "website",
    "postal_address",
    "contact_name",
    "contact_email",
    "contact_phone",
]


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"postal_address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("The organisation"), *ORGANISATION_FIELDS[:6]),
            Fieldset(_("Contact person"), *ORGANISATION_FIELDS[6:]),
        )
        self.helper.add_input(Submit("save", _("Save")))


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), max_length=Invitation._meta.get_field("email").max_length
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EDITOR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("invite", _("Send the invitation")))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
