"""What axe-core does not measure, measured in Chromium against WCAG 2.1's 3:1 for the parts of
controls (1.4.11) and for focus: the keyboard's focus on the dark navbar, and the borders of
radios and checkboxes."""

import re

import pytest

pytestmark = pytest.mark.browser

WHITE = (255.0, 255.0, 255.0)

FOCUSED = """() => {
    const element = document.activeElement;
    const navbar = element.closest(".navbar");
    const style = getComputedStyle(element);
    return {
        name: element.textContent.trim() || element.tagName,
        in_navbar: navbar !== null,
        outline: style.outlineStyle,
        width: parseFloat(style.outlineWidth),
        colour: style.outlineColor,
        background: navbar && getComputedStyle(navbar).backgroundColor,
    };
}"""

BORDERS = """() => {
    const radio = document.createElement("input");
    radio.type = "radio";
    radio.className = "form-check-input";
    document.body.append(radio);
    return Array.from(document.querySelectorAll("input.form-check-input")).map((input) => ({
        type: input.type,
        border: getComputedStyle(input).borderTopColor,
        background: getComputedStyle(input).backgroundColor,
    }));
}"""


def colour(css: str, over=WHITE) -> tuple[float, float, float]:
    """An rgb()/rgba() colour as seen over `over`."""
    red, green, blue, *alpha = (float(part) for part in re.findall(r"[\d.]+", css))
    opacity = alpha[0] if alpha else 1.0
    return tuple(
        opacity * c + (1 - opacity) * o for c, o in zip((red, green, blue), over, strict=True)
    )


def contrast(one, other) -> float:
    def luminance(rgb):
        linear = [
            c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
            for c in (part / 255 for part in rgb)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_keyboards_focus_stands_out_on_the_dark_navbar(page):
    page.goto("/")
    page.keyboard.press("Tab")  # the "Skip to content" link, before the navbar
    seen = []
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if not focused["in_navbar"]:
            break
        seen.append(focused["name"])
        background = colour(focused["background"])
        assert focused["outline"] != "none" and focused["width"] >= 2, focused
        assert contrast(colour(focused["colour"], over=background), background) >= 3, focused
    assert "Sign in" in seen and "Change" in seen  # the links, the language button, the brand


def test_radio_and_checkbox_borders_stand_out_from_the_page(page):
    page.goto("/accounts/login/")
    inputs = page.evaluate(BORDERS)
    assert {found["type"] for found in inputs} == {"checkbox", "radio"}
    for found in inputs:
        assert contrast(colour(found["border"]), colour(found["background"])) >= 3, found
