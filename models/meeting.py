"""Meetings where progress was presented, and the frozen snapshot of every issue at that moment."""

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .clock import utcnow


class Meeting(SQLModel, table=True):
    """A CMT, scrutiny, monitoring group or peer-challenge meeting that progress went to."""

    id: int | None = Field(default=None, primary_key=True)
    body: str = Field(max_length=100)  # e.g. "Corporate Management Team"
    title: str = Field(max_length=300)
    held_on: date = Field(index=True)
    recorded_at: datetime = Field(default_factory=utcnow)
    recorded_by: str = Field(max_length=200)
    # Everything in history up to these ids was known when the snapshot was taken.
    last_status_change_id: int = 0
    last_evidence_id: int = 0


class IssueSnapshot(SQLModel, table=True):
    """An issue exactly as it stood when a meeting was recorded. Never changed afterwards."""

    __table_args__ = (
        Index("ix_issuesnapshot_meeting_issue", "meeting_id", "issue_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    issue_id: int = Field(foreign_key="issue.id", index=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    section_heading: str = Field(max_length=300)
    ref: str = Field(max_length=20)
    text: str
    leads: str = ""
    status: str = Field(max_length=20)
    rag: str = Field(max_length=20)
    due_date: date | None = None
    due_precision: str | None = Field(default=None, max_length=20)
    evidence_count: int = 0
    last_note: str | None = None
    last_update_at: datetime | None = None
