"""Unlocking an account by e-mail: the lockout page offers to send a link that lifts the
account's sign-in lockouts (django-axes), so a stranger's failures never shut the owner out for
long.

The link is signed (it names the account and a random nonce), expires after
UNLOCK_LINK_MINUTES, and works once: using it writes a `security.unlock` audit event with its
nonce, and a link whose nonce is in the audit log is refused. Following it shows a button; only
the POST unlocks, so a mail scanner that opens links uses nothing up.

Asking for a link answers alike, in the same time, for any address: an account's address gets
the link, any other address a note that no account was unlocked (one e-mail either way, as the
password reset does), within allauth's `unlock_account` rate limits.
"""

import secrets

from allauth.core import ratelimit
from axes.utils import reset as reset_lockouts
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.adapter import EMAIL_MAX_LENGTH, account_holder
from portal.accounts.models import User
from portal.audit.log import record
from portal.audit.models import AuditEvent
from portal.notifications.outbox import queue_email, render_email

from .network import client_ip

SALT = "portal.security.unlock"
VERB = "security.unlock"


class UnlockRequestForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=EMAIL_MAX_LENGTH)


def make_link(user_id):
    """The path of a fresh unlock link for this account."""
    token = signing.dumps({"user": user_id, "nonce": secrets.token_urlsafe(12)}, salt=SALT)
    return f"{reverse('accounts:unlock')}?key={token}"


def read_token(token):
    """(user, nonce) for a genuine, unexpired, unused link; None for any other."""
    try:
        payload = signing.loads(token or "", salt=SALT, max_age=settings.UNLOCK_LINK_MINUTES * 60)
        user_id, nonce = payload["user"], str(payload["nonce"])
    except (signing.BadSignature, KeyError, TypeError):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or AuditEvent.objects.filter(verb=VERB, data__nonce=nonce).exists():
        return None
    return user, nonce


def request_unlock(request):
    """The form (also on the lockout page) that e-mails an unlock link."""
    form = UnlockRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if not ratelimit.consume(request, action="unlock_account", key=email):
            return render(request, "429.html", status=429)
        send_unlock_email(email)
        messages.info(
            request,
            _(
                "If %(email)s belongs to an account, we have sent it a link to unlock "
                "signing in. Please check your inbox."
            )
            % {"email": email},
        )
        return redirect("account_login")
    return render(request, "security/unlock_request.html", {"form": form})


def send_unlock_email(email):
    """One e-mail to `email` whether or not it has an account, so the answer and its time do
    not tell: the account's holder gets the link, anyone else a note. Both are made either
    way (the link signed, both e-mails rendered), and one is queued."""
    holder = account_holder(email)
    if holder is not None and not holder.is_active:
        holder = None
    language, zone = translation.get_language(), "UTC"
    if holder is not None:
        language = holder.language if holder.language in dict(settings.LANGUAGES) else None
        zone = holder.time_zone
    context = {
        "email": email,
        "link": make_link(holder.pk if holder is not None else 0),
        "minutes": settings.UNLOCK_LINK_MINUTES,
    }
    rendered = {
        template: render_email(
            template=template, context=context, language=language, time_zone=zone
        )
        for template in ("emails/account_unlock", "emails/account_unlock_unknown")
    }
    subject, body_text, body_html = rendered[
        "emails/account_unlock" if holder is not None else "emails/account_unlock_unknown"
    ]
    with transaction.atomic():
        queue_email(
            key=f"account:unlock:{secrets.token_urlsafe(12)}",
            to=email,
            subject=subject,
            body_text=body_text,
            body_html=body_html,
            language=language,
        )


def unlock(request):
    """The e-mailed link: a button to unlock (GET), the unlocking itself (POST)."""
    token = request.POST.get("key") if request.method == "POST" else request.GET.get("key")
    found = read_token(token)
    if found is None:
        return render(request, "security/unlock.html", {"valid": False})
    user, nonce = found
    if request.method != "POST":
        return render(request, "security/unlock.html", {"valid": True, "key": token})
    with transaction.atomic():
        emails = {user.email.lower()} | {
            address.lower() for address in user.emailaddress_set.values_list("email", flat=True)
        }
        for email in emails:
            reset_lockouts(username=email)
        record(None, VERB, user, nonce=nonce, ip=client_ip(request))
    messages.success(request, _("Your account is unlocked. You can sign in again."))
    return redirect("account_login")
