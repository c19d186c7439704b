"""Updating issues: one write function per user action, each checking permission, validating and
writing the change with its history record in one transaction (the reads the update screens
need are in dashboard/reads/issues.py).

Lost updates are prevented by optimistic locking (Issue.version): every write says which version
the person saw, and a save over someone else's newer change raises `Conflict`. The check is the
write itself, `UPDATE issue … WHERE id = :issue AND version = :seen`: of two saves from the same
version exactly one changes the row, on SQLite and PostgreSQL alike, and the other is refused
before its history row is written. Status, note, due date and evidence all move the version on.

A tick-off (status and/or note) is the write officers make most, often many at once before a
meeting, so it is written as three plain statements (read the issue with its leads; update it
where its version is still the one seen; add the history row) rather than through the ORM's
unit of work: the same rules, a fraction of the interpreter time, which is what 20 officers
saving at once queue for. Due-date changes are written the same way.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, bindparam, insert, update
from sqlalchemy import select as sa_select
from sqlmodel import Session

from dashboard.formats.words import time_text
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor, require_can_update
from dashboard.rules.timescale import Precision
from dashboard.store import evidence_files
from dashboard.store.db import begin_write, write_transaction
from dashboard.store.limits import check_text, longest
from dashboard.store.settings import Settings
from models import (
    CLOSED_STATUSES,
    OWN_RAG_VALUES,
    STATUS_VALUES,
    DueDateChange,
    Evidence,
    Issue,
    IssueLead,
    Status,
    StatusChange,
    utcnow,
)

MAX_NOTE_LENGTH = 10_000


class UpdateRefused(Refused):
    """The update is not valid; the message says why in plain words."""


class Conflict(Refused):
    """Someone else saved the issue after this person opened it (the page says so and keeps what
    the person wrote)."""

    def __init__(self, *, ref: str, by: str | None, at: datetime | None) -> None:
        self.ref, self.by, self.at = ref, by, at
        who = by or "Someone else"
        when = f" at {time_text(at)}" if at else ""
        super().__init__(f"{who} changed issue {ref}{when} while you were editing.")


class _Keep(Enum):
    RATING = "keep"


# The council's own RAG rating as it is: what a save that does not mention the rating passes.
KEEP_RATING = _Keep.RATING
OwnRating = str | None | _Keep  # Red, Amber or Green; None for "Not set"; or KEEP_RATING


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
    own_rag: OwnRating = KEEP_RATING


@dataclass(frozen=True)
class SavedIssue:
    """An issue as a tick-off left it."""

    id: int
    ref: str
    status: str
    version: int
    updated_by: str
    updated_at: datetime
    own_rag: str | None = None


# ---------------------------------------------------------------- write functions


def record_status_change(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    status: str,
    note: str | None,
    expected_version: int,
    own_rag: OwnRating = KEEP_RATING,
) -> SavedIssue:
    """Move an issue to `status`, add a progress note and/or set the council's own RAG rating."""
    with write_transaction(session):
        connection = begin_write(session)
        current = _current(connection, actor, issue_id, expected_version)
        change = _status_change(current, actor, status, note, own_rag)
        if change is None:
            raise UpdateRefused(_nothing_to_save(current.ref))
        saved = _write_status(session, connection, current, actor, change)
    return saved


def add_evidence(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    title: str | None = None,
    url: str | None = None,
    upload: EvidenceUpload | None = None,
    settings: Settings,
    expected_version: int | None = None,
) -> list[Evidence]:
    """Attach a link and/or a file to an issue as evidence of its progress (from the version the
    person saw, when given: a save in between is a Conflict)."""
    stored: list[str] = []
    with write_transaction(session, on_rollback=lambda: _remove_files(stored, settings)):
        connection = begin_write(session)
        current = _current(connection, actor, issue_id, expected_version)
        added = _apply_evidence(session, issue_id, actor, title, url, upload, settings, stored)
        if not added:
            raise UpdateRefused("Give a link or attach a file as evidence.")
        _claim(session, connection, current, actor, {})
    return added


