"""Meeting packs: the slides of presentation mode, and the same content as PowerPoint, a PDF for
committee papers and an Excel workbook. Everything is gathered once by `pack_data`; the builders
are pure functions returning bytes.

Packs use words and plain shapes, never emoji (no emoji font on a committee clerk's printer).
"""

import io
from dataclasses import dataclass, field
from datetime import date
from html import escape
from typing import Any

import altair as alt
import pandas as pd
from sqlmodel import Session

from dashboard.formats import words
from dashboard.formats.headers import COLUMNS
from dashboard.formats.pdf import html_document, render_pdf, table_html
from dashboard.formats.sheets import neutralise, rows_to_xlsx
from dashboard.formats.words import format_due
from dashboard.reads import exports, meetings, progress
from dashboard.reports import charts
from dashboard.rules import progress as rules
from dashboard.rules.timescale import Precision
from models import Organisation, Plan

HIDDEN_PERSON = "Named officer"
MAX_SLIDE_ROWS = 8  # rows in a slide's table before "and N more"
CHANGE_KINDS = (
    "Newly complete",
    "Newly overdue",
    "RAG changed",
    "Due date slipped",
    "New progress notes",
    "New evidence",
)


@dataclass(frozen=True)
class PackData:
    """Everything a pack shows, gathered once: plain values and DataFrames (safe to cache)."""

    plan_id: int
    plan_slug: str
    plan_title: str
    organisation: str
    today: date
    amber_days: int
    hide_people: bool
    headline: dict[str, Any]
    themes: pd.DataFrame  # theme, heading, issues, one column per status, percent_complete, ...
    services: pd.DataFrame  # lead, issues, done, not_applicable, overdue, percent
    issues: pd.DataFrame  # theme, ref, text, leads, services, status, rag, due, last_note
    changes: meetings.Changes | None
    changes_by_theme: pd.DataFrame
    changes_by_service: pd.DataFrame
    burn_up: pd.DataFrame
    meetings: pd.DataFrame  # held_on, title: marked on the burn-up chart
    export_rows: list[dict[str, str]] = field(default_factory=list)

    @property
    def percent(self) -> str:
        head = self.headline
        return words.percent_label(
            int(head["issues"]), int(head["counted"]), head["percent_complete"]
        )


def _hide(names: str, people: set[str]) -> str:
    """Leads joined by " / " with each person's name replaced (each shown once)."""
    shown = [HIDDEN_PERSON if n in people else n for n in names.split(" / ") if n]
    return " / ".join(dict.fromkeys(shown))


