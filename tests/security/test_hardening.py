"""Hardened defaults: the Content-Security-Policy on every page, no inline script or style for it
to forbid, the production settings, the deployment checklist, and the client's address behind
the proxy."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings
from django.urls import reverse

from intents.demo import seed
from intents.models import Assignment, LetterOfIntent
from portal.accounts.models import User
from portal.security.network import client_ip

from ..factories import turn_on_totp

ROOT = Path(settings.BASE_DIR)
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def directives(header):
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


# --- The policy on every page ---------------------------------------------------------------


@pytest.fixture
def demo(db):
    seed()
    turn_on_totp(User.objects.get(email="officer@example.org"))


def pages_of(role):
    """Representative pages of each kind of visitor, with the status each must answer."""
    draft = LetterOfIntent.objects.get(organisation__members__email="applicant@example.org")
    filed = LetterOfIntent.objects.get(submitted_at__isnull=False)
    call = draft.call.slug
    organisation = draft.organisation_id
    return {
        None: [
            (reverse("home"), 200),
            (reverse("letters:call_detail", args=[call]), 200),
            (reverse("account_login"), 200),
            (reverse("account_signup"), 200),
            (reverse("account_reset_password"), 200),
            ("/no-such-page/", 404),
        ],
        "applicant@example.org": [
            (reverse("home"), 200),
            (reverse("letters:letter_detail", args=[draft.pk]), 200),
            (reverse("letters:letter_edit", args=[draft.pk]), 200),
            (reverse("organisations:detail", args=[organisation]), 200),
            (reverse("organisations:members", args=[organisation]), 200),
            (reverse("accounts:profile"), 200),
            (reverse("mfa_index"), 200),
            (reverse("office:office_home"), 403),
        ],
        "reviewer@example.org": [
            (reverse("reviewing:reviewer_desk"), 200),
            (reverse("reviewing:assignment_detail", args=[Assignment.objects.get().pk]), 200),
        ],
        "officer@example.org": [
            (reverse("office:office_home"), 200),
            (reverse("office:dashboard", args=[call]), 200),
            (reverse("office:office_letters", args=[call]), 200),
            (reverse("office:office_letter", args=[filed.pk]), 200),
            (reverse("office:ranking", args=[call]), 200),
            (reverse("reviewing:reviewer_pool", args=[call]), 200),
            (reverse("office:call_settings", args=[call]), 200),
            (reverse("office:audit_log"), 200),
        ],
    }[role]


@pytest.mark.parametrize(
    "role", [None, "applicant@example.org", "reviewer@example.org", "officer@example.org"]
)
def test_every_page_carries_the_policy_without_unsafe_inline(client, demo, role):
    if role:
        client.force_login(User.objects.get(email=role))
    for path, status in pages_of(role):
        response = client.get(path)
        assert response.status_code == status, path
        assert response["Content-Type"].startswith("text/html"), path
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header, path
        assert directives(header) == POLICY, path
        assert response["X-Frame-Options"] == "DENY", path
        assert response["X-Content-Type-Options"] == "nosniff", path
        assert response["Referrer-Policy"] == "same-origin", path
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", path


# --- Nothing inline for the policy to refuse ------------------------------------------------

INLINE = {
    # A script element with content: json_script's data blocks are the only ones allowed.
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I),
    "javascript: link": re.compile(r"javascript:", re.I),
}


def served_sources():
    """Our templates (e-mails aside: no browser policy applies to them) and Python code."""
    templates = [
        path
        for path in (ROOT / "templates").rglob("*.html")
        if "emails" not in path.relative_to(ROOT / "templates").parts
    ]
    code = [*(ROOT / "portal").rglob("*.py"), *(ROOT / "intents").rglob("*.py")]
    return [path for path in templates + code if "migrations" not in path.parts]


def test_no_template_or_code_of_ours_writes_inline_scripts_or_styles():
    found = [
        f"{path.relative_to(ROOT)}: {kind}"
        for path in served_sources()
        for kind, pattern in INLINE.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_letter_forms_data_for_its_script_is_a_json_block(client, owner, draft):
    client.force_login(owner)
    page = client.get(reverse("letters:letter_edit", args=[draft.pk])).content.decode()
    assert '<script id="mode-technical-fields" type="application/json">' in page


# --- Production settings --------------------------------------------------------------------


def production(tmp_path, *arguments, **environment):
    """Runs Python with the real settings module under SECURE=on, as production does; an
    `environment` value of None leaves that variable unset."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_VAR_DIR": str(tmp_path),
        "SECURE": "on",
        "DEBUG": "off",
        "SECRET_KEY": "a-production-key-" + "x" * 50,
        "ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
        "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_URL": "smtp://127.0.0.1:25",
        "DJANGO_ALLOW_ASYNC_UNSAFE": None,  # set for Playwright by tests/browser/conftest.py
        **environment,
    }
    return subprocess.run(
        [sys.executable, *arguments],
        cwd=ROOT,
        env={name: value for name, value in env.items() if value is not None},
        capture_output=True,
        text=True,
    )


READ_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
    "ALLAUTH_TRUSTED_PROXY_COUNT", "ACCOUNT_DEFAULT_HTTP_PROTOCOL",
]
values = {name: getattr(s, name) for name in names}
values["CSP"] = s.CONTENT_SECURITY_POLICY["DIRECTIVES"]
values["CACHE"] = s.CACHES["default"]["BACKEND"]
print(json.dumps(values))
"""


def test_production_settings_are_hardened(tmp_path):
    result = production(tmp_path, "-c", READ_SETTINGS)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
        "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "https",
        "CSP": POLICY,
        "CACHE": "portal.cache.FailOpenRedisCache",
    }


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = production(tmp_path, "-c", READ_SETTINGS, SECRET_KEY=None)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_without_redis_the_laptop_keeps_its_rate_limit_counters_in_memory(tmp_path):
    result = production(tmp_path, "-c", READ_SETTINGS, SECURE="off", REDIS_URL=None)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["CACHE"] == "django.core.cache.backends.locmem.LocMemCache"


def test_the_deployment_checklist_is_clean(tmp_path):
    result = production(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_no_script_of_ours_reads_the_csrf_cookie():
    """CSRF_COOKIE_HTTPONLY hides the cookie from scripts; ours send the token from the form."""
    for script in (ROOT / "static" / "portal").glob("*.js"):
        assert "csrftoken" not in script.read_text(encoding="utf-8").lower(), script


# --- The client's address behind the proxy --------------------------------------------------


def forwarded(chain):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=chain)


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_the_address_is_the_one_the_proxy_appended():
    assert client_ip(forwarded("198.51.100.9, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(forwarded("203.0.113.7")) == "203.0.113.7"


@override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=0)
def test_without_a_proxy_a_forwarded_for_header_is_ignored():
    assert client_ip(forwarded("203.0.113.7")) == "10.0.0.2"


def test_a_request_without_an_address_has_none():
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) is None
    assert client_ip(None) is None
