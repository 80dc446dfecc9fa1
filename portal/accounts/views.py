from allauth.account.views import RequestReauthenticationCodeView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from .forms import ProfileForm, ReauthenticationCodeForm
from .mfa import has_totp


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        response = redirect("accounts:profile")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, request.user.language)
        messages.success(request, _("Saved."))
        return response
    return render(
        request, "account/profile.html", {"form": form, "has_totp": has_totp(request.user)}
    )


def switch_language(request):
    """Django's set_language, also remembered on the account so e-mails use the same language."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.language = language
        request.user.language_chosen = True
        request.user.save(update_fields=["language", "language_chosen"])
    return response


# Served at allauth's own address (portal/urls.py), with a labelled field.
request_reauthentication_code = RequestReauthenticationCodeView.as_view(
    form_class=ReauthenticationCodeForm
)
