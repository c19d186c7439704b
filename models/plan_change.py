"""The record of changes to a plan itself: issues added, reworded, moved, retired and restored,
and leads renamed, merged or handed on. Append-only, like an issue's status history."""

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from .clock import utcnow


class PlanChange(SQLModel, table=True):
    """One change to a plan's text or structure: which field went from what to what, who made it,
    when and why. ``kind`` is one of dashboard.rules.plan_edits.ChangeKind."""

    __table_args__ = (
        Index("ix_planchange_plan_at", "plan_id", "at"),
        Index("ix_planchange_issue_at", "issue_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int | None = Field(default=None, foreign_key="plan.id")
    issue_id: int | None = Field(default=None, foreign_key="issue.id")
    lead_id: int | None = Field(default=None, foreign_key="lead.id")
    kind: str = Field(max_length=30)
    field: str | None = Field(default=None, max_length=30)
    from_value: str | None = None
    to_value: str | None = None
    reason: str | None = None
    by: str = Field(max_length=200)
    by_user_id: int | None = Field(default=None, foreign_key="user.id")
    at: datetime = Field(default_factory=utcnow)