def record_update(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    expected_version: int,
    status: str,
    note: str | None = None,
    own_rag: OwnRating = KEEP_RATING,
    evidence_title: str | None = None,
    evidence_url: str | None = None,
    upload: EvidenceUpload | None = None,
    settings: Settings,
) -> SavedIssue:
    """The update form of one issue: status, note, the council's own RAG rating and evidence
    saved together or not at all."""
    stored: list[str] = []
    with write_transaction(session, on_rollback=lambda: _remove_files(stored, settings)):
        connection = begin_write(session)
        current = _current(connection, actor, issue_id, expected_version)
        change = _status_change(current, actor, status, note, own_rag)
        evidence = _apply_evidence(
            session, issue_id, actor, evidence_title, evidence_url, upload, settings, stored
        )
        if change is None and not evidence:
            raise UpdateRefused(_nothing_to_save(current.ref))
        saved = (
            _write_status(session, connection, current, actor, change)
            if change is not None
            else _claim(session, connection, current, actor, {})
        )
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
    day = Precision.DAY.value
    reason = (reason or "").strip()
    with write_transaction(session):
        connection = begin_write(session)
        current = _current(connection, actor, issue_id, expected_version)
        if not reason:
            raise UpdateRefused("Say why the due date is changing.")
        if len(reason) > MAX_NOTE_LENGTH:
            raise UpdateRefused(
                f"The reason for the new due date of issue {current.ref} is longer than "
                f"{MAX_NOTE_LENGTH:,} characters."
            )
        if due_date == current.due_date and (due_date is None or current.due_precision == day):
            raise UpdateRefused(f"Issue {current.ref} is already due on that date.")
        precision = day if due_date else None
        saved = _claim(
            session, connection, current, actor, {"due_date": due_date, "due_precision": precision}
        )
        connection.execute(
            insert(_DUE_DATE_CHANGE),
            {
                "issue_id": issue_id,
                "from_due": current.due_date,
                "to_due": due_date,
                "from_precision": current.due_precision,
                "to_precision": precision,
                "reason": reason,
                "by": actor.name,
                "by_user_id": actor.user_id,
                "at": saved.updated_at,
            },
        )
    moved = session.get(Issue, issue_id, populate_existing=True)
    if moved is None:
        raise UpdateRefused("That issue no longer exists.")
    return moved


def bulk_update(
    *, session: Session, actor: Actor, changes: Sequence[IssueChange]
) -> list[SavedIssue]:
    """Several issues' status, notes and own RAG ratings at once: every change is saved, or none
    is."""
    if not changes:
        raise UpdateRefused("Nothing to save: change a status or write a note first.")
    staged: list[tuple[_Current, dict[str, Any]]] = []
    problems: list[str] = []
    with write_transaction(session):
        connection = begin_write(session)
        for item in changes:
            current = _current(connection, actor, item.issue_id, item.expected_version)
            try:
                change = _status_change(current, actor, item.status, item.note, item.own_rag)
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
    return saved


# ---------------------------------------------------------------- rules shared by the writes


_ISSUE = Issue.__table__  # type: ignore[attr-defined]
_ISSUE_LEAD = IssueLead.__table__  # type: ignore[attr-defined]
_STATUS_CHANGE = StatusChange.__table__  # type: ignore[attr-defined]
_DUE_DATE_CHANGE = DueDateChange.__table__  # type: ignore[attr-defined]

