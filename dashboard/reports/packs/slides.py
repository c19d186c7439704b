"""The slides of a meeting pack, one list drawn by presentation mode (pages/present.py) and by
the PowerPoint builder (powerpoint.py): title, overall progress, one per theme, since the last
meeting, overdue and risks.

Every slide fits a 1280×720 frame (the browser at projector size; 13.333 × 7.5 inches in
PowerPoint, 96 pixels to the inch). A table too long for its slide continues on the next one,
titled "… (continued)": rows are shared out by their height, estimated from the wrapped lines
of each cell at its column's width (`row_height`), not by a fixed count. An issue's words are
never cut short: a row too tall for a slide of its own carries on at the top of the next.
Issues that are done (complete, embedded or not applicable) are listed by ref on their theme's
first slide, so no issue is left out."""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from dashboard.formats.words import format_day, plural
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
from dashboard.rules.progress import CLOSED, OVERDUE_RULE, PERCENT_RULE

# ------------------------------------------------------------------ the frame (pixels)
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
CONTENT_WIDTH = 1184  # inside the side margins
GAP = 16  # between two blocks of a slide
# Above the title: the margin and the bar of buttons (First, Previous, Next, Last, leave).
TOP = 84
BOTTOM = 24  # kept free under the last block
TITLE_LINE, TITLE_CHARS = 46, 54  # a line of the title; characters it holds
SUBTITLE = 28
FIGURES = 106  # the row of big figures
TEXT_LINE, TEXT_CHARS = 33, 96  # a line of a sentence on a slide; characters it holds
CHART_BELOW = 48  # "Show the chart as a table", under a chart
TABLE_FONT = 17.6  # px (1.1rem)
TABLE_LINE = 26.4  # a line of a table cell
ROW_PADDING = 18  # a row's padding and rule
CHARACTER = 8.8  # px: a generous average width of a character at TABLE_FONT
CELL_PADDING = 16  # px kept free at the right of each cell
BESIDE_CHART = 600  # px: the width of a table with a chart beside it
CHART_HEIGHT = 400  # px: the tallest a chart is drawn (less where the slide has less room)
CHART_LEAST = 160  # px: the least

CONTINUED = "Continued on the next slide."
BURN_UP_TITLE = "Issues complete over time"


@dataclass(frozen=True)
class SlideTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    numeric: frozenset[int] = frozenset()
    # Each column's share of the table's width (they add up to 1).
    widths: tuple[float, ...] = ()
    # Where each row leads: (page, query) of the app's page for it, or None.
    links: tuple[tuple[str, dict[str, str]] | None, ...] = ()
    link_column: int = 0  # the column whose cells are the links
    width: int = CONTENT_WIDTH  # px


@dataclass(frozen=True)
class Slide:
    """One slide: a title, a line under it, big figures, a table, a chart and plain sentences
    (`lines` above the table, `footer` under it)."""

    title: str
    subtitle: str = ""
    figures: tuple[tuple[str, str], ...] = ()
    table: SlideTable | None = None
    chart: str | None = None  # "themes" or "burn_up"
    lines: tuple[str, ...] = ()
    footer: str = ""


# ------------------------------------------------------------------ heights


def wrapped_lines(text: str, characters: int) -> int:
    """How many lines `text` takes wrapped at `characters` a line (at least one)."""
    if characters < 1:
        characters = 1
    return max(1, len(textwrap.wrap(str(text), characters, break_long_words=True)) or 1)


def column_characters(table: SlideTable) -> list[int]:
    """The characters a line of each column holds."""
    widths = table.widths or tuple(1 / len(table.headers) for _ in table.headers)
    return [max(1, int((table.width * w - CELL_PADDING) / CHARACTER)) for w in widths]


def row_height(table: SlideTable, row: Sequence[str]) -> float:
    """A row's height in px: its tallest cell, wrapped at its column's width."""
    characters = column_characters(table)
    lines = max(wrapped_lines(v, c) for v, c in zip(row, characters, strict=True))
    return lines * TABLE_LINE + ROW_PADDING


