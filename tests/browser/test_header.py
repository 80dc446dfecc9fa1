"""The site's header in a real Chromium, in Chinese."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.browser

# A range over the button's text has one box per line it takes.
LINES_OF_TEXT = (
    "button => { const range = document.createRange(); range.selectNodeContents(button); "
    "return range.getClientRects().length; }"
)


@pytest.mark.parametrize("width", [768, 992, 1280])
def test_the_language_button_keeps_its_word_on_one_line_in_chinese(new_context, live_server, width):
    """Chinese may break between any two characters: squeezed by the menu, 更改 stood on two
    lines."""
    context = new_context()
    # As the language switcher leaves it.
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "zh-hans", "url": live_server.url}]
    )
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/")
    button = page.locator("#main-menu form button[type=submit]")
    assert button.inner_text() == "更改"
    assert button.evaluate(LINES_OF_TEXT) == 1
