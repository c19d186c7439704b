"""The peer-challenge pack as a tagged PDF: a cover with the contents, then per theme the
self-assessment, the criteria, the issues, the evidence and the history of updates.

Each RAG rating appears in words alone, after the status with its shape.
"""

from html import escape

import pandas as pd

from dashboard.formats.pdf import html_document, render_pdf, table_html
from dashboard.formats.words import (
    RAG_BY_DATES,
    RAG_COUNCIL,
    change_words,
    format_day,
    own_rag_look,
    rag_look,
    status_text,
)
from dashboard.reports.peer_pack.gather import MISSING, PeerPack, ThemePack, each_row
from dashboard.rules.names import name_key

NO_CRITERIA = (
    "No criteria are loaded for this theme, so its issues at each level stand in for them."
)

_CSS = """
.narrative { white-space: pre-wrap; border-left: 2pt solid #b1b4b6; padding-left: 3mm; }
ul.evidence li { margin-bottom: 1.5mm; }
.criteria td:nth-child(3), .issues td:nth-child(2) { width: 42%; }
.criteria td:nth-child(5) { width: 22%; }
.history td:nth-child(4) { width: 45%; }
a { color: #1d70b8; }
"""


def pack_pdf(pack: PeerPack) -> bytes:
    """The pack as a tagged PDF."""
    return render_pdf(html_document(f"Peer challenge pack: {pack.plan}", _body(pack), _CSS))


def _body(pack: PeerPack) -> str:
    cover = (
        "<section class='cover'>"
        f"<h1>Peer challenge pack</h1><p><strong>{escape(pack.plan)}</strong></p>"
        f"<p>{escape(pack.organisation)} · {escape(pack.framework)}</p>"
        f"<p>Themes: {escape(pack.scope)}. Made on {escape(format_day(pack.made_on))}.</p>"
        "<p class='muted'>For each theme: the criteria and the latest self-assessment's "
        "judgement on each, the level claimed and the narrative, the evidence with its links, "
        "and each issue's status and history of updates. Criteria are those the council has "
        "loaded; where a theme has none, its issues stand in for them.</p>"
        "<h2>Contents</h2><ol>"
        + "".join(f"<li>{escape(t.theme)}</li>" for t in pack.themes)
        + "</ol></section>"
    )
    if not pack.themes:
        return cover + "<p>The plan has no themes that follow the framework.</p>"
    return cover + "".join(_theme_html(t, i > 0) for i, t in enumerate(pack.themes))


def _theme_html(theme: ThemePack, new_page: bool) -> str:
    parts = [f"<section{' class=appendix' if new_page else ''}>"]
    parts.append(f"<h2>{theme.position}. {escape(theme.theme)}</h2>")
    if name_key(theme.heading) != name_key(theme.theme):
        parts.append(f"<p class='muted'>In the plan: {escape(theme.heading)}</p>")
    parts.append("<h3>Self-assessment</h3>")
    if theme.assessment is None:
        parts.append("<p>No self-assessment has been recorded for this theme yet.</p>")
    else:
        a = theme.assessment
        level = a["level"] if isinstance(a["level"], str) else "no level claimed"
        parts.append(
            f"<p>Assessed on {escape(format_day(a['assessed_on']))} by "
            f"{escape(str(a['by']))}. Level claimed: <strong>{escape(level)}</strong>.</p>"
            f"<div class='narrative'>{escape(str(a['narrative']))}</div>"
        )
    parts.append("<h3>Criteria</h3>")
    if theme.criteria.empty:
        parts.append(f"<p>{escape(NO_CRITERIA)}</p>")
    else:
        parts.append(
            _table(
                "criteria",
                "Criteria and the latest judgement on each",
                ["Level", "Ref", "Criterion", "Judgement", "Evidence", "Issues linked"],
                [
                    [
                        r.level,
                        r.ref,
                        r.text + (f" (Guidance: {r.guidance})" if r.guidance else ""),
                        r.judgement,
                        r.evidence,
                        r.issues,
                    ]  # fmt: skip
                    for r in each_row(theme.criteria)
                ],
            )
        )
    parts.append("<h3>Issues</h3>")
    if theme.issues.empty:
        parts.append("<p>This theme has no issues.</p>")
    else:
        own = bool(theme.issues["own_rag"].notna().any())  # the council's rating beside
        parts.append(
            _table(
                "issues",
                "Issues with their status now",
                ["Ref", "Issue", "Status", *([RAG_BY_DATES, RAG_COUNCIL] if own else ["RAG"]),
                 "Due by", "Leads"],
                [
                    [
                        r.ref,
                        r.text,
                        status_text(r.status),
                        rag_look(r.rag, r.due_date is not None).words,
                        *([own_rag_look(r.own_rag).words] if own else []),
                        r.due,
                        r.leads,
                    ]
                    for r in each_row(theme.issues)
                ],
            )
        )  # fmt: skip
    parts.append("<h3>Evidence</h3>")
    parts.append(_evidence_html(theme.evidence))
    parts.append("<h3>History of updates</h3>")
    if theme.history.empty:
        parts.append("<p>No updates have been recorded for these issues yet.</p>")
    else:
        parts.append(
            _table(
                "history",
                "Every status change and progress note, oldest first",
                ["Date", "Issue", "Change", "Note", "By"],
                [
                    [
                        format_day(r.at),
                        r.ref,
                        _change(r.from_status, r.to_status),
                        r.note,
                        r.by,
                    ]  # fmt: skip
                    for r in each_row(theme.history)
                ],
            )
        )
    parts.append("</section>")
    return "".join(parts)


def _table(css_class: str, caption: str, headers: list[str], rows: list[list[object]]) -> str:
    """A table inside a block of the given class (which sets its column widths)."""
    return f"<div class='{css_class}'>" + table_html(caption, headers, rows) + "</div>"


def _change(before: str | None, after: str) -> str:
    return change_words(None if before is None or pd.isna(before) else before, after)


def _evidence_html(evidence: pd.DataFrame) -> str:
    if evidence.empty:
        return "<p>No evidence has been added to these issues yet.</p>"
    items = []
    for r in each_row(evidence):
        where = []
        if isinstance(r.url, str) and r.url:
            where.append(f"<a href='{escape(r.url)}'>{escape(r.url)}</a>")
        if isinstance(r.stored_path, str) and r.stored_path:
            where.append(
                f"file in the pack: {escape(r.zip_path)}"
                if isinstance(r.zip_path, str)
                else escape(MISSING)
            )
        items.append(
            f"<li><strong>{escape(str(r.ref))}</strong> {escape(str(r.title))}: "
            + "; ".join(where)
            + f" <span class='muted'>(added by {escape(str(r.by))} on "
            f"{escape(format_day(r.at))})</span></li>"
        )
    return "<ul class='evidence'>" + "".join(items) + "</ul>"
