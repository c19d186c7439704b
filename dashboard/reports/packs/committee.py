"""A meeting pack as a paper for committee: an accessible HTML document (headings, captions,
header cells), rendered to a tagged PDF by dashboard/formats/pdf.py."""

import base64
from datetime import date
from html import escape

import pandas as pd

from dashboard.formats.pdf import html_document, render_pdf, table_html
from dashboard.formats.words import format_day
from dashboard.reports.packs.contents import (
    BURN_UP_HEADERS,
    NO_EARLIER_MEETING,
    NOTHING_AT_RISK,
    NOTHING_TO_REPORT,
    PEOPLE_HIDDEN,
    at_risk,
    at_risk_caption,
    burn_up_rows,
    chart_png,
    headline_rows,
    percent_text,
    rag_columns,
    theme_headers,
    theme_rows,
)
from dashboard.reports.packs.gather import CHANGE_KINDS, PackData
from dashboard.rules.progress import OVERDUE_RULE, PERCENT_RULE, SERVICE_RULE, STATUSES, rag_rule


def _img(png: bytes, alt: str) -> str:
    source = base64.b64encode(png).decode("ascii")
    return f"<img src='data:image/png;base64,{source}' alt='{escape(alt, quote=True)}' class=chart>"


def _change_tables(data: PackData) -> str:
    since = data.changes
    if since is None:
        return f"<p>{escape(NO_EARLIER_MEETING)}</p>"
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
            parts.append(f"<p>{NOTHING_TO_REPORT}</p>")
            continue
        rows = [[_cell(v) for v in row] for row in frame[columns].itertuples(index=False)]
        parts.append(table_html(f"{heading}: {len(rows)}", headers, rows))
    return "".join(parts)


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, date):
        return format_day(value)
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
        f"<p>Figures as at {escape(format_day(data.today))}.</p>",
        f"<p>Changes since: {escape(since.since)}.</p>" if since else "",
        f"<p>{escape(PEOPLE_HIDDEN)}</p>" if data.hide_people else "",
        "<h2>Contents</h2><ol><li>Summary</li><li>Progress by lead service</li>"
        "<li>Since the last meeting</li><li>Overdue and due soon</li><li>Trend</li>"
        "<li>Each theme</li><li>Appendix: every issue</li></ol>",
        "</section>",
        "<h2>Summary</h2>",
        table_html(
            "Headline figures",
            ["Measure", "Figure"],
            [*headline_rows(data), *[[s, int(head[s])] for s in STATUSES]],
            {1},
        ),
        f"<p class=muted>{escape(PERCENT_RULE)} "
        f"{escape(rag_rule(data.amber_days, data.rating_source))}</p>",
        table_html(
            "Progress by theme",
            theme_headers(data),
            theme_rows(data),
            set(range(1, len(theme_headers(data)))),
        ),
        _img(themes_png, themes_alt),
        "<h2>Progress by lead service</h2>",
        f"<p class=muted>{escape(SERVICE_RULE)}</p>",
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
        f"<p class=muted>{escape(OVERDUE_RULE)}</p>",
    ]
    risky = at_risk(data)
    rag_cells, rag_headers = rag_columns(data)
    parts.append(
        table_html(
            at_risk_caption(data),
            ["Ref", "Theme", "Issue", "Leads", "Due by", *rag_headers],
            risky[["ref", "theme", "text", "leads", "due", *rag_cells]].values.tolist(),
        )
        if not risky.empty
        else f"<p>{escape(NOTHING_AT_RISK)}</p>"
    )
    parts += [
        "<h2>Trend</h2>",
        _img(burn_png, burn_alt),
        table_html(
            "Issues complete over time",
            BURN_UP_HEADERS,
            burn_up_rows(data),
            {1},
        ),  # fmt: skip
        "<h2 class=appendix>Each theme</h2>",
    ]
    for theme in data.themes.itertuples():
        issues = data.issues[data.issues["section_heading"] == theme.heading]
        parts.append(f"<h3>{escape(str(theme.theme))}</h3>")
        percent = percent_text(theme.issues, theme.counted, theme.percent_complete)
        figures = (
            f"{theme.red} Red and {theme.amber} Amber by the council's rating"
            if data.by_council
            else f"{theme.amber} due soon and not started"
        )
        parts.append(
            f"<p>{theme.issues} issues; {escape(percent)} complete; {theme.overdue} overdue; "
            f"{figures}.</p>"
        )
        parts.append(
            table_html(
                f"Issues in {theme.theme}",
                ["Ref", "Issue", "Leads", "Status", *rag_headers, "Due by"],
                issues[["ref", "text", "leads", "status", *rag_cells, "due"]].values.tolist(),
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
