"""The slides of a meeting pack, one list drawn by presentation mode (pages/present.py) and by
the PowerPoint builder (powerpoint.py): title, overall progress, one per theme, since the last
meeting, overdue and risks."""

from dataclasses import dataclass

import pandas as pd

from dashboard.formats.words import format_day
from dashboard.reports.packs.contents import (
    NO_EARLIER_MEETING,
    NOTHING_AT_RISK,
    PEOPLE_HIDDEN,
    at_risk,
    at_risk_caption,
    most_at_risk_first,
    percent_text,
    rag_columns,
    risk_figures,
)
from dashboard.reports.packs.gather import CHANGE_KINDS, PackData
from dashboard.rules.progress import OVERDUE_RULE, PERCENT_RULE

MAX_SLIDE_ROWS = 8  # rows in a slide's table before "and N more"


@dataclass(frozen=True)
class SlideTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Slide:
    """One slide: a title, a line under it, big figures, a table, a chart and plain sentences."""

    title: str
    subtitle: str = ""
    figures: tuple[tuple[str, str], ...] = ()
    table: SlideTable | None = None
    chart: str | None = None  # "themes" or "burn_up"
    lines: tuple[str, ...] = ()


def _short(text: object, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _theme_slide(data: PackData, theme: pd.Series, number: int, count: int) -> Slide:
    issues = most_at_risk_first(data.issues[data.issues["section_heading"] == theme["heading"]])
    rag_cells, rag_headers = rag_columns(data)
    rows = [
        [str(i["ref"]), _short(i["text"], 70), str(i["status"]), *[str(i[c]) for c in rag_cells]]
        for _, i in issues.head(MAX_SLIDE_ROWS).iterrows()
    ]
    more = len(issues) - MAX_SLIDE_ROWS
    return Slide(
        title=str(theme["theme"]),
        subtitle=f"Theme {number} of {count}",
        figures=(
            ("Issues", str(theme["issues"])),
            (
                "Complete",
                percent_text(theme["issues"], theme["counted"], theme["percent_complete"]),
            ),
            *[(k, str(v)) for k, v in risk_figures(data, theme, "Due soon, not started")],
        ),
        table=SlideTable(
            f"Issues in {theme['theme']}, most at risk first",
            ["Ref", "Issue", "Status", *rag_headers],
            rows,
        )
        if rows
        else None,
        lines=(f"And {more} more issues: see the full plan.",) if more > 0 else (),
    )


def slides(data: PackData) -> list[Slide]:
    """Title; overall progress; one per theme; since the last meeting; overdue and risks."""
    head = data.headline
    since = data.changes
    title_lines = [data.organisation] if data.organisation else []
    if since is not None:
        title_lines.append(f"Changes since: {since.since}")
    if data.hide_people:
        title_lines.append(PEOPLE_HIDDEN)
    deck = [
        Slide(
            title=data.plan_title,
            subtitle=f"Progress report · figures as at {format_day(data.today)}",
            lines=tuple(title_lines),
        ),
        Slide(
            title="Overall progress",
            subtitle=PERCENT_RULE,
            figures=(
                ("Issues", str(int(head["issues"]))),
                ("Complete", data.percent),
                *[(k, str(v)) for k, v in risk_figures(data, head, "Due soon, not started")],
            ),
            chart="themes",  # full width; its numbers are on each theme's own slide
        ),
    ]
    count = len(data.themes)
    for number, (_, theme) in enumerate(data.themes.iterrows(), start=1):
        deck.append(_theme_slide(data, theme, number, count))
    deck.append(_since_slide(data))
    deck.append(_risk_slide(data))
    return deck


def _since_slide(data: PackData) -> Slide:
    since = data.changes
    if since is None:
        return Slide(
            title="Since the last meeting",
            lines=(
                NO_EARLIER_MEETING,
                "Record a meeting on the Meetings page to compare next time.",
            ),
            chart="burn_up",
        )
    counts = since.counts()
    by_theme = data.changes_by_theme.set_index("name")
    rows = [  # only the themes where something changed, in the plan's order
        [str(t)] + [str(by_theme.at[t, k])
                    for k in ("Newly complete", "Newly overdue", "RAG changed",
                              "New progress notes")]
        for t in data.themes["theme"]
        if t in by_theme.index
    ]  # fmt: skip
    lines = []
    if not since.newly_complete.empty:
        lines.append("Newly complete: " + ", ".join(since.newly_complete["ref"].astype(str)))
    if not since.newly_overdue.empty:
        lines.append("Newly overdue: " + ", ".join(since.newly_overdue["ref"].astype(str)))
    if since.empty:
        lines.append("Nothing has changed since that meeting.")
    return Slide(
        title="Since the last meeting",
        subtitle=f"From {since.since} to {since.until}",
        figures=tuple((kind, str(counts[kind])) for kind in CHANGE_KINDS),
        table=SlideTable(
            "Changes by theme",
            ["Theme", "Complete", "Overdue", "RAG changed", "Notes"],
            rows,
            frozenset({1, 2, 3, 4}),
        )
        if rows
        else None,
        chart="burn_up",
        lines=tuple(lines),
    )


def _risk_slide(data: PackData) -> Slide:
    risky = at_risk(data)
    rag_cells, rag_headers = rag_columns(data)
    rows = [
        [str(i["ref"]), _short(i["text"], 60), _short(i["leads"], 40), str(i["due"]),
         *[str(i[c]) for c in rag_cells]]
        for _, i in risky.head(MAX_SLIDE_ROWS).iterrows()
    ]  # fmt: skip
    more = len(risky) - MAX_SLIDE_ROWS
    lines = (f"And {more} more: see the full plan.",) if more > 0 else ()
    if risky.empty:
        lines = (NOTHING_AT_RISK,)
    return Slide(
        title="Overdue and risks",
        subtitle=OVERDUE_RULE,
        figures=tuple(
            (k, str(v)) for k, v in risk_figures(data, data.headline, "Due soon, not started")
        ),
        table=SlideTable(
            at_risk_caption(data),
            ["Ref", "Issue", "Leads", "Due by", *rag_headers],
            rows,
        )
        if rows
        else None,
        lines=lines,
    )
