"""The peer-challenge pack: per theme (or all), the criteria, the level claimed and narrative of
the latest self-assessment, the evidence with its links, and each issue's status and history.

Made as a tagged PDF, and as a zip holding that PDF, an index spreadsheet and every stored
evidence file (the index names each file's path inside the zip).
"""

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dashboard.formats import words
from dashboard.formats.pdf import html_document, render_pdf, table_html
from dashboard.formats.sheets import neutralise
from dashboard.reads import progress
from dashboard.reads.criteria import linked_issues
from dashboard.reads.levels import assessment_judgements, plan_framework_themes, theme_criteria
from dashboard.rules.errors import Refused
from dashboard.rules.names import name_key
from dashboard.store import evidence_files
from dashboard.store.settings import Settings
from models import (
    Evidence,
    FrameworkVersion,
    Issue,
    Level,
    Organisation,
    Plan,
    SelfAssessment,
    StatusChange,
)

PDF_NAME = "peer-challenge-pack.pdf"
INDEX_NAME = "evidence-index.xlsx"
MISSING = "Not in this zip: the file is missing from the evidence folder"
NO_CRITERIA = (
    "No criteria are loaded for this theme, so its issues at each level stand in for them."
)


class PackError(Refused):
    """The pack cannot be made as asked (unknown plan or theme); the message says why."""


@dataclass(frozen=True)
class ThemePack:
    """Everything the pack says about one theme of the plan."""

    position: int
    theme: str
    heading: str
    assessment: pd.Series | None  # assessed_on, level, narrative, by
    criteria: pd.DataFrame  # level, ref, text, guidance, judgement, evidence, note, issues
    issues: pd.DataFrame  # ref, text, status, rag_text, due, leads
    evidence: pd.DataFrame  # ref, title, url, stored_path, file_name, by, at, zip_path
    history: pd.DataFrame  # ref, at, from_status, to_status, note, by


@dataclass(frozen=True)
class PeerPack:
    plan: str
    plan_slug: str
    organisation: str
    framework: str
    made_on: date
    scope: str  # "All themes" or the one theme's name
    themes: list[ThemePack]

    @property
    def evidence(self) -> pd.DataFrame:
        """Every piece of evidence in the pack, with its theme."""
        frames = [t.evidence.assign(theme=t.theme) for t in self.themes]
        return pd.concat(frames, ignore_index=True) if frames else _empty_evidence()

    def file_stem(self) -> str:
        theme = "" if self.scope == "All themes" else "-theme-" + str(self.themes[0].position)
        return f"peer-challenge-{self.plan_slug}{theme}-{self.made_on.isoformat()}"


def plan_and_theme(
    session: Session, plan_slug: str | None, theme_name: str | None
) -> tuple[int, int | None]:
    """The plan (by slug; else the first plan written against a framework) and, when a theme
    name is given, its theme; PackError when either cannot be found."""
    query = select(Plan).where(col(Plan.framework_id).is_not(None)).order_by(col(Plan.id))
    if plan_slug:
        query = select(Plan).where(Plan.slug == plan_slug)
    plan = session.exec(query).first()
    if plan is None:
        raise PackError(
            f"There is no plan {plan_slug!r}." if plan_slug else "No plan follows a framework."
        )
    if plan.framework_id is None:
        raise PackError(f"{plan.title} is not written against an equality framework.")
    if not theme_name:
        return int(plan.id or 0), None
    themes = plan_framework_themes(session, int(plan.id or 0))
    wanted = name_key(theme_name)
    for row in _rows(themes):
        if wanted in (name_key(str(row.theme)), name_key(str(row.heading)), str(row.position)):
            return int(plan.id or 0), int(row.theme_id)
    names = "; ".join(themes["theme"])
    raise PackError(f"{plan.title} has no theme {theme_name!r}. Its themes are: {names}.")


