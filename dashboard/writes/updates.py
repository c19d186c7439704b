"""Updating issues: one write function per user action, each checking permission, validating and
writing the change with its history record in one transaction; plus the reads the update
screens and the history export need.

Lost updates are prevented by optimistic locking (Issue.version): every write says which version
the person saw, and a save over someone else's newer change raises `Conflict`.

A tick-off (status and/or note) is the write officers make most, often many at once before a
meeting, so it is written as three plain statements (read the issue with its leads; update it
where its version is still the one seen; add the history row) rather than through the ORM's
unit of work: the same rules, a fraction of the interpreter time, which is what 20 officers
saving at once queue for.
"""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
from sqlalchemy import ColumnElement, Connection, and_, bindparam, case, func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, select

from dashboard.formats.words import time_text
from dashboard.reads.summaries import leads_by_issue
from dashboard.rules.permissions import Actor, PermissionDenied, require_can_update
from dashboard.rules.progress import CLOSED
from dashboard.store import evidence_files
from dashboard.store.db import begin_write
from dashboard.store.settings import Settings
from dashboard.writes.exchange import rows_to_csv
from models import (
    CLOSED_STATUSES,
    STATUS_VALUES,
    DueDateChange,
    Evidence,
    Issue,
    IssueLead,
    Lead,
    Organisation,
    Plan,
    Section,
    Status,
    StatusChange,
    utcnow,
)

MAX_NOTE_LENGTH = 10_000
__all__ = ["PermissionDenied"]  # re-exported: callers catch it beside Conflict and UpdateRefused


class UpdateRefused(ValueError):
    """The update is not valid; the message says why in plain words."""


class Conflict(Exception):
    """Someone else saved the issue after this person opened it."""

    def __init__(self, *, ref: str, by: str | None, at: datetime | None) -> None:
        self.ref, self.by, self.at = ref, by, at
        who = by or "Someone else"
        when = f" at {time_text(at)}" if at else ""
        super().__init__(f"{who} changed issue {ref}{when} while you were editing.")


@dataclass(frozen=True)
class EvidenceUpload:
    file_name: str
    data: bytes


@dataclass(frozen=True)
class IssueChange:
    """One row of a bulk update: the version the person saw, a new status and/or a note."""

    issue_id: int
    expected_version: int
    status: str
    note: str | None = None


@dataclass(frozen=True)
class SavedIssue:
    """An issue as a tick-off left it."""

    id: int
    ref: str
    status: str
    version: int
    updated_by: str
    updated_at: datetime


# ---------------------------------------------------------------- write functions


def record_status_change(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    status: str,
    note: str | None,
    expected_version: int,
) -> SavedIssue:
    """Move an issue to `status` and/or add a progress note."""
    try:
        connection = begin_write(session)
        current = _current(connection, actor, issue_id, expected_version)
        change = _status_change(current, actor, status, note)
        if change is None:
            raise UpdateRefused(_nothing_to_save(current.ref))
        saved = _write_status(session, connection, current, actor, change)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return saved


def add_evidence(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    title: str | None = None,
    url: str | None = None,
    upload: EvidenceUpload | None = None,
    settings: Settings | None = None,
) -> list[Evidence]:
    """Attach a link and/or a file to an issue as evidence of its progress."""
    stored: list[str] = []
    try:
        _current(begin_write(session), actor, issue_id, None)
        added = _apply_evidence(
            session, issue_id, actor, title, url, upload, settings or Settings.from_env(), stored
        )
        if not added:
            raise UpdateRefused("Give a link or attach a file as evidence.")
        session.commit()
    except BaseException:
        session.rollback()
        _remove_files(stored, settings)
        raise
    return added


def record_update(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    expected_version: int,
    status: str,
    note: str | None = None,
    evidence_title: str | None = None,
    evidence_url: str | None = None,
    upload: EvidenceUpload | None = None,
    settings: Settings | None = None,
) -> SavedIssue:
    """The update form of one issue: status, note and evidence saved together or not at all."""
    settings = settings or Settings.from_env()
    stored: list[str] = []
    try:
        connection = begin_write(session)
        current = _current(connection, actor, issue_id, expected_version)
        change = _status_change(current, actor, status, note)
        evidence = _apply_evidence(
            session, issue_id, actor, evidence_title, evidence_url, upload, settings, stored
        )
        if change is None and not evidence:
            raise UpdateRefused(_nothing_to_save(current.ref))
        saved = (
            _write_status(session, connection, current, actor, change)
            if change is not None
            else current.unchanged()
        )
        session.commit()
    except BaseException:
        session.rollback()
        _remove_files(stored, settings)
        raise
    return saved