# The issue as the database has it now, one row per lead (compiled once, reused by every save).
_CURRENT = (
    sa_select(
        _ISSUE.c.ref,
        _ISSUE.c.status,
        _ISSUE.c.version,
        _ISSUE.c.updated_by,
        _ISSUE.c.updated_at,
        _ISSUE.c.due_date,
        _ISSUE.c.due_precision,
        _ISSUE.c.own_rag,
        _ISSUE.c.retired_at,
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
        own_rag=bindparam("new_rag"),
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
    due_date: date | None
    due_precision: str | None
    own_rag: str | None


def _current(
    connection: Connection, actor: Actor, issue_id: int, expected_version: int | None
) -> _Current:
    """The issue as the database has it now, after the permission and version checks."""
    rows = connection.execute(_CURRENT, {"issue_id": issue_id}).all()
    if not rows:
        raise UpdateRefused("That issue no longer exists.")
    ref, status, version, updated_by, updated_at, due_date, due_precision, own_rag, retired, _ = (
        rows[0]
    )
    require_can_update(actor, {row[-1] for row in rows if row[-1] is not None}, ref)
    if retired is not None:
        raise UpdateRefused(
            f"Issue {ref} has been retired from the plan, so it is no longer updated: "
            "ask your equality lead if it should be restored."
        )
    if expected_version is not None and version != expected_version:
        raise Conflict(ref=ref, by=updated_by, at=updated_at)
    return _Current(
        issue_id, ref, status, version, updated_by, updated_at, due_date, due_precision, own_rag
    )


def _status_change(
    current: _Current, actor: Actor, status: str, note: str | None, own_rag: OwnRating
) -> dict[str, Any] | None:
    """The history row of a status change, note and/or change of the council's own rating;
    None when there is nothing to record."""
    if own_rag is not KEEP_RATING and own_rag is not None and own_rag not in OWN_RAG_VALUES:
        choices = ", ".join(OWN_RAG_VALUES)
        raise UpdateRefused(
            f"'{own_rag}' is not a RAG rating. Choose one of {choices}, or Not set."
        )
    new_rag = current.own_rag if own_rag is KEEP_RATING else own_rag
    rag_moved = new_rag != current.own_rag
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
    if new.value == current.status and not note and not rag_moved:
        return None
    return {
        "issue_id": current.id,
        "from_status": current.status,
        "to_status": new.value,
        "from_rag": current.own_rag if rag_moved else None,
        "to_rag": new_rag if rag_moved else None,
        "own_rag": new_rag,  # the issue's rating after the save (not a history column)
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
            "new_rag": change["own_rag"],
            "new_version": current.version + 1,
            "now": now,
            "by_name": actor.name,
        },
    )
    if moved.rowcount != 1:
        raise _conflict(connection, current)
    history = {key: value for key, value in change.items() if key != "own_rag"}
    connection.execute(insert(_STATUS_CHANGE), [history | {"at": now}])
    _forget_held(session, current.id)
    return SavedIssue(
        current.id,
        current.ref,
        change["to_status"],
        current.version + 1,
        actor.name,
        now,
        change["own_rag"],
    )


def _claim(
    session: Session,
    connection: Connection,
    current: _Current,
    actor: Actor,
    values: dict[str, Any],
) -> SavedIssue:
    """Move the issue on from the version read, writing `values` with it; a Conflict when
    another save got there first (the check and the write are one statement)."""
    now = utcnow()
    moved = connection.execute(
        update(_ISSUE)
        .where(_ISSUE.c.id == current.id, _ISSUE.c.version == current.version)
        .values(version=current.version + 1, updated_at=now, updated_by=actor.name, **values)
    )
    if moved.rowcount != 1:
        raise _conflict(connection, current)
    _forget_held(session, current.id)
    return SavedIssue(
        current.id,
        current.ref,
        current.status,
        current.version + 1,
        actor.name,
        now,
        current.own_rag,
    )


def _conflict(connection: Connection, current: _Current) -> Conflict:
    """The Conflict of a save that lost the race: who saved the issue since, and when."""
    found = connection.execute(_CURRENT, {"issue_id": current.id}).first()
    if found is None:
        return Conflict(ref=current.ref, by=None, at=None)
    return Conflict(ref=current.ref, by=found.updated_by, at=found.updated_at)


def _forget_held(session: Session, issue_id: int) -> None:
    """An Issue object this session already holds is out of date now: reload it when next read."""
    held = session.identity_map.get(session.identity_key(Issue, issue_id))
    if held is not None:
        session.expire(held)


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
    title = (title or "").strip()  # a title too long for its field is refused, never cut
    url = (url or "").strip()
    check_text("evidence", "title", title)  # before a file is written, naming what was typed
    check_text("evidence", "url", url)
    added: list[Evidence] = []
    if url:
        _check_link(url)
        shown_as = title or url[: longest(Evidence, "title")]
        link = Evidence(issue_id=issue_id, title=shown_as, url=url, added_by=actor.name)
        link.added_by_user_id = actor.user_id
        added.append(link)
    if upload is not None:
        try:
            kept = evidence_files.store(
                data=upload.data, file_name=upload.file_name, issue_id=issue_id, settings=settings
            )
        except OSError:  # a full disk, or a folder the server may not write to
            raise UpdateRefused(
                f"{upload.file_name} could not be kept: the evidence folder cannot be written "
                "to. Nothing was saved. Tell whoever runs the server."
            ) from None
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


def _nothing_to_save(ref: str) -> str:
    return (
        f"Nothing to save for issue {ref}: choose a new status or RAG rating, write a note or "
        "add evidence."
    )


def _remove_files(stored: list[str], settings: Settings) -> None:
    for path in stored:
        evidence_files.remove(path, settings)
