"""Security events in the audit log: sign-ins, failed sign-ins, lockouts and sign-outs."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.audit.log import record

from .lockout import attempted_email
from .network import client_ip


@receiver(user_logged_in, dispatch_uid="security-login")
def signed_in(sender, request, user, **kwargs):
    record(user, "security.login", None, ip=client_ip(request))


@receiver(user_login_failed, dispatch_uid="security-login-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has masked the password in `credentials`; only the e-mail and the IP are kept.
    record(
        None,
        "security.login_failed",
        None,
        email=attempted_email(request, credentials),
        ip=client_ip(request),
    )


@receiver(user_locked_out, dispatch_uid="security-lockout")
def locked_out(sender, request, username, ip_address, **kwargs):
    record(None, "security.lockout", None, email=username, ip=ip_address)


@receiver(user_logged_out, dispatch_uid="security-logout")
def signed_out(sender, request, user, **kwargs):
    if user is not None:  # signing out without being signed in is no event
        record(user, "security.logout", None, ip=client_ip(request))
