"""Altair charts built from the progress DataFrames: plain functions, no Streamlit, so tests can
inspect the spec and meeting packs can render the same chart to PNG or SVG.

On screen a chart is drawn on the server as SVG (`to_svg`) and shown as an image with the chart's
description as its text alternative (`as_image`), beside a "Show as a table" alternative. The
browser then has no charting library to load and run: on the overview that was most of the time
between the first heading and the chart appearing (README → Performance).
"""

import base64
import functools
import html
import re
from collections.abc import Callable

import altair as alt
import pandas as pd

from dashboard.formats.bars import STATUS_COLOURS
from dashboard.formats.tables import PHONE
from dashboard.formats.words import day_text
from dashboard.rules.progress import STATUSES

TEXT = "#0b0c0c"  # the app's text colour (19.9:1 on white)
NARROW_SCREEN = PHONE  # a phone: charts with a narrow version show that one


def theme_status_chart(themes: pd.DataFrame) -> alt.Chart:
    """Stacked horizontal bars: issues per theme by status (columns theme + one per status)."""
    long = themes.melt(
        id_vars=["position", "theme", "percent_complete"],
        value_vars=list(STATUSES),
        var_name="Status",
        value_name="Issues",
    )
    long["order"] = long["Status"].map({s: i for i, s in enumerate(STATUSES)})
    long["Theme"] = [
        f"{t} ({int(p)}% complete)" if pd.notna(p) else f"{t} (no % complete)"
        for t, p in zip(long["theme"], long["percent_complete"], strict=True)
    ]
    theme_order = list(dict.fromkeys(long.sort_values("position")["Theme"]))
    summary = ", ".join(
        f"{t}: {int(n)} issues" for t, n in zip(themes["theme"], themes["issues"], strict=True)
    )
    return (
        alt.Chart(
            long[long["Issues"] > 0], description=f"Issues by status in each theme. {summary}"
        )
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("Issues:Q", title="Issues", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("Theme:N", sort=theme_order, title=None, axis=alt.Axis(labelLimit=560)),
            color=alt.Color(
                "Status:N",
                scale=alt.Scale(domain=list(STATUSES), range=list(STATUS_COLOURS.values())),
                legend=alt.Legend(title="Status", orient="right"),
            ),
            order=alt.Order("order:Q"),
            tooltip=["Theme:N", "Status:N", "Issues:Q"],
        )
        .properties(height=alt.Step(36))
        .configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=13, titleFontSize=13)
        .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFontSize=13, titleFontSize=13)
    )


def burn_up_chart(burn: pd.DataFrame, meetings: pd.DataFrame, *, narrow: bool = False) -> alt.Chart:
    """Issues complete over time (columns day, complete) as a stepped line, with each meeting
    (columns held_on, title) marked by a dashed vertical rule and its title. `narrow`: the
    version for a phone's screen (NARROW_WIDTH), drawn at its own size so its text stays at
    least 12 px: fewer, shorter dates on its axis."""
    line_data = burn.assign(Day=pd.to_datetime(burn["day"]), Complete=burn["complete"])
    marks = meetings.assign(Day=pd.to_datetime(meetings["held_on"]), Meeting=meetings["title"])
    summary = (
        f"Issues complete rose from {int(burn['complete'].iloc[0])} to "
        f"{int(burn['complete'].iloc[-1])}."
        if not burn.empty
        else "No issue has been completed yet."
    )
    if not marks.empty:  # the dashed lines are hidden from screen readers; say them here
        summary += (
            " Meetings: "
            + "; ".join(
                f"{title}, {day_text(day)}"
                for title, day in zip(marks["Meeting"], marks["Day"], strict=True)
            )
            + "."
        )
    line = (
        alt.Chart(line_data[["Day", "Complete"]])
        .mark_line(
            interpolate="step-after",
            color=STATUS_COLOURS["Complete"],
            strokeWidth=3,
            description="Issues complete over time",
        )  # fmt: skip
        .encode(
            x=alt.X(
                "Day:T",
                title="Date",
                axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=3, labelOverlap=True)
                if narrow
                else alt.Axis(format="%-d %b %Y", labelAngle=0),
            ),
            y=alt.Y(
                "Complete:Q", title="Issues complete", axis=alt.Axis(tickMinStep=1, format="d")
            ),
            tooltip=[alt.Tooltip("Day:T", format="%-d %b %Y"), "Complete:Q"],
        )
    )
    points = line.mark_point(
        filled=True, size=60, color=STATUS_COLOURS["Complete"],
        description="Issues complete on each day with an update",
    )  # fmt: skip
    rules = (
        alt.Chart(marks[["Day", "Meeting"]])
        .mark_rule(color=TEXT, strokeDash=[6, 4], strokeWidth=1.5, aria=False)
        .encode(x="Day:T", tooltip=[alt.Tooltip("Day:T", format="%-d %b %Y"), "Meeting:N"])
    )
    labels = rules.mark_text(
        align="left", dx=4, dy=-6, baseline="bottom", color=TEXT, aria=False,
        # on a phone a long title ends in "…" (the text alternative and the table say it whole)
        **({"limit": NARROW_LABEL_LIMIT} if narrow else {}),
    ).encode(text="Meeting:N", y=alt.value(0))  # fmt: skip
    return (
        alt.layer(line, points, rules, labels)
        .properties(
            height=240 if narrow else 280,
            padding={"left": 5, "top": 20, "right": 8 if narrow else 40, "bottom": 5},
            description=f"Issues complete over time, meetings marked by dashed lines. {summary}",
            # a phone's version is as wide as asked, its labels included: never scaled down
            **({"autosize": {"type": "fit", "contains": "padding"}} if narrow else {}),
        )
        .configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=13, titleFontSize=13)
        .configure_text(fontSize=13 if narrow else 12)
    )


