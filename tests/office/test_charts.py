import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from intents.office.charts import (
    bar_chart,
    for_every_screen,
    funnel_chart,
    stacked_bar_chart,
    step_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
SCRIPT = "<script>alert('moon')</script>"
DAY = dt.date(2025, 3, 1)


def days(count):
    return [DAY + dt.timedelta(days=n) for n in range(count)]


def parse(markup):
    """The chart as XML: it must be well formed, an image, and named by its title."""
    svg = ET.fromstring(markup)
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    assert svg.get("aria-labelledby").split()[0] == title.get("id")
    assert "style=" not in markup
    return svg


def texts(svg):
    return [node.text for node in svg.iter(f"{SVG}text")]


def widths(svg):
    return [float(rect.get("width")) for rect in svg.iter(f"{SVG}rect")]


CHARTS = {
    "bars": lambda title, label, value: bar_chart("c", title, [(label, value)]),
    "stacked": lambda title, label, value: stacked_bar_chart(
        "c", title, [(label, [value, value])], [(label, "success"), ("Other", "warning")]
    ),
    "steps": lambda title, label, value: step_chart(
        "c", title, days(1), [(label, "primary", [value])], marker=(dt.datetime(2025, 3, 2), label)
    ),
    "funnel": lambda title, label, value: funnel_chart("c", title, [(label, value)]),
}


@pytest.mark.parametrize("kind", list(CHARTS))
def test_titles_are_escaped(kind):
    markup = CHARTS[kind](SCRIPT, "Letters", 3)
    assert "<script" not in markup
    assert parse(markup).find(f"{SVG}title").text == SCRIPT


@pytest.mark.parametrize("kind", list(CHARTS))
def test_labels_are_escaped(kind):
    markup = CHARTS[kind]("Letters", SCRIPT, 3)
    assert "<script" not in markup
    assert SCRIPT in "".join(parse(markup).itertext())


@pytest.mark.parametrize("kind", list(CHARTS))
def test_zero_values_draw_an_empty_chart(kind):
    svg = parse(CHARTS[kind]("Letters", "Nothing yet", 0))
    assert all(width == 0 for width in widths(svg) if width != 12)  # legend swatches are 12


def test_a_single_bar_takes_the_whole_width():
    svg = parse(bar_chart("c", "Letters", [("Brazil", 7)]))
    assert widths(svg) == [384]
    assert texts(svg) == ["Brazil", "7"]


def test_a_single_day_is_drawn_up_to_its_value():
    svg = parse(step_chart("c", "Letters", days(1), [("Filed", "primary", [7])]))
    assert texts(svg) == ["Filed", "0", "2", "4", "6", "8", "1 Mar"]  # the scale rounds up
    (path,) = [path.get("d") for path in svg.iter(f"{SVG}path")]
    assert path.count("V") == 1


def test_a_single_step_of_the_funnel_is_whole():
    svg = parse(funnel_chart("c", "Funnel", [("Registered", 7)]))
    assert widths(svg) == [624]
    assert texts(svg) == ["Registered · 7 (100%)"]


def test_bars_are_as_long_as_their_share_of_the_longest():
    svg = parse(bar_chart("c", "Letters", [("Brazil", 4), ("France", 2), ("Japan", 0)]))
    brazil, france = widths(svg)
    assert brazil == 2 * france
    assert [g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g")] == [
        "Brazil: 4",
        "France: 2",
        "Japan: 0",
    ]


def test_a_long_label_takes_three_lines_then_is_cut_short_but_kept_whole_in_the_tooltip():
    name = "Congo (the Democratic Republic of the) and its many neighbours, near and far away"
    svg = parse(bar_chart("c", "Letters", [(name, 1)]))
    assert texts(svg)[:2] == ["Congo (the Democratic", "Republic of the) and its"]
    assert texts(svg)[2].startswith("many neighbours") and texts(svg)[2].endswith("…")
    assert svg.find(f"{SVG}g/{SVG}title").text == f"{name}: 1"


@pytest.mark.parametrize("narrow", [False, True])
def test_a_mode_name_is_shown_whole_on_lines_of_its_own(narrow):
    name = "1. Launch and operate your own spacecraft within the mission"
    svg = parse(bar_chart("c", "Letters", [(name, 2), ("2. Orbiter", 1)], narrow=narrow))
    assert " ".join(texts(svg)[:-3]) == name  # then "2", "2. Orbiter", "1"
    assert not any(text.endswith("…") for text in texts(svg))


def test_a_chinese_name_is_cut_into_lines_between_characters():
    name = "在任务框架内发射并运行自己的航天器"  # 17 characters, 16 to a line
    svg = parse(bar_chart("c", "Letters", [(name, 2)]))
    assert texts(svg)[:2] == [name[:16], name[16:]]


def test_every_chart_is_drawn_again_for_a_phone_with_ids_of_its_own():
    markup = for_every_screen(bar_chart, "c", "Letters", [("Brazil", 2)])
    wide, narrow = ET.fromstring(f"<div>{markup}</div>")
    assert (wide.get("class"), wide.get("viewBox")) == ("chart chart-wide", "0 0 640 26")
    assert narrow.get("class") == "chart chart-narrow"
    assert narrow.get("viewBox").startswith("0 0 260 ")
    assert narrow.find(f"{SVG}title").get("id") == "c-narrow-title"
    assert narrow.get("aria-labelledby") == "c-narrow-title"


@pytest.mark.parametrize("narrow", [False, True])
def test_two_lines_that_coincide_are_told_apart_by_their_pattern_and_dots(narrow):
    svg = parse(
        step_chart(
            "c",
            "Letters",
            days(3),
            [("Started", "secondary", [1, 2, 2]), ("Submitted", "primary", [1, 2, 2])],
            narrow=narrow,
        )
    )
    started, submitted = [path.get("class") for path in svg.iter(f"{SVG}path")]
    assert started == "chart-line chart-line-1 stroke-secondary"  # the wide band under
    assert submitted == "chart-line chart-line-2 stroke-primary"  # the dashed line over it
    dots = [(dot.get("class"), dot.get("cy")) for dot in svg.iter(f"{SVG}circle")]
    # One in the legend, then one at each of the submitted line's two steps.
    assert [name for name, _y in dots] == ["chart-point stroke-primary"] * 3
    legend = [line.get("class") for line in svg.iter(f"{SVG}line")][:2]
    assert legend == [started, submitted]
    assert texts(svg)[:2] == ["Started", "Submitted"]


def test_stacked_bars_put_their_parts_end_to_end_with_a_legend():
    svg = parse(
        stacked_bar_chart(
            "c",
            "Progress",
            [("Ada", [2, 1, 1]), ("Bob", [0, 0, 2])],
            [("Submitted", "success"), ("Reviewing", "info"), ("To declare", "warning")],
        )
    )
    assert texts(svg)[:3] == ["Submitted", "Reviewing", "To declare"]
    classes = [rect.get("class") for rect in svg.iter(f"{SVG}rect")]
    assert classes == ["fill-success", "fill-info", "fill-warning"] + [
        "fill-success",
        "fill-info",
        "fill-warning",
        "fill-warning",
    ]
    ada = widths(svg)[3:6]
    assert ada[0] == 2 * ada[1] == 2 * ada[2]


def test_the_step_chart_stretches_its_days_to_reach_the_deadline():
    deadline = dt.datetime(2025, 3, 10, 18, 0)
    svg = parse(
        step_chart(
            "c",
            "Letters",
            days(3),
            [("Started", "secondary", [1, 1, 3]), ("Filed", "primary", [0, 1, 2])],
            marker=(deadline, "Deadline"),
            description="Three days of letters.",
            width=960,
        )
    )
    assert svg.get("viewBox") == "0 0 960 300"
    assert svg.find(f"{SVG}desc").text == "Three days of letters."
    assert svg.get("aria-labelledby") == "c-title c-desc"
    marker = next(line for line in svg.iter(f"{SVG}line") if line.get("class") == "chart-marker")
    paths = [path.get("d") for path in svg.iter(f"{SVG}path")]
    last_x = max(float(path.rsplit("H", 1)[1]) for path in paths)
    assert last_x < float(marker.get("x1")) < 960
    assert "1 Mar" in texts(svg) and "Deadline" in texts(svg)


def test_the_funnel_gives_each_step_its_share_of_the_first():
    svg = parse(funnel_chart("c", "Funnel", [("Registered", 8), ("Started", 4), ("Filed", 0)]))
    assert texts(svg) == [
        "Registered · 8 (100%)",
        "Started · 4 (50%)",
        "Filed · 0 (0%)",
    ]
    registered, started, filed = widths(svg)
    assert registered == 2 * started and filed == 0


def test_a_funnel_with_nobody_at_the_start_divides_by_nothing():
    svg = parse(funnel_chart("c", "Funnel", [("Registered", 0), ("Filed", 0)]))
    assert texts(svg) == ["Registered · 0 (0%)", "Filed · 0 (0%)"]