def table_height(table: SlideTable) -> float:
    return row_height(table, table.headers) + sum(row_height(table, r) for r in table.rows)


def _text_height(lines: Sequence[str]) -> float:
    return sum(wrapped_lines(line, TEXT_CHARS) * TEXT_LINE + GAP for line in lines)


def above_table(slide: Slide) -> float:
    """Where a slide's table starts, in px from the top of the frame."""
    height: float = TOP + wrapped_lines(slide.title, TITLE_CHARS) * TITLE_LINE + GAP
    if slide.subtitle:
        height += SUBTITLE + GAP
    height += _text_height(slide.lines)
    if slide.figures:
        height += FIGURES + GAP
    return height


def below_table(slide: Slide) -> float:
    """The room a slide keeps under its table, in px."""
    height = BOTTOM + (_text_height([slide.footer]) if slide.footer else 0)
    if slide.chart is not None:
        height += CHART_BELOW
    return height


def chart_height(slide: Slide) -> int:
    """The height a slide's chart is drawn at: what the slide has room for, up to
    CHART_HEIGHT."""
    room = SLIDE_HEIGHT - above_table(slide) - below_table(slide)
    return int(max(CHART_LEAST, min(CHART_HEIGHT, room)))


def slide_height(slide: Slide) -> float:
    """The estimated height of a slide's content, in px (at most SLIDE_HEIGHT when it fits)."""
    middle = table_height(slide.table) if slide.table is not None else 0.0
    if slide.chart is not None:
        middle = max(middle, chart_height(slide))
    return above_table(slide) + middle + below_table(slide)


# ------------------------------------------------------------------ sharing rows out


