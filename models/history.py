"""The append-only record of what happened to an issue: status changes, evidence, due-date moves."""

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Index
from sqlmodel import Field, Relationship, SQLModel

from .clock import utcnow

if TYPE_CHECKING:
    from .plan import Issue


class StatusChange(SQLModel, table=True):
    """One update to an issue: a status move (from → to) and/or a progress note. Never edited."""

    __table_args__ = (Index("ix_statuschange_issue_at", "issue_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="issue.id")
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    # The council's own RAG rating before and after, when the update changed it (both empty
    # when it did not; a rating cleared has from_rag set and to_rag empty).
    from_rag: str | None = Field(default=None, max_length=20)
    to_rag: str | None = Field(default=None, max_length=20)
    note: str | None = None
    by: str = Field(max_length=200)
    by_user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, index=True)

    issue: "Issue" = Relationship(back_populates="status_changes")


class Evidence(SQLModel, table=True):
    """A link or a stored file that shows an issue's progress."""

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="issue.id", index=True)
    title: str = Field(max_length=300)
    url: str | None = Field(default=None, max_length=2000)
    stored_path: str | None = Field(default=None, max_length=500)  # relative to the evidence folder
    file_name: str | None = Field(default=None, max_length=300)
    content_type: str | None = Field(default=None, max_length=100)
    size_bytes: int | None = None
    added_by: str = Field(max_length=200)
    added_by_user_id: int | None = Field(default=None, foreign_key="user.id")
    added_at: datetime = Field(default_factory=utcnow, index=True)

    issue: "Issue" = Relationship(back_populates="evidence")


class DueDateChange(SQLModel, table=True):
    """A due date moved, with the reason given."""

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = Field(foreign_key="issue.id", index=True)
    from_due: date | None = None
    to_due: date | None = None
    from_precision: str | None = Field(default=None, max_length=20)
    to_precision: str | None = Field(default=None, max_length=20)
    reason: str
    by: str = Field(max_length=200)
    by_user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow, index=True)