def narrow_burn_up_chart(burn: pd.DataFrame, meetings: pd.DataFrame) -> alt.Chart:
    return burn_up_chart(burn, meetings, narrow=True)


# Every chart the app draws, by the name slides and screens use for it.
BY_NAME: dict[str, Callable[..., alt.Chart]] = {
    "themes": theme_status_chart,
    "burn_up": burn_up_chart,
}
# The charts that have a phone's version, drawn NARROW_WIDTH wide and shown below NARROW_SCREEN.
NARROW_BY_NAME: dict[str, Callable[..., alt.Chart]] = {"burn_up": narrow_burn_up_chart}
NARROW_WIDTH = 340  # the whole drawing: within the 358 px a 390 px phone gives a page
NARROW_LABEL_LIMIT = 120  # px of a meeting's title on a phone's chart


STYLE = (
    ".eflg-chart{margin:0 0 1rem;}.eflg-chart img{display:block;max-width:100%;height:auto;}"
    ".eflg-chart img.eflg-narrow{display:none;}"
    f"@media {NARROW_SCREEN}{{.eflg-chart img.eflg-wide:has(+ img.eflg-narrow){{display:none;}}"
    ".eflg-chart img.eflg-narrow{display:block;}}"
)


def to_svg(chart: alt.TopLevelMixin, width: int) -> str:
    """The chart drawn as SVG by vl-convert (no browser), its plotting area ``width`` pixels.
    The spec is not validated against Vega-Lite's schema on every draw (half the time of building
    it); tests/unit/test_charts.py validates each chart the app draws."""
    return _drawn(chart.properties(width=width).to_json(validate=False))


def forget_drawings() -> None:
    """Forget every chart drawn so far (the benchmark's cold runs: as after a change that moved
    the counts)."""
    _drawn.cache_clear()


@functools.lru_cache(maxsize=64)
def _drawn(spec: str) -> str:
    """Drawing takes ~100 ms; the spec holds the chart's data, so the same spec (a change that did
    not move the counts, a filter chosen again) is drawn once per server process."""
    import vl_convert

    return str(vl_convert.vegalite_to_svg(spec))


def _size(svg: str) -> tuple[str, str]:
    size = re.search(r'<svg[^>]* width="(\d+)" height="(\d+)"', svg)
    return (size.group(1), size.group(2)) if size else ("", "")


def _data(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def as_image(svg: str, description: str, narrow: str | None = None) -> str:
    """HTML for a drawn chart: an <img> (the SVG travels inside the page) whose alt text is the
    chart's description, at its own size and never wider than the page. With `narrow` (the
    phone's version), a screen below NARROW_SCREEN shows that one instead (STYLE hides the other,
    from screen readers too; Streamlit's HTML cleaning drops a <picture>'s data: sources)."""
    alt = html.escape(description)

    def image(drawing: str, kind: str) -> str:
        width, height = _size(drawing)
        return (
            f'<img class="{kind}" src="{_data(drawing)}" width="{width}" height="{height}" '
            f'alt="{alt}">'
        )

    if narrow is None:
        return f'<figure class="eflg-chart">{image(svg, "eflg-wide")}</figure>'
    return (
        f'<figure class="eflg-chart">{image(svg, "eflg-wide")}'
        f"{image(narrow, 'eflg-narrow')}</figure>"
    )
