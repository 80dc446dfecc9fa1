"""The deadline box as a browser in UTC shows it: the browser's own line names its zone once,
as the server's lines do (portal/presentation.py), in English and in Chinese."""

import datetime as dt

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from ..factories import CallFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("locale", "shown"),
    [("en-GB", "5 Feb 2027, 15:59:59 UTC"), ("zh-CN", "2027年2月5日 15:59:59 UTC")],
)
def test_the_deadline_box_names_the_browsers_zone_once(browser, live_server, locale, shown):
    call = CallFactory(
        time_zone="UTC",
        opens_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        deadline=dt.datetime(2027, 2, 5, 15, 59, 59, tzinfo=dt.UTC),
        grace_minutes=0,
    )
    context = browser.new_context(base_url=live_server.url, locale=locale, timezone_id="UTC")
    try:
        page = context.new_page()
        page.goto(reverse("letters:call_detail", args=[call.slug]))
        # Was "Friday 5 February 2027 at 15:59:59 UTC (UTC)".
        expect(page.locator("[data-local-time]")).to_have_text(shown)
        expect(page.locator(".deadline")).not_to_contain_text("UTC (UTC)")
    finally:
        context.close()
