"""Fixtures for the browser tests: one headless Debian Chromium per run, a fresh context per test.

Playwright cannot download its own browser here, so it always drives /usr/bin/chromium.
Without it the tests skip on a laptop, and fail under CI (CI must not pass by skipping).
"""

import os
from pathlib import Path

import pytest

from ..services import require

# Playwright's sync API keeps an event loop running in the main thread; Django's ORM would
# otherwise refuse the database calls the tests make between clicks.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# The browser's own zone, different from the call's official zone and from UTC, so a test can
# tell the three apart.
BROWSER_TIME_ZONE = "Europe/Paris"
SCREENSHOTS = Path(os.environ.get("BROWSER_SCREENSHOTS", "/tmp/shots"))
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    require(CHROMIUM.exists(), f"Chromium is missing at {CHROMIUM}: the browser tests cannot run.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """Opens browser contexts (separate cookie jars: one per person) on the live server."""
    contexts = []

    def open_context():
        context = browser.new_context(
            base_url=live_server.url,
            locale="en-GB",
            timezone_id=BROWSER_TIME_ZONE,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def screenshot():
    """Saves a full-page screenshot as /tmp/shots/<name>.png, to look at after the run."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name):
        page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    return take
