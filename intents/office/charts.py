"""Charts drawn on the server as SVG markup: no script, sized by their viewBox so they follow the
page's width, coloured with Bootstrap's palette through the classes of portal.css (`fill-<colour>`,
`stroke-<colour>`). Each is an image with a title for screen readers; the page puts a table with
the same numbers right under it. Labels and titles are escaped like any template text."""

import datetime as dt
import math

from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join

WIDTH = 640
LEGEND = 24  # height of the legend's line
ROW = 26  # a bar and the space under it
BAR = 18
LABEL_WIDTH = 200  # the bar charts' column of labels
VALUE_WIDTH = 48  # room for the number after the longest bar
TIMELINE_HEIGHT = 300
FUNNEL_ROW = 56


def bar_chart(chart_id, title, rows, *, colour="primary", description=""):
    """Horizontal bars: `rows` of (label, value), drawn in the order given."""
    return stacked_bar_chart(
        chart_id,
        title,
        [(label, [value]) for label, value in rows],
        [("", colour)],
        description=description,
    )


def stacked_bar_chart(chart_id, title, rows, series, *, description=""):
    """Horizontal bars cut into parts: `rows` of (label, [value of each part]), `series` of
    (name, colour) for the parts; the legend names them when there is more than one."""
    top = max((sum(values) for _label, values in rows), default=0) or 1
    legend = _legend(series, "bar") if len(series) > 1 else ""
    offset = LEGEND if legend else 0
    left = LABEL_WIDTH + 8
    span = WIDTH - left - VALUE_WIDTH
    lines = []
    for index, (label, values) in enumerate(rows):
        y = offset + index * ROW
        x, parts = left, []
        for value, (_name, colour) in zip(values, series, strict=True):
            if value:
                width = span * value / top
                parts.append((colour, _n(x), _n(y), _n(width), BAR))
                x += width
        lines.append(
            format_html(
                '<g><title>{}: {}</title><text class="chart-label" x="{}" y="{}">{}</text>{}'
                '<text x="{}" y="{}">{}</text></g>',
                label,
                sum(values),
                LABEL_WIDTH,
                y + 13,
                _fit(label, LABEL_WIDTH),
                format_html_join(
                    "",
                    '<rect class="fill-{}" x="{}" y="{}" width="{}" height="{}"/>',
                    parts,
                ),
                _n(x + 6),
                y + 13,
                sum(values),
            )
        )
    height = offset + len(rows) * ROW
    return _svg(chart_id, title, description, height, legend, *lines)


def step_chart(chart_id, title, days, series, *, marker=None, description="", width=WIDTH):
    """Running totals per day, as steps: `days` are consecutive dates, `series` are (name,
    colour, a value for each day); `marker` is (a local datetime, its label), drawn as a dashed
    vertical line (the deadline), the days axis stretched to reach it. A chart given the page's
    whole width can be drawn wider, so that its text keeps about the same size as the others'."""
    left, right, top, bottom = 44, width - 12, LEGEND + 20, TIMELINE_HEIGHT - 24
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
    every = max(1, math.ceil(span / 6))
    ticks = [
        format_html(
            '<text class="chart-middle chart-muted" x="{}" y="{}">{}</text>',
            _n(x(offset + 0.5)),
            bottom + 16,
            format_date(first + dt.timedelta(days=offset), "m-d"),
        )
        for offset in range(0, span, every)
    ]
    start = (days[0] - first).days
    lines = []
    for index, (_name, colour, values) in enumerate(series, start=1):
        path, level = [f"M{_n(x(start))},{_n(y(0))}"], 0
        for position, value in enumerate(values, start=start):
            if value != level:  # a step only where the total changes
                path.append(f"H{_n(x(position))}V{_n(y(value))}")
                level = value
        path.append(f"H{_n(x(start + len(values)))}")
        lines.append(
            format_html(
                '<path class="chart-line chart-line-{} stroke-{}" d="{}"/>',
                index,
                colour,
                "".join(path),
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
    legend = _legend([(name, colour) for name, colour, _values in series], "line")
    return _svg(
        chart_id,
        title,
        description,
        TIMELINE_HEIGHT,
        legend,
        *grid,
        *ticks,
        axis,
        *lines,
        width=width,
    )


def funnel_chart(chart_id, title, stages, *, colour="primary", description=""):
    """`stages` of (label, count), widest first: each a bar centred under the first, as wide as
    its share of it, under its label, count and share."""
    first = stages[0][1] if stages else 0
    span = WIDTH - 2 * 8
    lines = []
    for index, (label, value) in enumerate(stages):
        y = index * FUNNEL_ROW
        share = value / first if first else 0
        # A stage with anything in it stays visible, however thin its share.
        width = max(span * share, 2) if value else 0
        lines.append(
            format_html(
                '<text class="chart-middle" x="{}" y="{}">{} · {} ({}%)</text>'
                '<rect class="fill-{}" x="{}" y="{}" width="{}" height="{}"/>',
                WIDTH // 2,
                y + 14,
                _fit(label, WIDTH - 160),
                value,
                round(100 * share),
                colour,
                _n((WIDTH - width) / 2),
                y + 22,
                _n(width),
                BAR + 6,
            )
        )
    return _svg(chart_id, title, description, len(stages) * FUNNEL_ROW, *lines)


def _svg(chart_id, title, description, height, *parts, width=WIDTH):
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{}-title{}"><title id="{}-title">{}</title>{}{}</svg>',
        width,
        _n(max(height, 1)),
        chart_id,
        f" {chart_id}-desc" if description else "",
        chart_id,
        title,
        format_html('<desc id="{}-desc">{}</desc>', chart_id, description) if description else "",
        format_html_join("", "{}", ((part,) for part in parts)),
    )


def _legend(series, kind):
    items, x = [], 0
    for name, colour in series:
        if kind == "line":
            swatch = format_html(
                '<line class="chart-line chart-line-{} stroke-{}" x1="{}" x2="{}" y1="8" y2="8"/>',
                len(items) + 1,
                colour,
                x,
                x + 18,
            )
        else:
            swatch = format_html(
                '<rect class="fill-{}" x="{}" y="3" width="12" height="12"/>', colour, x
            )
        items.append(format_html('{}<text x="{}" y="13">{}</text>', swatch, x + 22, name))
        x += 22 + _text_width(name) + 18
    return format_html_join("", "{}", ((item,) for item in items))


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


def _n(number):
    """A coordinate, to a tenth."""
    return f"{number:.1f}".removesuffix(".0")