def pack_data(
    session: Session,
    plan_id: int,
    since_meeting_id: int | None,
    today: date,
    amber_days: int,
    hide_people: bool,
) -> PackData:
    """Gather one plan's figures, issues, changes since a meeting and trend for every pack."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise meetings.MeetingError("That plan no longer exists.")
    organisation = session.get(Organisation, plan.organisation_id)
    filters = progress.Filters(plan_id=plan_id)
    head = progress.headline(session, filters, today, amber_days)
    leads = progress.leads(session, plan_id)
    people = _people(session, plan_id) if hide_people else set()
    service_of = {
        str(name): str(parent or name)
        for name, parent in zip(leads["name"], leads["parent"], strict=True)
    }

    themes = progress.progress_by_theme(session, filters, today, amber_days)
    names = progress.themes(session, plan_id)
    themes = themes.merge(names[["section_id", "heading"]], on="section_id", how="left")
    theme_of = dict(zip(names["heading"], names["theme"], strict=True))

    services = progress.progress_by_service(session, filters, today, amber_days)
    services = pd.DataFrame(
        {
            "lead": [
                HIDDEN_PERSON if kind == "person" and hide_people else name
                for name, kind in zip(services["lead"], services["kind"], strict=True)
            ],
            "issues": services["issues"],
            "done": services["Complete"] + services["Embedded"],
            "not_applicable": services["Not applicable"],
            "overdue": services["overdue"],
            "percent": [
                words.percent_label(i, c, p)
                for i, c, p in zip(
                    services["issues"], services["counted"], services["percent_complete"],
                    strict=True,
                )
            ],
        }
    )  # fmt: skip

    states = meetings.issue_states(session, today, amber_days, plan_id).reset_index(drop=True)
    issues = pd.DataFrame(
        {
            "issue_id": states["issue_id"],
            "theme": states["section_heading"].map(theme_of).fillna(states["section_heading"]),
            "section_heading": states["section_heading"],
            "ref": states["ref"],
            "text": states["text"],
            "leads": [_hide(str(n), people) for n in states["leads"]],
            "services": [
                " / ".join(dict.fromkeys(service_of.get(n, n) for n in str(names).split(" / ")))
                for names in states["leads"]
            ],
            "status": states["status"],
            "rag": [
                words.rag_text(r, pd.notna(d))
                for r, d in zip(states["rag"], states["due_date"], strict=True)
            ],
            "rating": states["rag"],
            "due_date": states["due_date"],
            "due": [
                format_due(d, Precision(p) if p else None) if pd.notna(d) else "No due date"
                for d, p in zip(states["due_date"], states["due_precision"], strict=True)
            ],
            "last_note": states["last_note"].fillna(""),
        }
    )
    issues["services"] = [_hide(s, people) for s in issues["services"]]

    changes, by_theme, by_service = _since(
        session, plan_id, since_meeting_id, None, today, amber_days, issues, people
    )
    rows = exports.export_rows(session, plan.slug)
    if people:
        for row in rows:
            row["leads"] = _hide(row["leads"], people)
    held = meetings.meetings(session)
    return PackData(
        plan_id=plan_id,
        plan_slug=plan.slug,
        plan_title=plan.title,
        organisation=organisation.name if organisation else "",
        today=today,
        amber_days=amber_days,
        hide_people=hide_people,
        headline={k: head[k] for k in head.index},
        themes=themes,
        services=services,
        issues=issues,
        changes=changes,
        changes_by_theme=by_theme,
        changes_by_service=by_service,
        burn_up=meetings.burn_up(session, plan_id, today),
        meetings=held[["held_on", "title"]].sort_values("held_on").reset_index(drop=True),
        export_rows=rows,
    )


@dataclass(frozen=True)
class SinceReport:
    """What changed between a meeting and a later one (or now), with counts per theme and per
    lead service."""

    changes: meetings.Changes
    by_theme: pd.DataFrame  # name + one column per kind of change
    by_service: pd.DataFrame


def since_report(
    session: Session,
    plan_id: int,
    since_meeting_id: int,
    until_meeting_id: int | None,
    today: date,
    amber_days: int,
    hide_people: bool = False,
) -> SinceReport:
    """The since-last-meeting report of one plan, as the Meetings page shows it."""
    data = pack_data(session, plan_id, None, today, amber_days, hide_people)
    people = _people(session, plan_id) if hide_people else set()
    changes, by_theme, by_service = _since(
        session, plan_id, since_meeting_id, until_meeting_id, today, amber_days, data.issues,
        people,
    )  # fmt: skip
    assert changes is not None
    return SinceReport(changes, by_theme, by_service)


def _people(session: Session, plan_id: int) -> set[str]:
    leads = progress.leads(session, plan_id)
    return set(leads.loc[leads["kind"] == "person", "name"])


def _since(
    session: Session,
    plan_id: int,
    since_meeting_id: int | None,
    until_meeting_id: int | None,
    today: date,
    amber_days: int,
    issues: pd.DataFrame,
    people: set[str],
) -> tuple[meetings.Changes | None, pd.DataFrame, pd.DataFrame]:
    empty = pd.DataFrame(columns=["name", *CHANGE_KINDS])
    if since_meeting_id is None:
        return None, empty, empty
    changes = meetings.changes_between(
        session, since_meeting_id, until_meeting_id, today=today, amber_days=amber_days,
        plan_id=plan_id,
    )  # fmt: skip
    for frame in (changes.newly_complete, changes.newly_overdue, changes.rag_changes,
                  changes.slipped, changes.new_issues):  # fmt: skip
        if "leads" in frame:
            frame["leads"] = [_hide(str(n), people) for n in frame["leads"]]
    by_theme = meetings.changes_by(changes, issues, "theme").rename(columns={"theme": "name"})
    by_service = meetings.changes_by(changes, issues, "services").rename(
        columns={"services": "name"}
    )
    return changes, by_theme, by_service


# --- Slides: one list, drawn by presentation mode and by the PowerPoint builder ---------------


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


def _pct(issues: Any, counted: Any, percent_complete: Any) -> str:
    return words.percent_label(int(issues), int(counted), percent_complete)


def theme_rows(data: PackData) -> list[list[str]]:
    """Per theme: name, issues, done, % complete, overdue, due soon (as text)."""
    themes = data.themes
    done = themes["Complete"] + themes["Embedded"]
    return [
        [str(t), str(n), str(d), _pct(n, c, p), str(o), str(a)]
        for t, n, d, c, p, o, a in zip(
            themes["theme"], themes["issues"], done, themes["counted"],
            themes["percent_complete"], themes["overdue"], themes["amber"], strict=True,
        )
    ]  # fmt: skip


THEME_HEADERS = ["Theme", "Issues", "Done", "% complete", "Overdue", "Due soon"]
_RISK_ORDER = {"Red": 0, "Amber": 1, "Green": 2, "Complete": 3, "Not applicable": 4}


def _theme_slide(data: PackData, theme: pd.Series, number: int, count: int) -> Slide:
    issues = data.issues[data.issues["section_heading"] == theme["heading"]].copy()
    issues["order"] = issues["rating"].map(_RISK_ORDER)
    issues = issues.sort_values("order", kind="stable")
    rows = [
        [str(i.ref), _short(i.text, 70), str(i.status), str(i.rag)]
        for i in issues.head(MAX_SLIDE_ROWS).itertuples()
    ]
    more = len(issues) - MAX_SLIDE_ROWS
    return Slide(
        title=str(theme["theme"]),
        subtitle=f"Theme {number} of {count}",
        figures=(
            ("Issues", str(theme["issues"])),
            ("Complete", _pct(theme["issues"], theme["counted"], theme["percent_complete"])),
            ("Overdue", str(theme["overdue"])),
            ("Due soon, not started", str(theme["amber"])),
        ),
        table=SlideTable(
            f"Issues in {theme['theme']}, most at risk first",
            ["Ref", "Issue", "Status", "RAG"],
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
        title_lines.append("Names of individual officers are not shown.")
    deck = [
        Slide(
            title=data.plan_title,
            subtitle=f"Progress report · figures as at {words.format_day(data.today)}",
            lines=tuple(title_lines),
        ),
        Slide(
            title="Overall progress",
            subtitle=rules.PERCENT_RULE,
            figures=(
                ("Issues", str(int(head["issues"]))),
                ("Complete", data.percent),
                ("Overdue", str(int(head["overdue"]))),
                ("Due soon, not started", str(int(head["amber"]))),
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
                "No earlier meeting has been recorded, so there is nothing to compare with yet.",
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
    risky = data.issues[data.issues["rating"].isin(["Red", "Amber"])].copy()
    risky["order"] = risky["rating"].map(_RISK_ORDER)
    risky = risky.sort_values(["order", "due_date"], kind="stable")
    rows = [
        [str(i.ref), _short(i.text, 60), _short(i.leads, 40), str(i.due), str(i.rag)]
        for i in risky.head(MAX_SLIDE_ROWS).itertuples()
    ]
    more = len(risky) - MAX_SLIDE_ROWS
    lines = (f"And {more} more: see the full plan.",) if more > 0 else ()
    if risky.empty:
        lines = ("No issue is overdue or due soon without having started.",)
    return Slide(
        title="Overdue and risks",
        subtitle=rules.OVERDUE_RULE,
        figures=(
            ("Overdue", str(int(data.headline["overdue"]))),
            ("Due soon, not started", str(int(data.headline["amber"]))),
        ),
        table=SlideTable(
            "Overdue issues, then issues due soon and not started",
            ["Ref", "Issue", "Leads", "Due by", "RAG"],
            rows,
        )
        if rows
        else None,
        lines=lines,
    )


# --- Charts ---------------------------------------------------------------------------------


def chart_frames(data: PackData, name: str) -> tuple[pd.DataFrame, ...]:
    """The data the chart a slide names ("themes" or "burn_up", see charts.BY_NAME) is drawn
    from."""
    return (data.themes,) if name == "themes" else (data.burn_up, data.meetings)


def chart(data: PackData, name: str) -> alt.Chart:
    """The chart a slide names: "themes" (issues by status per theme) or "burn_up"."""
    return charts.BY_NAME[name](*chart_frames(data, name))


def chart_png(data: PackData, name: str, width: int = 560) -> tuple[bytes, str]:
    """A chart as PNG (rendered by vl-convert, no browser) and its description for alt text."""
    import vl_convert

    drawn = chart(data, name).properties(width=width)
    png = vl_convert.vegalite_to_png(drawn.to_json(), scale=2)
    return png, str(drawn.description)


def burn_up_rows(data: PackData) -> list[list[str]]:
    """The burn-up's numbers as table rows: date, issues complete, meetings that day."""
    held = data.meetings.groupby("held_on")["title"].agg("; ".join)
    return [
        [words.format_day(d), str(c), str(held.get(d, ""))]
        for d, c in zip(data.burn_up["day"], data.burn_up["complete"], strict=True)
    ]


