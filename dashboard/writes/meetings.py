"""Recording a meeting: a frozen snapshot of every issue when progress is presented (the reads
of meetings and snapshots are in dashboard/reads/meetings.py)."""

from datetime import date
from typing import Any

from sqlalchemy import func, insert
from sqlmodel import Session, select

from dashboard.formats.words import day_text, time_text
from dashboard.reads.meetings import MeetingError, issue_states
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.db import begin_write, write_transaction
from models import Evidence, StatusChange, pk
from models.meeting import IssueSnapshot, Meeting

BODIES = (
    "Corporate Management Team",
    "Scrutiny committee",
    "Equalities Monitoring Group",
    "Peer challenge",
    "Other",
)


def record_meeting(
    *,
    session: Session,
    actor: Actor,
    body: str,
    title: str,
    held_on: date,
    today: date,
    amber_days: int,
) -> Meeting:
    """Record a meeting and freeze every issue's status, RAG, due date and progress (admins)."""
    require_admin(actor, "record a meeting")
    if not title.strip():
        raise MeetingError("Give the meeting a title, for example 'CMT quarterly update'.")
    if not body.strip():
        raise MeetingError("Say which body the meeting was of.")
    with write_transaction(session):
        begin_write(session, serialise="meetings")  # two people recording it at once: one wins
        _refuse_a_second_record(session, body.strip(), title.strip(), held_on)
        last_change = session.exec(select(func.max(StatusChange.id))).one() or 0
        last_evidence = session.exec(select(func.max(Evidence.id))).one() or 0
        meeting = Meeting(
            body=body.strip(),
            title=title.strip(),
            held_on=held_on,
            recorded_by=actor.name,
            last_status_change_id=last_change,
            last_evidence_id=last_evidence,
        )
        session.add(meeting)
        session.flush()
        _freeze(session, pk(meeting), today, amber_days)
    return meeting


def _refuse_a_second_record(session: Session, body: str, title: str, held_on: date) -> None:
    """A meeting of the same body, title and day is recorded once (a second press of the button,
    or two people recording it at the same moment)."""
    same = session.exec(
        select(Meeting).where(
            func.lower(Meeting.title) == title.lower(),
            func.lower(Meeting.body) == body.lower(),
            Meeting.held_on == held_on,
        )
    ).first()
    if same is not None:
        raise MeetingError(
            f"“{same.title}” ({same.body}) on {day_text(held_on)} is already recorded, by "
            f"{same.recorded_by} at {time_text(same.recorded_at)}. Nothing was recorded again."
        )


def _freeze(session: Session, meeting_id: int, today: date, amber_days: int) -> None:
    """The meeting's snapshot: every issue as it stands now, one row each."""
    states = issue_states(session, today, amber_days)
    rows: list[dict[str, Any]] = [
        {str(k): v for k, v in record.items()}
        for record in states.astype(object).where(states.notna(), None).to_dict("records")
    ]
    for row in rows:
        row["meeting_id"] = meeting_id
    table = IssueSnapshot.__table__  # type: ignore[attr-defined]
    for start in range(0, len(rows), 10_000):
        session.execute(insert(table), rows[start : start + 10_000])