def _split_row(table: SlideTable, row: list[str], room: float) -> tuple[list[str], list[str]]:
    """A row cut in two at a word boundary of its longest cell, the first part fitting `room`
    px: ("words …", "… the rest"). The first part is empty when not even a line fits."""
    longest = max(range(len(row)), key=lambda c: len(row[c]))
    characters = column_characters(table)[longest]
    lines = textwrap.wrap(row[longest], characters, break_long_words=True)
    fit = int((room - ROW_PADDING) // TABLE_LINE) - 1  # a line kept for the "…"
    if fit < 1:
        return [], row
    head = " ".join(lines[:fit]) + " …"
    tail = "… " + " ".join(lines[fit:])
    first, rest = list(row), list(row)
    first[longest], rest[longest] = head, tail
    return first, rest


def share_rows(
    table: SlideTable, rooms: Sequence[float], then: float, reserve: float = 0
) -> list[SlideTable]:
    """The table in parts, one a slide: the first slides have the `rooms` (px for the table,
    its header included), every later one `then`; a part with more to come keeps `reserve` px
    free (for "Continued on the next slide"). A row never runs past its slide's room: one too
    tall for a slide of its own is cut at a word and carries on at the top of the next."""
    parts: list[SlideTable] = []
    pending = list(zip(table.rows, table.links or [None] * len(table.rows), strict=True))
    header = row_height(table, table.headers)

    def room_of(part: int) -> float:
        return rooms[part] if part < len(rooms) else then

    def used(rows: list[list[str]]) -> float:
        return sum(row_height(table, r) for r in rows)

    while pending:
        room = room_of(len(parts)) - header
        rows: list[list[str]] = []
        links: list[tuple[str, dict[str, str]] | None] = []
        while pending:
            row, link = pending[0]
            height = row_height(table, row)
            last = len(pending) == 1  # nothing would follow it: no "continued" under it
            if height <= room - (0 if last else reserve):
                rows.append(row)
                links.append(link)
                room -= height
                pending.pop(0)
                continue
            fresh = room_of(len(parts) + 1) - header - (0 if last else reserve)
            if rows and height <= fresh:
                break  # it fits a slide of its own: it starts the next one
            first, rest = _split_row(table, row, room - reserve)
            if first:
                rows.append(first)
                links.append(link)
                pending[0] = (rest, link)
            break
        if not rows:
            if len(parts) >= len(rooms):  # (a frame too small for a line: never in practice)
                rows.append(pending[0][0])
                links.append(pending.pop(0)[1])
            else:  # not a line fits under this slide's figures: the next slide has more room
                parts.append(replace(table, rows=[], links=()))
                continue
        parts.append(replace(table, rows=rows, links=tuple(links)))
    return parts or [table]


def _room(slide: Slide) -> float:
    return SLIDE_HEIGHT - above_table(slide) - below_table(slide)


def continued(slide: Slide, table: SlideTable | None, subtitle: str | None = None) -> list[Slide]:
    """`slide` with `table`, on as many slides as the table needs: each later slide titled
    "… (continued)", without the figures and sentences of the first, and each slide but the
    last saying it continues."""
    if table is None or not table.rows:
        return [replace(slide, table=table if table is not None and table.rows else None)]
    first = replace(slide, table=table)
    later = Slide(
        title=f"{slide.title} (continued)",
        subtitle=subtitle if subtitle is not None else slide.subtitle,
        table=table,
        chart=slide.chart,
        footer=slide.footer,
    )
    parts = share_rows(table, [_room(first)], _room(later), _text_height([CONTINUED]))
    deck = []
    for number, part in enumerate(parts):
        shown = first if number == 0 else later
        last = number == len(parts) - 1
        deck.append(
            replace(
                shown,
                table=part if part.rows else None,
                footer=slide.footer if last else CONTINUED,
            )
        )
    return deck


# ------------------------------------------------------------------ the slides


def _issue_link(issue_id: Any) -> tuple[str, dict[str, str]] | None:
    return ("issue", {"issue": str(int(issue_id))}) if pd.notna(issue_id) else None


def _refs(refs: Sequence[object]) -> str:
    return ", ".join(str(r) for r in refs)


def done_lines(issues: pd.DataFrame) -> tuple[str, ...]:
    """One sentence per status that counts as done, naming every such issue by its ref: "3
    issues complete: 1.1, 1.3, 1.4." (so the slides leave no issue out)."""
    lines = []
    for status in CLOSED:
        refs = list(issues.loc[issues["status"] == status, "ref"])
        if refs:
            lines.append(f"{plural(len(refs), 'issue')} {status.lower()}: {_refs(refs)}.")
    return tuple(lines)


def _theme_slides(data: PackData, theme: pd.Series, number: int, count: int) -> list[Slide]:
    issues = most_at_risk_first(data.issues[data.issues["section_heading"] == theme["heading"]])
    still_open = issues[~issues["status"].isin(CLOSED)]
    rag_cells, rag_headers = rag_columns(data)
    rows = [
        [str(i["ref"]), " ".join(str(i["text"]).split()), str(i["status"]),
         *[str(i[c]) for c in rag_cells]]
        for _, i in still_open.iterrows()
    ]  # fmt: skip
    widths = (0.07, 0.59, 0.14, 0.20) if len(rag_cells) == 1 else (0.06, 0.48, 0.13, 0.165, 0.165)
    table = SlideTable(
        f"Issues in {theme['theme']} not yet done, most at risk first",
        ["Ref", "Issue", "Status", *rag_headers],
        rows,
        widths=widths,
        links=tuple(_issue_link(i) for i in still_open["issue_id"]),
        link_column=1,
    )
    lines = done_lines(issues)
    if issues.empty:
        lines = ("This theme has no issues.",)
    elif still_open.empty:
        lines = ("Every issue in this theme is done.", *lines)
    subtitle = f"Theme {number} of {count}"
    first = Slide(
        title=str(theme["theme"]),
        subtitle=subtitle,
        figures=(
            ("Issues", str(theme["issues"])),
            (
                "Complete",
                percent_text(theme["issues"], theme["counted"], theme["percent_complete"]),
            ),
            *[(k, str(v)) for k, v in risk_figures(data, theme, "Due soon, not started")],
        ),
        lines=lines,
    )
    return continued(first, table, f"{subtitle}: issues not yet done, continued")


def slides(data: PackData) -> list[Slide]:
    """Title; overall progress; one per theme; since the last meeting; overdue and risks (each
    on as many slides as it needs)."""
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
        deck.extend(_theme_slides(data, theme, number, count))
    deck.extend(_since_slides(data))
    deck.extend(_risk_slides(data))
    return deck


def _since_slides(data: PackData) -> list[Slide]:
    since = data.changes
    if since is None:
        return [
            Slide(
                title="Since the last meeting",
                lines=(
                    NO_EARLIER_MEETING,
                    "Record a meeting on the Meetings page to compare next time.",
                ),
                chart="burn_up",
            )
        ]
    counts = since.counts()
    by_theme = data.changes_by_theme.set_index("name")
    sections = dict(zip(data.themes["theme"], data.themes["section_id"], strict=True))
    shown = [t for t in data.themes["theme"] if t in by_theme.index]  # the plan's order
    rows = [
        [str(t)] + [str(by_theme.at[t, k])
                    for k in ("Newly complete", "Newly overdue", "RAG changed",
                              "New progress notes")]
        for t in shown
    ]  # fmt: skip
    lines = []
    if not since.newly_complete.empty:
        lines.append("Newly complete: " + _refs(list(since.newly_complete["ref"])))
    if not since.newly_overdue.empty:
        lines.append("Newly overdue: " + _refs(list(since.newly_overdue["ref"])))
    if since.empty:
        lines.append("Nothing has changed since that meeting.")
    period = f"From {since.since} to {since.until}"
    first = Slide(
        title="Since the last meeting",
        subtitle=period,
        figures=tuple((kind, str(counts[kind])) for kind in CHANGE_KINDS),
        lines=tuple(lines),
    )
    table = SlideTable(
        "Changes by theme",
        ["Theme", "Complete", "Overdue", "RAG changed", "Notes"],
        rows,
        frozenset({1, 2, 3, 4}),
        widths=(0.44, 0.14, 0.14, 0.14, 0.14),
        links=tuple(
            ("themes", {"plan": data.plan_slug, "theme": str(int(sections[t]))}) for t in shown
        ),
    )
    # The trend on a slide of its own: beside the figures and the table it would not fit.
    trend = Slide(title=BURN_UP_TITLE, subtitle=period, chart="burn_up")
    return [*continued(first, table), trend]


def _risk_slides(data: PackData) -> list[Slide]:
    risky = at_risk(data)
    rag_cells, rag_headers = rag_columns(data)
    rows = [
        [str(i["ref"]), " ".join(str(i["text"]).split()), " ".join(str(i["leads"]).split()),
         str(i["due"]), *[str(i[c]) for c in rag_cells]]
        for _, i in risky.iterrows()
    ]  # fmt: skip
    widths = (
        (0.06, 0.45, 0.2, 0.11, 0.18)
        if len(rag_cells) == 1
        else (0.06, 0.36, 0.18, 0.1, 0.15, 0.15)
    )
    first = Slide(
        title="Overdue and risks",
        subtitle=OVERDUE_RULE,
        figures=tuple(
            (k, str(v)) for k, v in risk_figures(data, data.headline, "Due soon, not started")
        ),
        lines=(NOTHING_AT_RISK,) if risky.empty else (),
    )
    table = SlideTable(
        at_risk_caption(data),
        ["Ref", "Issue", "Leads", "Due by", *rag_headers],
        rows,
        widths=widths,
        links=tuple(_issue_link(i) for i in risky["issue_id"]),
        link_column=1,
    )
    return continued(first, table, f"{at_risk_caption(data)}, continued")
