import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from portal.notifications.models import OutboundEmail
from portal.notifications.outbox import queue_email

# No deliverable address is longer (RFC 5321), nor fits an outbox row; allauth takes up to 320.
EMAIL_MAX_LENGTH = OutboundEmail._meta.get_field("to").max_length


class PortalAccountAdapter(DefaultAccountAdapter):
    """Sends allauth's e-mails (verification, password reset) through our outbox."""

    def clean_email(self, email):
        # Sign-up and the password reset both check the address here.
        MaxLengthValidator(EMAIL_MAX_LENGTH)(email)
        return super().clean_email(email)

    def send_mail(self, template_prefix, email, context):
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
        )
