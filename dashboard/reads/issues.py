"""Reads for the update screens and the command line: the issues a person may update, their
latest history and evidence, the history export (status and due-date changes), and look-ups
by ref."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dashboard.formats.words import is_note_only
from dashboard.reads.progress import in_progress, overdue_condition
from dashboard.reads.summaries import leads_by_issue
from dashboard.rules.plan_edits import plan_change_kind
from models import (
    DueDateChange,
    Evidence,
    Issue,
    IssueLead,
    Lead,
    Organisation,
    Plan,
    PlanChange,
    Section,
    StatusChange,
)


@dataclass(frozen=True)
class IssueForUpdate:
    """One issue on the update screen; a missing value is None."""

    issue_id: int
    version: int
    plan_id: int
    plan_slug: str
    plan_title: str
    section_position: int
    section: str  # the theme's heading
    ref: str
    text: str
    status: str
    due_date: date | None
    timescale: str | None
    updated_by: str | None
    updated_at: datetime
    overdue: bool
    leads: str  # lead names joined by " / ", primary first; "" when none
    own_rag: str | None = None  # the council's own RAG rating; None when not set


@dataclass(frozen=True)
class RecentUpdate:
    """One status change or note of an issue."""

    issue_id: int
    from_status: str | None
    to_status: str
    note: str | None
    by: str
    at: datetime
    from_rag: str | None = None  # the council's own rating before and after, when it moved
    to_rag: str | None = None


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of evidence: a link (`url`) or a stored file (`stored_path`, `file_name`)."""

    evidence_id: int
    issue_id: int
    title: str
    url: str | None
    stored_path: str | None
    file_name: str | None
    added_by: str
    added_at: datetime


def issues_for_update(
    session: Session,
    *,
    lead_ids: Collection[int] | None,
    today: date,
    issue_ids: Collection[int] | None = None,
) -> list[IssueForUpdate]:
    """The issues led by any of `lead_ids` (every issue when None): overdue first, then by plan,
    theme and due date. One row per issue with its leads joined by ' / '. With `issue_ids`, only
    those of them (one card read again after its own save)."""
    overdue = overdue_condition(today)
    led: list[ColumnElement[bool]] = []
    if lead_ids is not None:
        ids = select(IssueLead.issue_id).where(col(IssueLead.lead_id).in_(list(lead_ids)))
        led.append(col(Issue.id).in_(ids))
    if issue_ids is not None:
        led.append(col(Issue.id).in_(list(issue_ids)))
    columns: list[Any] = [
        col(Issue.id).label("issue_id"),
        col(Issue.version).label("version"),
        col(Plan.id).label("plan_id"),
        col(Plan.slug).label("plan_slug"),
        col(Plan.title).label("plan_title"),
        col(Section.position).label("section_position"),
        col(Section.heading).label("section"),
        col(Issue.ref).label("ref"),
        col(Issue.text).label("text"),
        col(Issue.status).label("status"),
        col(Issue.due_date).label("due_date"),
        col(Issue.timescale).label("timescale"),
        col(Issue.updated_by).label("updated_by"),
        col(Issue.updated_at).label("updated_at"),
        case((overdue, True), else_=False).label("overdue"),
        col(Issue.own_rag).label("own_rag"),
    ]
    query = (
        sa_select(*columns)
        .join(Plan, col(Issue.plan_id) == Plan.id)
        .join(Section, col(Issue.section_id) == Section.id)
        .where(*led, in_progress())
        .order_by(
            case((overdue, 0), else_=1),
            case((overdue, col(Issue.due_date)), else_=None),
            col(Plan.id),
            col(Section.position),
            col(Issue.due_date).is_(None),
            col(Issue.due_date),
            col(Issue.position),
        )
    )
    found = session.execute(query).mappings().all()
    leads = leads_by_issue(session, [int(row["issue_id"]) for row in found])
    return [
        IssueForUpdate(
            issue_id=int(row["issue_id"]),
            version=int(row["version"]),
            plan_id=int(row["plan_id"]),
            plan_slug=row["plan_slug"],
            plan_title=row["plan_title"],
            section_position=int(row["section_position"]),
            section=row["section"],
            ref=row["ref"],
            text=row["text"],
            status=row["status"],
            due_date=row["due_date"],
            timescale=row["timescale"],
            updated_by=row["updated_by"],
            updated_at=row["updated_at"],
            overdue=bool(row["overdue"]),
            leads=" / ".join(leads.get(int(row["issue_id"]), [])),
            own_rag=row["own_rag"],
        )
        for row in found
    ]