def change_due_date(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    due_date: date | None,
    reason: str,
    expected_version: int,
) -> Issue:
    """Move an issue's due date (or remove it), with the reason on record."""
    issue = _issue_for_update(session, actor, issue_id, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise UpdateRefused("Say why the due date is changing.")
    if due_date == issue.due_date and (due_date is None or issue.due_precision == "day"):
        raise UpdateRefused(f"Issue {issue.ref} is already due on that date.")
    session.add(
        DueDateChange(
            issue_id=issue_id,
            from_due=issue.due_date,
            to_due=due_date,
            from_precision=issue.due_precision,
            to_precision="day" if due_date else None,
            reason=reason,
            by=actor.name,
            by_user_id=actor.user_id,
        )
    )
    issue.due_date = due_date
    issue.due_precision = "day" if due_date else None
    _touch(issue, actor)
    session.add(issue)
    _commit(session, {issue_id: expected_version})
    return issue


def bulk_update(
    *, session: Session, actor: Actor, changes: Sequence[IssueChange]
) -> list[SavedIssue]:
    """Several issues' status and notes at once: every change is saved, or none is."""
    if not changes:
        raise UpdateRefused("Nothing to save: change a status or write a note first.")
    staged: list[tuple[_Current, dict[str, Any]]] = []
    problems: list[str] = []
    try:
        connection = begin_write(session)
        for item in changes:
            current = _current(connection, actor, item.issue_id, item.expected_version)
            try:
                change = _status_change(current, actor, item.status, item.note)
                if change is None:
                    raise UpdateRefused(_nothing_to_save(current.ref))
                staged.append((current, change))
            except UpdateRefused as exc:
                problems.append(str(exc))
        if problems:
            raise UpdateRefused("Nothing was saved. " + " ".join(problems))
        saved = [
            _write_status(session, connection, current, actor, change) for current, change in staged
        ]
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return saved


# ---------------------------------------------------------------- rules shared by the writes


_ISSUE = Issue.__table__  # type: ignore[attr-defined]
_ISSUE_LEAD = IssueLead.__table__  # type: ignore[attr-defined]
_STATUS_CHANGE = StatusChange.__table__  # type: ignore[attr-defined]

# The issue as the database has it now, one row per lead (compiled once, reused by every save).
_CURRENT = (
    sa_select(
        _ISSUE.c.ref,
        _ISSUE.c.status,
        _ISSUE.c.version,
        _ISSUE.c.updated_by,
        _ISSUE.c.updated_at,
        _ISSUE_LEAD.c.lead_id,
    )
    .select_from(_ISSUE.outerjoin(_ISSUE_LEAD, _ISSUE_LEAD.c.issue_id == _ISSUE.c.id))
    .where(_ISSUE.c.id == bindparam("issue_id"))
)
# Only where the version is still the one read: a save that lost the race changes no row.
_TICK = (
    update(_ISSUE)
    .where(_ISSUE.c.id == bindparam("issue_id"), _ISSUE.c.version == bindparam("seen"))
    .values(
        status=bindparam("new_status"),
        version=bindparam("new_version"),
        updated_at=bindparam("now"),
        updated_by=bindparam("by_name"),
    )
)


@dataclass(frozen=True)
class _Current:
    id: int
    ref: str
    status: str
    version: int
    updated_by: str | None
    updated_at: datetime

    def unchanged(self) -> SavedIssue:
        return SavedIssue(
            self.id, self.ref, self.status, self.version, self.updated_by or "", self.updated_at
        )


def _current(
    connection: Connection, actor: Actor, issue_id: int, expected_version: int | None
) -> _Current:
    """The issue as the database has it now, after the permission and version checks."""
    rows = connection.execute(_CURRENT, {"issue_id": issue_id}).all()
    if not rows:
        raise UpdateRefused("That issue no longer exists.")
    ref, status, version, updated_by, updated_at, _lead = rows[0]
    require_can_update(actor, {row[5] for row in rows if row[5] is not None}, ref)
    if expected_version is not None and version != expected_version:
        raise Conflict(ref=ref, by=updated_by, at=updated_at)
    return _Current(issue_id, ref, status, version, updated_by, updated_at)


def _issue_for_update(
    session: Session, actor: Actor, issue_id: int, expected_version: int | None
) -> Issue:
    """The issue as an ORM object, after the same checks as a tick-off."""
    _current(begin_write(session), actor, issue_id, expected_version)
    issue = session.get(Issue, issue_id, populate_existing=True)
    if issue is None:
        raise UpdateRefused("That issue no longer exists.")
    return issue


def _status_change(
    current: _Current, actor: Actor, status: str, note: str | None
) -> dict[str, Any] | None:
    """The history row of a status change and/or note; None when there is nothing to record."""
    if status not in STATUS_VALUES:
        choices = ", ".join(STATUS_VALUES)
        raise UpdateRefused(f"'{status}' is not a status. Choose one of {choices}.")
    note = (note or "").strip() or None
    if note and len(note) > MAX_NOTE_LENGTH:
        raise UpdateRefused(
            f"The note for issue {current.ref} is longer than {MAX_NOTE_LENGTH:,} characters."
        )
    new = Status(status)
    if new is not Status(current.status) and new in CLOSED_STATUSES and not note:
        raise UpdateRefused(
            f"Write a progress note to mark issue {current.ref} as {new.value}: "
            "say what was done, or why it does not apply."
        )
    if new.value == current.status and not note:
        return None
    return {
        "issue_id": current.id,
        "from_status": current.status,
        "to_status": new.value,
        "note": note,
        "by": actor.name,
        "by_user_id": actor.user_id,
    }


def _write_status(
    session: Session,
    connection: Connection,
    current: _Current,
    actor: Actor,
    change: dict[str, Any],
) -> SavedIssue:
    """Write the issue's new status (if its version is still the one read) and the history row."""
    now = utcnow()
    moved = connection.execute(
        _TICK,
        {
            "issue_id": current.id,
            "seen": current.version,
            "new_status": change["to_status"],
            "new_version": current.version + 1,
            "now": now,
            "by_name": actor.name,
        },
    )
    if moved.rowcount != 1:
        _, _, _, by, at, _ = (
            connection.execute(_CURRENT, {"issue_id": current.id}).first() or (None,) * 6
        )
        raise Conflict(ref=current.ref, by=by, at=at)
    connection.execute(insert(_STATUS_CHANGE), [change | {"at": now}])
    # An Issue object this session already holds is out of date now: reload it when next read.
    held = session.identity_map.get(session.identity_key(Issue, current.id))
    if held is not None:
        session.expire(held)
    return SavedIssue(
        current.id, current.ref, change["to_status"], current.version + 1, actor.name, now
    )


def _apply_evidence(
    session: Session,
    issue_id: int,
    actor: Actor,
    title: str | None,
    url: str | None,
    upload: EvidenceUpload | None,
    settings: Settings,
    stored: list[str],
) -> list[Evidence]:
    """Stage a link and/or a stored file; the paths of files written are added to `stored`."""
    title = (title or "").strip()[:300]
    url = (url or "").strip()
    added: list[Evidence] = []
    if url:
        _check_link(url)
        link = Evidence(issue_id=issue_id, title=title or url[:300], url=url, added_by=actor.name)
        link.added_by_user_id = actor.user_id
        added.append(link)
    if upload is not None:
        kept = evidence_files.store(
            data=upload.data, file_name=upload.file_name, issue_id=issue_id, settings=settings
        )
        stored.append(kept.stored_path)
        added.append(
            Evidence(
                issue_id=issue_id,
                title=(title if not url else "") or kept.file_name,
                stored_path=kept.stored_path,
                file_name=kept.file_name,
                content_type=kept.content_type,
                size_bytes=kept.size_bytes,
                added_by=actor.name,
                added_by_user_id=actor.user_id,
            )
        )
    for evidence in added:
        session.add(evidence)
    return added


def _check_link(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
        raise UpdateRefused(
            "An evidence link must be a web address starting with https:// (or http://)."
        )
    if len(url) > 2000:
        raise UpdateRefused("That evidence link is too long (more than 2,000 characters).")


def _touch(issue: Issue, actor: Actor) -> None:
    issue.updated_at = utcnow()
    issue.updated_by = actor.name


def _nothing_to_save(ref: str) -> str:
    return f"Nothing to save for issue {ref}: choose a new status, write a note or add evidence."


def _commit(session: Session, expected: dict[int, int]) -> None:
    """Commit; a save that lost the race with another since the check becomes a Conflict."""
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        for issue_id, version in expected.items():
            now = session.get(Issue, issue_id, populate_existing=True)
            if now is not None and now.version != version:
                raise Conflict(ref=now.ref, by=now.updated_by, at=now.updated_at) from None
        raise Conflict(ref="", by=None, at=None) from None


def _remove_files(stored: list[str], settings: Settings | None) -> None:
    for path in stored:
        evidence_files.remove(path, settings or Settings.from_env())


# ---------------------------------------------------------------- reads for the update screens


def overdue_condition(today: date) -> ColumnElement[bool]:
    """SQL test: due before today and not finished (Complete, Embedded or Not applicable)."""
    return and_(
        col(Issue.due_date).is_not(None),
        col(Issue.due_date) < today,
        col(Issue.status).not_in(CLOSED),
    )


def issues_for_update(
    session: Session, *, lead_ids: Collection[int] | None, today: date
) -> pd.DataFrame:
    """The issues led by any of `lead_ids` (every issue when None): overdue first, then by plan,
    theme and due date. One row per issue with its leads joined by ' / '."""
    overdue = overdue_condition(today)
    led: list[ColumnElement[bool]] = []
    if lead_ids is not None:
        ids = select(IssueLead.issue_id).where(col(IssueLead.lead_id).in_(list(lead_ids)))
        led.append(col(Issue.id).in_(ids))
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
    ]
    query = (
        sa_select(*columns)
        .join(Plan, col(Issue.plan_id) == Plan.id)
        .join(Section, col(Issue.section_id) == Section.id)
        .where(*led)
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
    frame = pd.DataFrame(session.execute(query).mappings().all())
    if frame.empty:
        return pd.DataFrame(columns=[c.name for c in query.selected_columns] + ["leads"])
    frame["overdue"] = frame["overdue"].astype(bool)
    leads = leads_by_issue(session, [int(i) for i in frame["issue_id"]])
    frame["leads"] = frame["issue_id"].map(lambda i: " / ".join(leads.get(i, [])))
    return frame


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


def recent_updates(session: Session, issue_ids: list[int], per_issue: int = 3) -> pd.DataFrame:
    """The latest status changes and notes of each issue, newest first."""
    ranked = (
        sa_select(
            col(StatusChange.issue_id).label("issue_id"),
            col(StatusChange.from_status).label("from_status"),
            col(StatusChange.to_status).label("to_status"),
            col(StatusChange.note).label("note"),
            col(StatusChange.by).label("by"),
            col(StatusChange.at).label("at"),
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
    columns = ["issue_id", "from_status", "to_status", "note", "by", "at", "n"]
    return pd.DataFrame(list(rows), columns=columns)


def evidence_of(session: Session, issue_ids: list[int]) -> pd.DataFrame:
    """Evidence of the issues, oldest first."""
    rows = session.exec(
        select(Evidence)
        .where(col(Evidence.issue_id).in_(issue_ids))
        .order_by(col(Evidence.issue_id), col(Evidence.id))
    ).all()
    columns = [
        "evidence_id",
        "issue_id",
        "title",
        "url",
        "stored_path",
        "file_name",
        "added_by",
        "added_at",
    ]
    return pd.DataFrame(
        [
            (e.id, e.issue_id, e.title, e.url, e.stored_path, e.file_name, e.added_by, e.added_at)
            for e in rows
        ],
        columns=columns,
    )


HISTORY_COLUMNS = ("plan", "ref", "from", "to", "note", "by", "at")


def history_rows(session: Session, plan_slug: str | None = None) -> list[dict[str, str]]:
    """Every status change (of one plan, or all), oldest first, as rows of strings."""
    query = (
        sa_select(
            col(Plan.slug),
            col(Issue.ref),
            col(StatusChange.from_status),
            col(StatusChange.to_status),
            col(StatusChange.note),
            col(StatusChange.by),
            col(StatusChange.at),
        )
        .join(Issue, col(StatusChange.issue_id) == Issue.id)
        .join(Plan, col(Issue.plan_id) == Plan.id)
        .order_by(col(StatusChange.at), col(StatusChange.id))
    )
    if plan_slug:
        query = query.where(col(Plan.slug) == plan_slug)
    return [
        dict(
            zip(
                HISTORY_COLUMNS,
                (slug, ref, old or "", new, note or "", by, at.isoformat()),
                strict=True,
            )
        )
        for slug, ref, old, new, note, by, at in session.execute(query).all()
    ]


def history_csv(rows: list[dict[str, str]]) -> str:
    """The history as CSV; cells a spreadsheet would run as formulas are neutralised."""
    return rows_to_csv(rows, HISTORY_COLUMNS)


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
