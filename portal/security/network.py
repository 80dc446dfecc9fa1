from allauth.account.adapter import get_adapter
from django.core.exceptions import PermissionDenied


def client_ip(request):
    """The visitor's address, read the way allauth's rate limits read it, or None if unknown.

    Behind our proxy (ALLAUTH_TRUSTED_PROXY_COUNT > 0) it is the address the proxy appended to
    X-Forwarded-For, never one the client wrote there; without a proxy, REMOTE_ADDR. Sign-in
    lockouts, rate limits and the audit log thus all name the same address.
    """
    if request is None:
        return None
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:  # allauth's way of saying "no address"
        return None
