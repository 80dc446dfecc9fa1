"""A later closing time granted to one organisation."""

from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.form_helpers import posted_once
from portal.organisations.models import Organisation

from .times import TimeField


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
        self.helper = posted_once(Submit("grant", _("Grant the extension")))

    def clean_closes_at(self):
        closes_at = self.cleaned_data["closes_at"]
        if closes_at <= self.call.closes_at:
            raise ValidationError(_("Choose a time after the call's own closing time."))
        return closes_at
