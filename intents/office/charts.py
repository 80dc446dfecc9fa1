"""Charts drawn on the server as SVG markup: no script, sized by their viewBox so they follow the
page's width, coloured with Bootstrap's palette through the classes of portal.css (`fill-<colour>`,
`stroke-<colour>`). Each is an image with a title for screen readers; the page puts a table with
the same numbers right under it. Labels and titles are escaped like any template text."""

import datetime as dt
import math

from django.utils.html import format_html, format_html_join

from portal.presentation import day_text

WIDTH = 640
# A phone's charts are drawn again, as wide as a 320 px screen's card: text keeps its 12 px
# there instead of shrinking with the picture (portal.css shows one drawing or the other).
NARROW_WIDTH = 260
LEGEND = 24  # height of the legend's line
LINE = 14  # height of a line of a label cut into lines
ROW = 26  # a bar and the space under it
BAR = 18
LABEL_WIDTH = 200  # the bar charts' column of labels
VALUE_WIDTH = 48  # room for the number after the longest bar
TIMELINE_HEIGHT = 300
NARROW_TIMELINE_HEIGHT = 220
FUNNEL_ROW = 56
LABEL_LINES = 3  # a label longer than that is cut short (its tooltip and table hold it whole)


def for_every_screen(draw, chart_id, *args, **kwargs):
    """The chart drawn twice, for wide screens and for phones: `draw` is one of the functions
    below, given `narrow=True` the second time (its ids get a "-narrow" suffix)."""
    return format_html(
        "{}{}",
        draw(chart_id, *args, **kwargs),
        draw(f"{chart_id}-narrow", *args, narrow=True, **kwargs),
    )


def bar_chart(chart_id, title, rows, *, colour="primary", description="", narrow=False):
    """Horizontal bars: `rows` of (label, value), drawn in the order given."""
    return stacked_bar_chart(
        chart_id,
        title,
        [(label, [value]) for label, value in rows],
        [("", colour)],
        description=description,
        narrow=narrow,
    )


def stacked_bar_chart(chart_id, title, rows, series, *, description="", narrow=False):
    """Horizontal bars cut into parts: `rows` of (label, [value of each part]), `series` of
    (name, colour) for the parts; the legend names them when there is more than one. Labels
    stand beside the bars, or above them on a phone (`narrow`), cut into lines when long."""
    width = NARROW_WIDTH if narrow else WIDTH
    top = max((sum(values) for _label, values in rows), default=0) or 1
    legend, offset = _legend(series, "bar", width) if len(series) > 1 else ("", 0)
    left = 0 if narrow else LABEL_WIDTH + 8
    span = width - left - VALUE_WIDTH
    lines, y = [], offset
    for label, values in rows:
        label_lines = _lines(label, width - VALUE_WIDTH if narrow else LABEL_WIDTH)
        extra = LINE * (len(label_lines) - 1)
        if narrow:  # the label's lines, then the bar under them
            bar_y, first_line, anchor = y + LINE * len(label_lines) + 2, y + 11, "chart-label-above"
            height = LINE * len(label_lines) + BAR + 10
        else:  # the bar in the middle of the row, the label's lines centred beside it
            bar_y, height, anchor = y + extra / 2, ROW + extra, "chart-label"
            first_line = bar_y + 13 - extra / 2
        x, parts = left, []
        for value, (_name, colour) in zip(values, series, strict=True):
            if value:
                part = span * value / top
                parts.append((colour, _n(x), _n(bar_y), _n(part), BAR))
                x += part
        lines.append(
            format_html(
                '<g><title>{}: {}</title>{}{}<text x="{}" y="{}">{}</text></g>',
                label,
                sum(values),
                format_html_join(
                    "",
                    '<text class="{}" x="{}" y="{}">{}</text>',
                    (
                        (anchor, 0 if narrow else LABEL_WIDTH, _n(first_line + LINE * n), text)
                        for n, text in enumerate(label_lines)
                    ),
                ),
                format_html_join(
                    "",
                    '<rect class="fill-{}" x="{}" y="{}" width="{}" height="{}"/>',
                    parts,
                ),
                _n(x + 6),
                _n(bar_y + 13),
                sum(values),
            )
        )
        y += height
    return _svg(chart_id, title, description, y, legend, *lines, width=width, narrow=narrow)


