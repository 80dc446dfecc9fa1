"""Two-factor authentication for a programme officer, in a real Chromium against a live server.

The officer signs in, is sent to set up an authenticator app, confirms the password, reads the
secret shown next to the QR code, types the code an app would show and reaches the office.
Signing in again asks for a code after the password.
"""

import re

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, UserFactory, authenticator_code

pytestmark = pytest.mark.browser

MUST_TURN_ON = (
    "Programme officers must turn on two-factor authentication before using the office pages."
)


def type_password(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_an_officer_sets_up_an_authenticator_app_and_then_signs_in_with_a_code(
    page, screenshot, db
):
    officer = UserFactory(email="li.wei@cnsa.example.org", is_programme_officer=True, totp=False)
    console = []
    page.on("console", lambda message: console.append(message.text))

    # 1. Signed in, the officer is sent to set up the app; allauth first asks for the password.
    type_password(page, officer.email)
    expect(page.get_by_text(MUST_TURN_ON)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm Access")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()

    # 2. The QR code loads (a data: image the CSP allows) next to the secret it encodes.
    expect(page.get_by_role("heading", level=1)).to_have_text("Activate Authenticator App")
    qr_code = page.locator("img[src^='data:image/svg+xml']")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("image => image.complete && image.naturalWidth > 0")
    screenshot(page, "officer-mfa-activate")
    secret = page.get_by_label("Authenticator secret").input_value()
    page.get_by_label("Authenticator code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Activate").click()

    # 3. Recovery codes are shown once the app is on; the page leads on to the office, where
    # the sign-in was taking the officer.
    expect(page.get_by_role("heading", level=1)).to_have_text("Recovery Codes")
    expect(page.get_by_label("Unused codes")).to_have_value(re.compile(r"^\d{8}(\n\d{8}){9}$"))
    screenshot(page, "officer-mfa-recovery-codes")
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme office")

    # 4. Signed out and in again, the password alone is not enough.
    page.get_by_role("button", name="Sign out").click()
    type_password(page, officer.email)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
    expect(page.get_by_role("link", name=officer.email)).to_have_count(0)
    screenshot(page, "officer-mfa-code")
    page.get_by_label("Code").fill("000000")
    page.get_by_role("button", name="Sign In").click()
    # The error summary, which takes the focus, links to the field, which repeats the error.
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Code: Incorrect code.")
    expect(summary).to_be_focused()
    expect(page.get_by_text("Incorrect code.", exact=True)).to_be_visible()
    page.get_by_label("Code").fill(authenticator_code(secret))
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("link", name=officer.email)).to_be_visible()
    page.get_by_role("link", name="Programme office").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programme office")
    assert [text for text in console if "Content Security Policy" in text] == []