def gather(
    session: Session,
    plan_id: int,
    theme_id: int | None,
    *,
    settings: Settings,
    today: date,
) -> PeerPack:
    """Read everything the pack shows, for one theme of the plan or all of them."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise PackError("That plan no longer exists.")
    organisation = session.get(Organisation, plan.organisation_id)
    framework = session.get(FrameworkVersion, plan.framework_id) if plan.framework_id else None
    themes = plan_framework_themes(session, plan_id)
    if theme_id is not None:
        themes = themes[themes["theme_id"] == theme_id]
    scope = progress.Filters(plan_id=plan_id)
    packs = [
        ThemePack(
            position=int(row.position),
            theme=str(row.theme),
            heading=str(row.heading),
            assessment=_latest_assessment(session, plan.organisation_id, int(row.theme_id)),
            criteria=_criteria(session, plan.organisation_id, int(row.theme_id)),
            issues=progress.theme_issues(
                session, scope, int(row.section_id), today, settings.rag_amber_days
            ),
            evidence=_evidence(session, int(row.section_id), int(row.position), settings),
            history=_history(session, int(row.section_id)),
        )
        for row in _rows(themes)
    ]
    return PeerPack(
        plan=plan.title,
        plan_slug=plan.slug,
        organisation=organisation.name if organisation else "",
        framework=framework.name if framework else "",
        made_on=today,
        scope=packs[0].theme if theme_id is not None and packs else "All themes",
        themes=packs,
    )


def _latest_assessment(session: Session, organisation_id: int, theme_id: int) -> pd.Series | None:
    row = session.execute(
        sa_select(
            col(SelfAssessment.id),
            col(SelfAssessment.assessed_on),
            col(Level.name),
            col(SelfAssessment.narrative),
            col(SelfAssessment.by),
        )  # fmt: skip
        .outerjoin(Level, col(Level.id) == col(SelfAssessment.level_claimed_id))
        .where(
            col(SelfAssessment.organisation_id) == organisation_id,
            col(SelfAssessment.theme_id) == theme_id,
        )
        .order_by(col(SelfAssessment.assessed_on).desc(), col(SelfAssessment.id).desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    columns = ["assessment_id", "assessed_on", "level", "narrative", "by"]
    return pd.Series(dict(zip(columns, row, strict=True)))


def _criteria(session: Session, organisation_id: int, theme_id: int) -> pd.DataFrame:
    """The theme's criteria with the latest self-assessment's judgements and linked issues."""
    criteria = theme_criteria(session, theme_id)
    latest = _latest_assessment(session, organisation_id, theme_id)
    judged = assessment_judgements(
        session, [int(latest["assessment_id"])] if latest is not None else []
    )[["criterion_id", "judgement", "evidence", "note"]]
    links = linked_issues(session, [int(c) for c in criteria["criterion_id"]])
    refs = links.groupby("criterion_id")["ref"].agg(", ".join)
    frame = criteria.merge(judged, on="criterion_id", how="left")
    frame["judgement"] = frame["judgement"].fillna("Not assessed yet")
    frame["evidence"] = frame["evidence"].fillna("")
    frame["note"] = frame["note"].fillna("")
    frame["issues"] = [str(refs.get(c, "")) for c in frame["criterion_id"]]
    return frame


def _empty_evidence() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "evidence_id",
            "ref",
            "title",
            "url",
            "stored_path",
            "file_name",
            "by",
            "at",
            "zip_path",
            "theme",
        ]  # fmt: skip
    )


def _evidence(session: Session, section_id: int, position: int, settings: Settings) -> pd.DataFrame:
    """The evidence of the theme's issues, each stored file given its path inside the zip (none
    when the file is missing from the evidence folder)."""
    rows = session.execute(
        sa_select(
            col(Evidence.id),
            col(Issue.ref),
            col(Evidence.title),
            col(Evidence.url),
            col(Evidence.stored_path),
            col(Evidence.file_name),
            col(Evidence.added_by),
            col(Evidence.added_at),
        )  # fmt: skip
        .join(Issue, col(Issue.id) == col(Evidence.issue_id))
        .where(col(Issue.section_id) == section_id)
        .order_by(col(Issue.position), col(Evidence.id))
    ).all()
    frame = pd.DataFrame(rows, columns=list(_empty_evidence().columns[:-2]))
    frame["zip_path"] = [
        _zip_path(position, ref, evidence_id, stored, name, settings)
        for evidence_id, ref, stored, name in zip(
            frame["evidence_id"],
            frame["ref"],
            frame["stored_path"],
            frame["file_name"],
            strict=True,
        )  # fmt: skip
    ]
    return frame


def _zip_path(
    position: int, ref: str, evidence_id: int, stored: str | None, name: str | None,
    settings: Settings,
) -> str | None:  # fmt: skip
    if not isinstance(stored, str) or not stored or _stored_file(stored, settings) is None:
        return None
    safe = evidence_files.safe_file_name(name if isinstance(name, str) else Path(stored).name)
    return f"evidence/theme-{position}/{evidence_files.safe_file_name(ref)}/{evidence_id}-{safe}"


def _stored_file(stored: str, settings: Settings) -> Path | None:
    try:
        path = evidence_files.path_of(stored, settings)
    except evidence_files.EvidenceRefused:
        return None
    return path if path.is_file() else None


def _history(session: Session, section_id: int) -> pd.DataFrame:
    rows = session.execute(
        sa_select(
            col(Issue.ref),
            col(StatusChange.at),
            col(StatusChange.from_status),
            col(StatusChange.to_status),
            col(StatusChange.note),
            col(StatusChange.by),
        )  # fmt: skip
        .join(Issue, col(Issue.id) == col(StatusChange.issue_id))
        .where(col(Issue.section_id) == section_id)
        .order_by(col(Issue.position), col(StatusChange.at), col(StatusChange.id))
    ).all()
    frame = pd.DataFrame(rows, columns=["ref", "at", "from_status", "to_status", "note", "by"])
    frame["note"] = frame["note"].fillna("")
    return frame


def _rows(frame: pd.DataFrame) -> Iterator[Any]:
    """The frame's rows as named tuples (typed loosely: the columns hold mixed values)."""
    return frame.itertuples()


