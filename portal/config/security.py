"""The Content Security Policy (django-csp)."""

from csp.constants import NONE, SELF

# No 'unsafe-inline': scripts and styles come from our static files only; data for scripts is
# written with json_script, which browsers never execute. data: images are Bootstrap's icons
# and the QR code of the authenticator app's set-up.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