def leads_with_issues(session: Session) -> pd.DataFrame:
    """Leads that lead at least one issue, for the administrator's picker."""
    rows = session.exec(
        select(Lead.id, Lead.name, Organisation.name, func.count(col(IssueLead.issue_id)))
        .join(Organisation, col(Lead.organisation_id) == Organisation.id)
        .join(IssueLead, col(IssueLead.lead_id) == Lead.id)
        .group_by(col(Lead.id), col(Lead.name), col(Organisation.name))
        .order_by(col(Organisation.name), col(Lead.name))
    ).all()
    return pd.DataFrame(rows, columns=["lead_id", "name", "organisation", "issues"])


def recent_updates(
    session: Session, issue_ids: list[int], per_issue: int = 3
) -> list[RecentUpdate]:
    """The latest status changes and notes of each issue (by issue), newest first."""
    ranked = (
        sa_select(
            col(StatusChange.issue_id).label("issue_id"),
            col(StatusChange.from_status).label("from_status"),
            col(StatusChange.to_status).label("to_status"),
            col(StatusChange.note).label("note"),
            col(StatusChange.by).label("by"),
            col(StatusChange.at).label("at"),
            col(StatusChange.from_rag).label("from_rag"),
            col(StatusChange.to_rag).label("to_rag"),
            func.row_number()
            .over(
                partition_by=col(StatusChange.issue_id),
                order_by=(col(StatusChange.at).desc(), col(StatusChange.id).desc()),
            )
            .label("n"),
        )
        .where(col(StatusChange.issue_id).in_(issue_ids))
        .subquery()
    )
    rows = session.execute(
        sa_select(ranked).where(ranked.c.n <= per_issue).order_by(ranked.c.issue_id, ranked.c.n)
    ).mappings()
    return [
        RecentUpdate(
            issue_id=int(row["issue_id"]),
            from_status=row["from_status"],
            to_status=row["to_status"],
            note=row["note"],
            by=row["by"],
            at=row["at"],
            from_rag=row["from_rag"],
            to_rag=row["to_rag"],
        )
        for row in rows
    ]


def evidence_of(session: Session, issue_ids: list[int]) -> list[EvidenceItem]:
    """Evidence of the issues (by issue), oldest first."""
    rows = session.exec(
        select(Evidence)
        .where(col(Evidence.issue_id).in_(issue_ids))
        .order_by(col(Evidence.issue_id), col(Evidence.id))
    ).all()
    found: list[EvidenceItem] = []
    for e in rows:
        assert e.id is not None  # read back from the database
        found.append(
            EvidenceItem(
                evidence_id=e.id,
                issue_id=e.issue_id,
                title=e.title,
                url=e.url,
                stored_path=e.stored_path,
                file_name=e.file_name,
                added_by=e.added_by,
                added_at=e.added_at,
            )
        )
    return found


HISTORY_COLUMNS = ("plan", "ref", "kind", "from", "to", "note", "by", "at")
STATUS_KIND, NOTE_KIND, DUE_DATE_KIND = "status", "note", "due date"
RAG_KIND = "RAG rating"  # the council's own rating moved (from and to: the ratings, "" for none)