# --- PowerPoint -----------------------------------------------------------------------------


def pptx_bytes(data: PackData) -> bytes:
    """The slides of presentation mode as a PowerPoint file: native tables, charts as PNG with
    alt text."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    ink, muted, panel = (
        RGBColor(0x0B, 0x0C, 0x0C),
        RGBColor(0x50, 0x5A, 0x5F),
        RGBColor(0xF3, 0xF2, 0xF1),
    )
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]

    def text(slide, x, y, w, h, words, size, *, bold=False, colour=ink):  # type: ignore[no-untyped-def]
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        frame = box.text_frame
        frame.word_wrap = True
        frame.text = words
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
        return box

    for number, content in enumerate(slides(data), start=1):
        slide = deck.slides.add_slide(blank)
        first = number == 1
        text(slide, 0.6, 2.4 if first else 0.4, 12.1, 1.2, content.title, 40 if first else 32,
             bold=True)  # fmt: skip
        if content.subtitle:
            text(slide, 0.6, 3.6 if first else 1.15, 12.1, 0.6, content.subtitle,
                 20 if first else 14, colour=muted)  # fmt: skip
        y = 4.4 if first else 1.8
        if content.figures:
            width = 12.1 / len(content.figures)
            for i, (label, value) in enumerate(content.figures):
                box = slide.shapes.add_shape(
                    1, Inches(0.6 + i * width), Inches(y), Inches(width - 0.15), Inches(1.2)
                )
                box.fill.solid()
                box.fill.fore_color.rgb = panel
                box.line.fill.background()
                box.shadow.inherit = False
                frame = box.text_frame
                frame.text = value
                frame.paragraphs[0].runs[0].font.size = Pt(32)
                frame.paragraphs[0].runs[0].font.bold = True
                label_run = frame.add_paragraph().add_run()
                label_run.text = label
                label_run.font.size = Pt(13)
                for paragraph in frame.paragraphs:
                    for run in paragraph.runs:
                        run.font.color.rgb = ink
            y += 1.45
        for line in content.lines:
            text(slide, 0.6, y, 12.1, 0.5, line, 18)
            y += 0.55
        table_width = 6.4 if content.chart else 12.1
        if content.table is not None:
            _pptx_table(slide, content.table, 0.6, y, table_width, ink)
        if content.chart and not first:
            alone = content.table is None
            png, description = chart_png(data, content.chart, width=700 if alone else 560)
            picture = slide.shapes.add_picture(
                io.BytesIO(png), Inches(0.6 if alone else 7.2), Inches(y),
                width=Inches(12.1 if alone else 5.6),
            )  # fmt: skip
            if picture.height > Inches(7.3 - y):
                ratio = Inches(7.3 - y) / picture.height
                picture.height = int(picture.height * ratio)
                picture.width = int(picture.width * ratio)
            picture._element.nvPicPr.cNvPr.set("descr", description)
            picture.name = description[:60]
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _pptx_table(slide, table: SlideTable, x: float, y: float, width: float, ink) -> None:  # type: ignore[no-untyped-def]
    from pptx.dml.color import RGBColor
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Inches, Pt

    rows = len(table.rows) + 1
    size = 14 if rows <= 7 else 12
    shape = slide.shapes.add_table(
        rows, len(table.headers), Inches(x), Inches(y), Inches(width), Inches(0.4 * rows)
    )
    shape.name = table.caption
    grid = shape.table
    wide = 1 if table.headers[0] == "Ref" else 0  # the column holding the long text
    narrow = (width * 0.45) / max(len(table.headers) - 1, 1)
    for i, column in enumerate(grid.columns):
        column.width = Inches(width - narrow * (len(table.headers) - 1) if i == wide else narrow)
    for r, values in enumerate([table.headers, *table.rows]):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = value
            cell.fill.solid()
            cell.fill.fore_color.rgb = (
                RGBColor(0xF3, 0xF2, 0xF1) if r == 0 else RGBColor(0xFF, 0xFF, 0xFF)
            )
            for paragraph in cell.text_frame.paragraphs:
                if c in table.numeric:
                    paragraph.alignment = PP_ALIGN.RIGHT
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0
                    run.font.color.rgb = ink


# --- PDF for committee papers ---------------------------------------------------------------


def _img(png: bytes, alt: str) -> str:
    import base64

    source = base64.b64encode(png).decode("ascii")
    return f"<img src='data:image/png;base64,{source}' alt='{escape(alt, quote=True)}' class=chart>"


def _change_tables(data: PackData) -> str:
    since = data.changes
    if since is None:
        return (
            "<p>No earlier meeting has been recorded, so there is nothing to compare with yet.</p>"
        )
    parts = [f"<p>From {escape(since.since)} to {escape(since.until)}.</p>"]
    counts = since.counts()
    parts.append(
        table_html(
            "Changes in number", ["Change", "Issues"], [[k, counts[k]] for k in CHANGE_KINDS], {1}
        )  # fmt: skip
    )
    for caption, name, frame in (
        ("Changes by theme", "Theme", data.changes_by_theme),
        ("Changes by lead service", "Lead service", data.changes_by_service),
    ):
        parts.append(
            table_html(caption, [name, *CHANGE_KINDS],
                       frame[["name", *CHANGE_KINDS]].values.tolist(), set(range(1, 7)))
            .replace("<table>", "<table class=wide-first>", 1)
            if not frame.empty
            else f"<p><strong>{escape(caption)}:</strong> none.</p>"
        )  # fmt: skip
    detail = [
        ("Newly complete", since.newly_complete, ["ref", "text", "status_before", "status"],
         ["Ref", "Issue", "Was", "Now"]),
        ("Newly overdue", since.newly_overdue, ["ref", "text", "leads", "due_date"],
         ["Ref", "Issue", "Leads", "Due by"]),
        ("RAG changes", since.rag_changes, ["ref", "text", "rag_before", "rag"],
         ["Ref", "Issue", "Was", "Now"]),
        ("Due dates slipped", since.slipped, ["ref", "text", "due_date_before", "due_date"],
         ["Ref", "Issue", "Was due", "Now due"]),
        ("New progress notes", since.notes, ["ref", "to_status", "note", "at"],
         ["Ref", "Status", "Note", "When"]),
        ("New evidence", since.evidence, ["ref", "title", "file_name", "added_at"],
         ["Ref", "Evidence", "File", "When"]),
    ]  # fmt: skip
    for heading, frame, columns, headers in detail:
        parts.append(f"<h3>{escape(heading)}</h3>")
        if frame.empty:
            parts.append("<p>None.</p>")
            continue
        rows = [[_cell(v) for v in row] for row in frame[columns].itertuples(index=False)]
        parts.append(table_html(f"{heading}: {len(rows)}", headers, rows))
    return "".join(parts)


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, date):
        return words.format_day(value)
    return str(value)


def pdf_html(data: PackData) -> str:
    """The committee paper as an accessible HTML document (rendered to PDF by pdf_bytes)."""
    head = data.headline
    themes_png, themes_alt = chart_png(data, "themes", width=280)
    burn_png, burn_alt = chart_png(data, "burn_up", width=560)
    since = data.changes
    parts = [
        "<section class=cover>",
        f"<p class=muted>{escape(data.organisation)}</p>",
        f"<h1>{escape(data.plan_title)}</h1>",
        "<p class=lead>Progress report</p>",
        f"<p>Figures as at {escape(words.format_day(data.today))}.</p>",
        f"<p>Changes since: {escape(since.since)}.</p>" if since else "",
        "<p>Names of individual officers are not shown.</p>" if data.hide_people else "",
        "<h2>Contents</h2><ol><li>Summary</li><li>Progress by lead service</li>"
        "<li>Since the last meeting</li><li>Overdue and due soon</li><li>Trend</li>"
        "<li>Each theme</li><li>Appendix: every issue</li></ol>",
        "</section>",
        "<h2>Summary</h2>",
        table_html(
            "Headline figures",
            ["Measure", "Figure"],
            [
                ["Issues", int(head["issues"])],
                ["Complete (Complete or Embedded)", data.percent],
                ["Overdue", int(head["overdue"])],
                ["Due soon and not started", int(head["amber"])],
                *[[s, int(head[s])] for s in rules.STATUSES],
            ],
            {1},
        ),
        f"<p class=muted>{escape(rules.PERCENT_RULE)} "
        f"{escape(rules.rag_rule(data.amber_days))}</p>",
        table_html("Progress by theme", THEME_HEADERS, theme_rows(data), {1, 2, 3, 4, 5}),
        _img(themes_png, themes_alt),
        "<h2>Progress by lead service</h2>",
        f"<p class=muted>{escape(rules.SERVICE_RULE)}</p>",
        table_html(
            "Progress by lead service, furthest behind first",
            ["Lead", "Issues", "Done", "Not applicable", "Overdue", "% complete"],
            data.services[
                ["lead", "issues", "done", "not_applicable", "overdue", "percent"]
            ].values.tolist(),
            {1, 2, 3, 4, 5},
        ),
        "<h2>Since the last meeting</h2>",
        _change_tables(data),
        "<h2>Overdue and due soon</h2>",
        f"<p class=muted>{escape(rules.OVERDUE_RULE)}</p>",
    ]
    risky = data.issues[data.issues["rating"].isin(["Red", "Amber"])].sort_values(
        ["rating", "due_date"], ascending=[False, True], kind="stable"
    )
    parts.append(
        table_html(
            "Overdue issues, then issues due soon and not started",
            ["Ref", "Theme", "Issue", "Leads", "Due by", "RAG"],
            risky[["ref", "theme", "text", "leads", "due", "rag"]].values.tolist(),
        )
        if not risky.empty
        else "<p>No issue is overdue or due soon without having started.</p>"
    )
    parts += [
        "<h2>Trend</h2>",
        _img(burn_png, burn_alt),
        table_html(
            "Issues complete over time",
            ["Date", "Issues complete", "Meeting"],
            burn_up_rows(data),
            {1},
        ),  # fmt: skip
        "<h2 class=appendix>Each theme</h2>",
    ]
    for theme in data.themes.itertuples():
        issues = data.issues[data.issues["section_heading"] == theme.heading]
        parts.append(f"<h3>{escape(str(theme.theme))}</h3>")
        parts.append(
            f"<p>{theme.issues} issues; "
            f"{escape(_pct(theme.issues, theme.counted, theme.percent_complete))} complete; "
            f"{theme.overdue} overdue; {theme.amber} due soon and not started.</p>"
        )
        parts.append(
            table_html(
                f"Issues in {theme.theme}",
                ["Ref", "Issue", "Leads", "Status", "RAG", "Due by"],
                issues[["ref", "text", "leads", "status", "rag", "due"]].values.tolist(),
            )
        )
    parts += [
        "<h2 class=appendix>Appendix: every issue</h2>",
        table_html(
            "Every issue with its latest progress note",
            ["Ref", "Theme", "Issue", "Leads", "Status", "Due by", "Latest progress note"],
            data.issues[
                ["ref", "theme", "text", "leads", "status", "due", "last_note"]
            ].values.tolist(),
        ),
    ]
    css = (
        ".cover h1 { margin-top: 60mm; font-size: 28pt; } .lead { font-size: 16pt; }"
        " img.chart { width: 100%; margin: 2mm 0 4mm 0; }"
        " table.wide-first td:first-child { width: 34%; }"
    )
    return html_document(f"{data.plan_title}: progress report", "".join(parts), css)


def pdf_bytes(data: PackData) -> bytes:
    """The committee paper as a tagged PDF."""
    return render_pdf(pdf_html(data))


# --- Excel ----------------------------------------------------------------------------------


def xlsx_bytes(data: PackData) -> bytes:
    """The full plan in the import format (sheet "Issues", re-imports with `python -m dashboard
    import`) plus a "Summary" sheet; formula-like cells are neutralised in both."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    workbook = load_workbook(io.BytesIO(rows_to_xlsx(data.export_rows, COLUMNS)))
    sheet = workbook.create_sheet("Summary")
    head = data.headline
    bold = Font(bold=True)

    def put(*values: object, strong: bool = False) -> None:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in values])
        if strong:
            for cell in sheet[sheet.max_row]:
                cell.font = bold

    put(data.plan_title, strong=True)
    put(f"Figures as at {words.format_day(data.today)}")
    if data.hide_people:
        put("Names of individual officers are not shown.")
    put()
    put("Measure", "Figure", strong=True)
    put("Issues", int(head["issues"]))
    put("Complete (Complete or Embedded)", data.percent)
    put("Overdue", int(head["overdue"]))
    put("Due soon and not started", int(head["amber"]))
    put()
    put(*THEME_HEADERS, strong=True)
    for row in theme_rows(data):
        put(row[0], *[int(v) if v.isdigit() else v for v in row[1:]])
    put()
    if data.changes is None:
        put("No earlier meeting has been recorded, so there is nothing to compare with yet.")
    else:
        put(f"Since {data.changes.since}", "Issues", strong=True)
        for kind, n in data.changes.counts().items():
            put(kind, n)
        put()
        put("New progress notes", strong=True)
        put("Ref", "Status", "Note", strong=True)
        for note in data.changes.notes.itertuples():
            put(str(note.ref), str(note.to_status), str(note.note or ""))
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