def step_chart(
    chart_id, title, days, series, *, marker=None, description="", width=WIDTH, narrow=False
):
    """Running totals per day, as steps: `days` are consecutive dates, `series` are (name,
    colour, a value for each day); `marker` is (a local datetime, its label), drawn as a dashed
    vertical line (the deadline), the days axis stretched to reach it. A chart given the page's
    whole width can be drawn wider, so that its text keeps about the same size as the others'.
    The first series is a wide band, the others thin dashed lines with a dot at each step, so
    that lines which coincide stay told apart (and without colour)."""
    if narrow:
        width = NARROW_WIDTH
    height = NARROW_TIMELINE_HEIGHT if narrow else TIMELINE_HEIGHT
    legend, legend_height = _legend([(name, colour) for name, colour, _v in series], "line", width)
    left, right, top, bottom = 36 if narrow else 44, width - 12, legend_height + 20, height - 24
    first, last = days[0], days[-1]
    if marker:
        first, last = min(first, marker[0].date()), max(last, marker[0].date())
    span = (last - first).days + 1

    def x(position):  # in days since the first
        return left + (right - left) * position / span

    peak = max((max(values, default=0) for _name, _colour, values in series), default=0)
    ceiling, step = _scale(peak)

    def y(value):
        return bottom - (bottom - top) * value / ceiling

    grid = [
        format_html(
            '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
            '<text class="chart-label" x="{}" y="{}">{}</text>',
            left,
            right,
            _n(y(value)),
            _n(y(value)),
            left - 6,
            _n(y(value) + 4),
            value,
        )
        for value in range(0, ceiling + 1, step)
    ]
    every = max(1, math.ceil(span / (3 if narrow else 6)))
    ticks = [
        format_html(
            '<text class="chart-middle chart-muted" x="{}" y="{}">{}</text>',
            _n(x(offset + 0.5)),
            bottom + 16,
            day_text(first + dt.timedelta(days=offset)),
        )
        for offset in range(0, span, every)
    ]
    start = (days[0] - first).days
    lines = []
    for index, (_name, colour, values) in enumerate(series, start=1):
        path, level, steps = [f"M{_n(x(start))},{_n(y(0))}"], 0, []
        for position, value in enumerate(values, start=start):
            if value != level:  # a step only where the total changes
                path.append(f"H{_n(x(position))}V{_n(y(value))}")
                steps.append((colour, _n(x(position)), _n(y(value))))
                level = value
        path.append(f"H{_n(x(start + len(values)))}")
        lines.append(
            format_html(
                '<path class="chart-line chart-line-{} stroke-{}" d="{}"/>{}',
                index,
                colour,
                "".join(path),
                format_html_join(
                    "",
                    '<circle class="chart-point stroke-{}" cx="{}" cy="{}" r="3"/>',
                    steps if index > 1 else [],
                ),
            )
        )
    if marker:
        moment, label = marker
        seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
        at = x((moment.date() - first).days + seconds / 86400)
        lines.append(
            format_html(
                '<line class="chart-marker" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart-marker-label {}" x="{}" y="{}">{}</text>',
                _n(at),
                _n(at),
                top - 14,
                bottom,
                "chart-label" if at > width * 0.75 else "chart-middle",
                _n(at),
                top - 18,
                label,
            )
        )
    axis = format_html(
        '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/>', left, right, bottom, bottom
    )
    return _svg(
        chart_id,
        title,
        description,
        height,
        legend,
        *grid,
        *ticks,
        axis,
        *lines,
        width=width,
        narrow=narrow,
    )


