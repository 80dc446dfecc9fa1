"""The Content-Security-Policy in a real Chromium: the pages whose scripts do the most (the call's
countdown, the letter form's mode-dependent fields, the authenticator app's QR code, the office
dashboard's SVG charts, the two-factor sign-in) work under it, and the browser reports no
violation."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from intents.demo import seed
from intents.models import LetterOfIntent
from portal.accounts.models import User

from ..factories import totp_code, turn_on_totp

pytestmark = pytest.mark.browser

COUNTDOWN = re.compile(r"^\d+ d \d+ h \d+ min \d+ s$")


def watch_for_violations(page):
    """The browser's console messages about the policy, as the page runs."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def sign_in(page, *, email, password, code=None):
    page.goto(reverse("account_login"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    if code:
        page.get_by_label("Code").fill(code())
        page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name=email)).to_be_visible()


def test_the_applicants_pages_run_under_the_policy(new_context):
    call = seed()
    draft = LetterOfIntent.objects.get(call=call, title="Regolith Dust Spectrometer (RDS)")
    page = new_context().new_page()
    violations = watch_for_violations(page)

    page.goto(reverse("letters:call_detail", args=[call.slug]))
    expect(page.locator("[data-countdown]")).to_have_text(COUNTDOWN)
    sign_in(page, email="applicant@example.org", password="moon-applicant-2024")
    page.goto(reverse("letters:letter_edit", args=[draft.pk]))
    mass = page.get_by_label("Mass (kg)")
    expect(mass).to_be_visible()
    page.get_by_label("Cooperation mode").select_option(
        label="2. Spacecraft-to-spacecraft interaction"
    )
    expect(mass).to_be_hidden()
    page.goto(reverse("mfa_activate_totp"))
    page.get_by_label("Password").fill("moon-applicant-2024")  # allauth asks again first
    page.get_by_role("button", name="Confirm").click()
    qr_code = page.locator("img[src^='data:']")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.naturalWidth") > 0  # img-src allows data:

    assert violations == []


def test_the_officers_pages_run_under_the_policy(new_context):
    call = seed()
    officer = turn_on_totp(User.objects.get(email="officer@example.org"))
    page = new_context().new_page()
    violations = watch_for_violations(page)

    sign_in(
        page,
        email=officer.email,
        password="moon-officer-2024",
        code=lambda: totp_code(officer),
    )
    page.goto(reverse("office:dashboard", args=[call.slug]))
    expect(page.locator("svg.chart").first).to_be_visible()
    page.goto(reverse("office:office_letters", args=[call.slug]))
    page.goto(reverse("office:audit_log"))

    assert violations == []


def test_an_inline_script_would_be_refused_and_reported(new_context):
    """The watch above is not blind: an inline script is refused, and the console says so."""
    page = new_context().new_page()
    violations = watch_for_violations(page)
    page.goto(reverse("home"))
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            """() => {
                const script = document.createElement("script");
                script.textContent = "window.injected = true";
                document.body.appendChild(script);
            }"""
        )
    assert page.evaluate("() => window.injected === undefined")
    assert len(violations) == 1
    assert "script-src 'self'" in violations[0]
