import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone, translation

from portal.notifications.models import OutboundEmail
from portal.notifications.outbox import queue_email
from portal.registry import landing_url

from .models import User

# No deliverable address is longer (RFC 5321), nor fits an outbox row; allauth takes up to 320.
EMAIL_MAX_LENGTH = OutboundEmail._meta.get_field("to").max_length


def account_holder(email):
    """The user an address belongs to (their main address or one added since), if any."""
    return (
        User.objects.filter(Q(email__iexact=email) | Q(emailaddress__email__iexact=email))
        .distinct()
        .first()
    )


class PortalAccountAdapter(DefaultAccountAdapter):
    """Sends allauth's e-mails (verification, password reset) through our outbox, from our
    templates in templates/account/email/."""

    def clean_email(self, email):
        # Sign-up and the password reset both check the address here.
        MaxLengthValidator(EMAIL_MAX_LENGTH)(email)
        return super().clean_email(email)

    def login(self, request, user):
        super().login(request, user)
        # A language picked with the switcher before signing in (its cookie) becomes the
        # account's if the account holds only the default; a language the user chose before
        # (at sign-up, on the profile, with the switcher while signed in) stands.
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not user.language_chosen and language in dict(settings.LANGUAGES):
            user.language = language
            user.language_chosen = True
            user.save(update_fields=["language", "language_chosen"])

    def get_login_redirect_url(self, request):
        # Only when the sign-in names no page (`next`): officers to the office, and so on.
        return landing_url(request.user)

    def send_mail(self, template_prefix, email, context):
        # The address's owner reads it in their own language and zone, whatever page asked for
        # it (a password reset from an English page); anyone else in the page's.
        holder = account_holder(email)
        language = translation.get_language() or settings.LANGUAGE_CODE
        zone = timezone.get_current_timezone_name()
        if holder is not None:
            if holder.language in dict(settings.LANGUAGES):
                language = holder.language
            zone = holder.time_zone
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            "site_url": settings.SITE_URL,
            "recipient": holder,
            **context,
        }
        with translation.override(language), timezone.override(zone):
            message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        # Each verification or reset e-mail is its own message; the key only guards replays.
        fingerprint = hashlib.sha256(
            f"{template_prefix}|{email}|{message.body}|{timezone.now().isoformat()}".encode()
        ).hexdigest()[:32]
        queue_email(
            key=f"account:{template_prefix.rsplit('/', 1)[-1]}:{fingerprint}",
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            language=language,
        )