def funnel_chart(chart_id, title, stages, *, colour="primary", description="", narrow=False):
    """`stages` of (label, count), widest first: each a bar centred under the first, as wide as
    its share of it, under its label, count and share."""
    width = NARROW_WIDTH if narrow else WIDTH
    first = stages[0][1] if stages else 0
    span = width - 2 * 8
    lines, y = [], 0
    for label, value in stages:
        share = value / first if first else 0
        # A stage with anything in it stays visible, however thin its share.
        bar = max(span * share, 2) if value else 0
        words = _lines(f"{label} · {value} ({round(100 * share)}%)", span)
        lines.append(
            format_html(
                '{}<rect class="fill-{}" x="{}" y="{}" width="{}" height="{}"/>',
                format_html_join(
                    "",
                    '<text class="chart-middle" x="{}" y="{}">{}</text>',
                    ((width // 2, y + 14 + LINE * n, text) for n, text in enumerate(words)),
                ),
                colour,
                _n((width - bar) / 2),
                y + 22 + LINE * (len(words) - 1),
                _n(bar),
                BAR + 6,
            )
        )
        y += FUNNEL_ROW + LINE * (len(words) - 1)
    return _svg(chart_id, title, description, y, *lines, width=width, narrow=narrow)


def _svg(chart_id, title, description, height, *parts, width=WIDTH, narrow=False):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{}" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title{}"><title id="{}-title">{}</title>{}{}</svg>',
        "narrow" if narrow else "wide",
        width,
        _n(max(height, 1)),
        chart_id,
        f" {chart_id}-desc" if description else "",
        chart_id,
        title,
        format_html('<desc id="{}-desc">{}</desc>', chart_id, description) if description else "",
        format_html_join("", "{}", ((part,) for part in parts)),
    )


def _legend(series, kind, width):
    """The series' names, each after a sample of its bar or line, on as many lines as `width`
    asks; and the height they take."""
    items, x, y = [], 0, 0
    for index, (name, colour) in enumerate(series, start=1):
        room = 22 + _text_width(name) + 18
        if x and x + room - 18 > width:
            x, y = 0, y + LEGEND
        if kind == "line":
            swatch = format_html(
                '<line class="chart-line chart-line-{} stroke-{}" '
                'x1="{}" x2="{}" y1="{}" y2="{}"/>',
                index,
                colour,
                x,
                x + 18,
                y + 8,
                y + 8,
            )
            if index > 1:
                swatch = format_html(
                    '{}<circle class="chart-point stroke-{}" cx="{}" cy="{}" r="3"/>',
                    swatch,
                    colour,
                    x + 9,
                    y + 8,
                )
        else:
            swatch = format_html(
                '<rect class="fill-{}" x="{}" y="{}" width="12" height="12"/>', colour, x, y + 3
            )
        items.append(format_html('{}<text x="{}" y="{}">{}</text>', swatch, x + 22, y + 13, name))
        x += room
    return format_html_join("", "{}", ((item,) for item in items)), y + LEGEND


def _scale(peak):
    """The top of the value axis and its step: round numbers, at most about four steps."""
    if peak <= 0:
        return 1, 1
    rough = peak / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= rough)
    step = max(1, round(step))
    return step * math.ceil(peak / step), step


def _text_width(text):
    # Roughly, at the charts' 12px: Chinese characters take about twice a Latin letter's width.
    return sum(12 if ord(char) >= 0x2E80 else 7 for char in str(text))


def _fit(label, width):
    """The label, cut short with an ellipsis when it would not fit in `width`."""
    label = str(label)
    if _text_width(label) <= width:
        return label
    while label and _text_width(label) + 7 > width:
        label = label[:-1]
    return label.rstrip() + "…"


def _lines(label, width):
    """The label cut into lines of at most `width`, at a space where there is one (Chinese
    needs none), at most LABEL_LINES of them, the last cut short with an ellipsis if the label
    is longer still."""
    lines, rest = [], " ".join(str(label).split())
    while len(lines) < LABEL_LINES - 1 and _text_width(rest) > width:
        fits = len(rest)
        while fits > 1 and _text_width(rest[:fits]) > width:
            fits -= 1
        space = rest.rfind(" ", 0, fits + 1)
        end = space if space > 0 else fits
        lines.append(rest[:end])
        rest = rest[end:].lstrip()
    return [*lines, _fit(rest, width)]


def _n(number):
    """A coordinate, to a tenth."""
    return f"{number:.1f}".removesuffix(".0")