def history_rows(session: Session, plan_slug: str | None = None) -> list[dict[str, str]]:
    """Every status change, change of the council's own RAG rating and due-date change (of one
    plan, or all), oldest first, as rows of strings: `kind` says which; a due-date row's from/to
    are ISO dates and its note the reason."""
    statuses = (
        sa_select(
            col(Plan.slug),
            col(Issue.ref),
            col(StatusChange.from_status),
            col(StatusChange.to_status),
            col(StatusChange.note),
            col(StatusChange.by),
            col(StatusChange.at),
            col(StatusChange.id),
            col(StatusChange.from_rag),
            col(StatusChange.to_rag),
        )
        .join(Issue, col(StatusChange.issue_id) == Issue.id)
        .join(Plan, col(Issue.plan_id) == Plan.id)
    )
    moves = (
        sa_select(
            col(Plan.slug),
            col(Issue.ref),
            col(DueDateChange.from_due),
            col(DueDateChange.to_due),
            col(DueDateChange.reason),
            col(DueDateChange.by),
            col(DueDateChange.at),
            col(DueDateChange.id),
        )
        .join(Issue, col(DueDateChange.issue_id) == Issue.id)
        .join(Plan, col(Issue.plan_id) == Plan.id)
    )
    if plan_slug:
        statuses = statuses.where(col(Plan.slug) == plan_slug)
        moves = moves.where(col(Plan.slug) == plan_slug)
    found: list[tuple[Any, ...]] = []
    for *row, from_rag, to_rag in session.execute(statuses).all():
        slug, ref, before, after, note, by, at, key = row
        if not is_note_only(before, after) or note or from_rag == to_rag:
            found.append((NOTE_KIND if is_note_only(before, after) else STATUS_KIND, *row))
        if from_rag != to_rag:
            found.append((RAG_KIND, slug, ref, from_rag, to_rag, None, by, at, key))
    found += [
        (DUE_DATE_KIND, slug, ref, _iso(old), _iso(new), reason, by, at, key)
        for slug, ref, old, new, reason, by, at, key in session.execute(moves).all()
    ]
    edits = (  # changes to the plan itself: an issue's wording, theme, leads; added, retired
        sa_select(
            col(Plan.slug),
            col(Issue.ref),
            col(PlanChange.kind),
            col(PlanChange.field),
            col(PlanChange.from_value),
            col(PlanChange.to_value),
            col(PlanChange.reason),
            col(PlanChange.by),
            col(PlanChange.at),
            col(PlanChange.id),
        )
        .join(Issue, col(PlanChange.issue_id) == Issue.id)
        .join(Plan, col(Issue.plan_id) == Plan.id)
    )
    if plan_slug:
        edits = edits.where(col(Plan.slug) == plan_slug)
    found += [
        (plan_change_kind(kind, what), slug, ref, old, new, reason, by, at, key)
        for slug, ref, kind, what, old, new, reason, by, at, key in session.execute(edits).all()
    ]
    found.sort(key=lambda r: (r[7], r[0] == DUE_DATE_KIND, r[8]))  # (ids of each table rise)
    return [
        dict(
            zip(
                HISTORY_COLUMNS,
                (slug, ref, kind, old or "", new or "", note or "", by, at.isoformat()),
                strict=True,
            )
        )
        for kind, slug, ref, old, new, note, by, at, _key in found
    ]


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def current_status(session: Session, issue_id: int) -> str:
    return session.exec(select(Issue.status).where(Issue.id == issue_id)).one()


def plan_exists(session: Session, slug: str) -> bool:
    return session.exec(select(func.count()).select_from(Plan).where(Plan.slug == slug)).one() > 0


def issue_id_by_ref(session: Session, plan_slug: str, ref: str) -> tuple[int, int] | None:
    """(issue id, current version) of a plan's issue by its ref, or None."""
    row = session.exec(
        select(Issue.id, Issue.version)
        .join(Plan, col(Issue.plan_id) == Plan.id)
        .where(Plan.slug == plan_slug, Issue.ref == ref.strip())
    ).first()
    return (int(row[0]), int(row[1])) if row and row[0] is not None else None
