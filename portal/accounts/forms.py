from allauth.account.forms import RequestReauthenticationCodeForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import TIME_ZONE_CHOICES, User


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    time_zone = forms.ChoiceField(
        label=_("Your time zone"), choices=TIME_ZONE_CHOICES, initial="UTC"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # static/portal/timezone.js fills this from the browser when the page loads.
        self.fields["time_zone"].widget.attrs["data-detect-time-zone"] = "true"

    def try_save(self, request):
        # allauth creates no account for a taken address (it e-mails the owner instead), which
        # skipped hashing the password: a taken address answered ten times faster than a new
        # one. Hash it all the same, with the configured hasher, and throw the hash away.
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

    def save(self, request):
        user = super().save(request)
        user.full_name = self.cleaned_data["full_name"]
        user.time_zone = self.cleaned_data["time_zone"]
        language = translation.get_language() or settings.LANGUAGE_CODE
        user.language = language if language in dict(settings.LANGUAGES) else "en"
        user.language_chosen = True  # the sign-up page's language: switched to, or the browser's
        user.save(update_fields=["full_name", "time_zone", "language", "language_chosen"])
        return user


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone", "receive_reminders"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))

    def save(self, commit=True):
        self.instance.language_chosen = True
        return super().save(commit)


class ReauthenticationCodeForm(RequestReauthenticationCodeForm):
    """allauth's, whose field has no label: the page showed Django's default, "Recipient",
    in every language."""

    recipient = forms.ChoiceField(label=_("Send the code to"), choices=[])
