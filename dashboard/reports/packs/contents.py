"""What more than one meeting pack shows, written once: the headline and theme tables, the trend
as rows, the issues at risk in order, the charts as pictures and the sentences the packs share."""

from typing import Any

import altair as alt
import pandas as pd

from dashboard.formats.words import RAG_BY_DATES, RAG_COUNCIL, format_day, percent_label
from dashboard.reports import charts
from dashboard.reports.packs.gather import PackData, chart_frames, done_counts
from dashboard.rules.progress import DONE, Rag

NO_EARLIER_MEETING = (
    "No earlier meeting has been recorded, so there is nothing to compare with yet."
)
PEOPLE_HIDDEN = "Names of individual officers are not shown."
NOTHING_TO_REPORT = "Nothing to report."  # under a heading of changes with none (never "None.")
AT_RISK = "Overdue issues, then issues due soon and not started"
AT_RISK_COUNCIL = (
    "Issues the council rates Red, then Amber (by their dates where it has not rated them)"
)
COUNCIL_RED = "Red (council's rating)"
COUNCIL_AMBER = "Amber (council's rating)"
NOTHING_AT_RISK = "No issue is overdue or due soon without having started."
THEME_HEADERS = ["Theme", "Issues", "Done", "% complete", "Overdue", "Due soon"]
BURN_UP_HEADERS = ["Date", "Issues complete", "Meeting"]
# Most at risk first: the order of the ratings in Rag.
_RISK_ORDER = {rating.value: order for order, rating in enumerate(Rag)}


def percent_text(issues: Any, counted: Any, percent_complete: Any) -> str:
    """% complete of one row of a tally, in words (see words.percent_label)."""
    return percent_label(int(issues), int(counted), percent_complete)


def risk_figures(data: PackData, tally: Any, due_soon: str) -> list[tuple[str, int]]:
    """Overdue and due soon (`due_soon`: these words) of one row of a tally; for a plan whose
    figures use the council's own rating, overdue and its Red and Amber instead."""
    overdue = ("Overdue", int(tally["overdue"]))
    if not data.by_council:
        return [overdue, (due_soon, int(tally["amber"]))]
    return [overdue, (COUNCIL_RED, int(tally["red"])), (COUNCIL_AMBER, int(tally["amber"]))]


def headline_rows(data: PackData, percent: object = None) -> list[list[object]]:
    """The plan's headline figures as (measure, figure) rows; % complete in words unless
    `percent` gives it (a workbook's fraction)."""
    head = data.headline
    return [
        ["Issues", int(head["issues"])],
        [f"Complete ({' or '.join(DONE)})", data.percent if percent is None else percent],
        *[[k, v] for k, v in risk_figures(data, head, "Due soon and not started")],
    ]


def theme_headers(data: PackData) -> list[str]:
    """The headings of theme_rows."""
    return THEME_HEADERS[:4] + [k for k, _ in risk_figures(data, data.headline, "Due soon")]


def theme_rows(data: PackData) -> list[list[str]]:
    """Per theme: name, issues, done, % complete, overdue, due soon (or the council's Red and
    Amber; see theme_headers), as text."""
    themes = data.themes
    return [
        [str(theme["theme"]), str(theme["issues"]), str(done),
         percent_text(theme["issues"], theme["counted"], theme["percent_complete"]),
         *[str(v) for _, v in risk_figures(data, theme, "Due soon")]]
        for (_, theme), done in zip(themes.iterrows(), done_counts(themes), strict=True)
    ]  # fmt: skip


def rag_columns(data: PackData) -> tuple[list[str], list[str]]:
    """The RAG columns of an issue table: (columns of data.issues, their headings): the rating
    by dates alone, or beside it the council's own when some issue has one."""
    if not data.has_own_ratings:
        return ["rag"], ["RAG"]
    return ["rag", "own_rag"], [RAG_BY_DATES, RAG_COUNCIL]


def at_risk_caption(data: PackData) -> str:
    return AT_RISK_COUNCIL if data.by_council else AT_RISK


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
    """The issues the plan's figures count as Red, then Amber, each soonest due first: by dates,
    the overdue issues, then those due soon and not started."""
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
