"""What more than one meeting pack shows, written once: the headline and theme tables, the trend
as rows, the issues at risk in order, the charts as pictures and the sentences the packs share."""

from typing import Any

import altair as alt
import pandas as pd

from dashboard.formats.words import format_day, percent_label
from dashboard.reports import charts
from dashboard.reports.packs.gather import PackData, chart_frames, done_counts
from dashboard.rules.progress import DONE, Rag

NO_EARLIER_MEETING = (
    "No earlier meeting has been recorded, so there is nothing to compare with yet."
)
PEOPLE_HIDDEN = "Names of individual officers are not shown."
AT_RISK = "Overdue issues, then issues due soon and not started"
NOTHING_AT_RISK = "No issue is overdue or due soon without having started."
THEME_HEADERS = ["Theme", "Issues", "Done", "% complete", "Overdue", "Due soon"]
BURN_UP_HEADERS = ["Date", "Issues complete", "Meeting"]
# Most at risk first: the order of the ratings in Rag.
_RISK_ORDER = {rating.value: order for order, rating in enumerate(Rag)}


def percent_text(issues: Any, counted: Any, percent_complete: Any) -> str:
    """% complete of one row of a tally, in words (see words.percent_label)."""
    return percent_label(int(issues), int(counted), percent_complete)


def headline_rows(data: PackData) -> list[list[object]]:
    """The plan's headline figures as (measure, figure) rows."""
    head = data.headline
    return [
        ["Issues", int(head["issues"])],
        [f"Complete ({' or '.join(DONE)})", data.percent],
        ["Overdue", int(head["overdue"])],
        ["Due soon and not started", int(head["amber"])],
    ]


def theme_rows(data: PackData) -> list[list[str]]:
    """Per theme: name, issues, done, % complete, overdue, due soon (as text)."""
    themes = data.themes
    return [
        [str(t), str(n), str(d), percent_text(n, c, p), str(o), str(a)]
        for t, n, d, c, p, o, a in zip(
            themes["theme"], themes["issues"], done_counts(themes), themes["counted"],
            themes["percent_complete"], themes["overdue"], themes["amber"], strict=True,
        )
    ]  # fmt: skip


def burn_up_rows(data: PackData) -> list[list[str]]:
    """The burn-up's numbers as table rows: date, issues complete, meetings that day."""
    held = data.meetings.groupby("held_on")["title"].agg("; ".join)
    return [
        [format_day(d), str(c), str(held.get(d, ""))]
        for d, c in zip(data.burn_up["day"], data.burn_up["complete"], strict=True)
    ]


def most_at_risk_first(issues: pd.DataFrame) -> pd.DataFrame:
    """The issues ordered Red, Amber, Green, Complete, Not applicable (stable within each)."""
    return issues.assign(order=issues["rating"].map(_RISK_ORDER)).sort_values(
        "order", kind="stable"
    )


def at_risk(data: PackData) -> pd.DataFrame:
    """The overdue issues, then those due soon and not started, each soonest due first."""
    risky = data.issues[data.issues["rating"].isin([Rag.RED.value, Rag.AMBER.value])]
    return risky.assign(order=risky["rating"].map(_RISK_ORDER)).sort_values(
        ["order", "due_date"], kind="stable"
    )


def chart(data: PackData, name: str) -> alt.Chart:
    """The chart a slide names: "themes" (issues by status per theme) or "burn_up"."""
    return charts.BY_NAME[name](*chart_frames(data, name))


def chart_png(data: PackData, name: str, width: int = 560) -> tuple[bytes, str]:
    """A chart as PNG (rendered by vl-convert, no browser) and its description for alt text."""
    import vl_convert

    drawn = chart(data, name).properties(width=width)
    png = vl_convert.vegalite_to_png(drawn.to_json(), scale=2)
    return png, str(drawn.description)