# --- The PDF ---------------------------------------------------------------------------------

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
        f"<p>Themes: {escape(pack.scope)}. Made on {escape(words.format_day(pack.made_on))}.</p>"
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
            f"<p>Assessed on {escape(words.format_day(a['assessed_on']))} by "
            f"{escape(str(a['by']))}. Level claimed: <strong>{escape(level)}</strong>.</p>"
            f"<div class='narrative'>{escape(str(a['narrative']))}</div>"
        )
    parts.append("<h3>Criteria</h3>")
    if theme.criteria.empty:
        parts.append(f"<p>{escape(NO_CRITERIA)}</p>")
    else:
        parts.append(
            "<div class='criteria'>"
            + table_html(
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
                    for r in _rows(theme.criteria)
                ],
            )
            + "</div>"
        )
    parts.append("<h3>Issues</h3>")
    if theme.issues.empty:
        parts.append("<p>This theme has no issues.</p>")
    else:
        parts.append(
            "<div class='issues'>"
            + table_html(
                "Issues with their status now",
                ["Ref", "Issue", "Status", "RAG", "Due by", "Leads"],
                [
                    [
                        r.ref,
                        r.text,
                        words.status_text(r.status),
                        _words(r.rag_text),
                        r.due,
                        r.leads,
                    ]  # fmt: skip
                    for r in _rows(theme.issues)
                ],
            )
            + "</div>"
        )
    parts.append("<h3>Evidence</h3>")
    parts.append(_evidence_html(theme.evidence))
    parts.append("<h3>History of updates</h3>")
    if theme.history.empty:
        parts.append("<p>No updates have been recorded for these issues yet.</p>")
    else:
        parts.append(
            "<div class='history'>"
            + table_html(
                "Every status change and progress note, oldest first",
                ["Date", "Issue", "Change", "Note", "By"],
                [
                    [
                        words.format_day(r.at),
                        r.ref,
                        _change(r.from_status, r.to_status),
                        r.note,
                        r.by,
                    ]  # fmt: skip
                    for r in _rows(theme.history)
                ],
            )
            + "</div>"
        )
    parts.append("</section>")
    return "".join(parts)


def _words(rag_text: str) -> str:
    """A RAG rating's words without its coloured emoji, which the PDF font cannot draw."""
    return rag_text.split(" ", 1)[1]


def _change(before: str | None, after: str) -> str:
    if before is None or before == after:
        return f"Note ({after})"
    return f"{before} → {after}"


def _evidence_html(evidence: pd.DataFrame) -> str:
    if evidence.empty:
        return "<p>No evidence has been added to these issues yet.</p>"
    items = []
    for r in _rows(evidence):
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
            f"{escape(words.format_day(r.at))})</span></li>"
        )
    return "<ul class='evidence'>" + "".join(items) + "</ul>"


# --- The zip -------------------------------------------------------------------------------

INDEX_HEADERS = [
    "Theme", "Issue", "Evidence", "Link", "File in this zip", "Added by", "Added on",
]  # fmt: skip


def index_rows(pack: PeerPack) -> list[list[str]]:
    """One row per piece of evidence, as the index spreadsheet shows it."""
    return [
        [
            str(r.theme),
            str(r.ref),
            str(r.title),
            r.url if isinstance(r.url, str) else "",
            r.zip_path
            if isinstance(r.zip_path, str)
            else (MISSING if isinstance(r.stored_path, str) and r.stored_path else ""),
            str(r.by),
            words.format_day(r.at),
        ]  # fmt: skip
        for r in _rows(pack.evidence)
    ]


def index_workbook(pack: PeerPack) -> bytes:
    """The index spreadsheet: the evidence, and the criteria judgements; no cell is a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Evidence"
    _fill(sheet, INDEX_HEADERS, index_rows(pack), [34, 8, 40, 40, 50, 24, 14])
    criteria = book.create_sheet("Criteria")
    _fill(
        criteria,
        ["Theme", "Level", "Ref", "Criterion", "Judgement", "Evidence", "Issues linked"],
        [
            [t.theme, r.level, r.ref, r.text, r.judgement, r.evidence, r.issues]
            for t in pack.themes
            for r in _rows(t.criteria)
        ],
        [34, 12, 8, 50, 14, 40, 16],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet, headers: list[str], rows: list[list[str]], widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(str(v)) for v in row])
    for letter, width in zip("ABCDEFGHIJ", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def pack_zip(pack: PeerPack, settings: Settings) -> bytes:
    """A zip of the PDF, the index spreadsheet and every stored evidence file in the pack."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PDF_NAME, pack_pdf(pack))
        archive.writestr(INDEX_NAME, index_workbook(pack))
        for stored, inside in zip(
            pack.evidence["stored_path"], pack.evidence["zip_path"], strict=True
        ):
            if isinstance(inside, str):
                path = _stored_file(str(stored), settings)
                if path is not None:
                    archive.write(path, inside)
    return out.getvalue()
