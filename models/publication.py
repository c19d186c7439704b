"""Published equality information: each version kept exactly as the public saw it."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from .clock import utcnow


class Publication(SQLModel, table=True):
    """One published version. `content` holds everything the pages show, gathered from the plan
    when it was published; the pages are drawn from it, never from the live plan, so later edits
    to the plan change nothing here. Rows are only ever added."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    nation: str = Field(max_length=20)
    published_on: date
    covers_from: date
    covers_to: date
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    by: str = Field(max_length=200)
    at: datetime = Field(default_factory=utcnow)


class PublicationDraft(SQLModel, table=True):
    """What the equality lead has written for a plan's next publication in one nation, kept
    between visits: the narrative sections, the reasons recorded for missing items, the period
    covered and whether officers are named. One per plan and nation; replaced on each save."""

    __table_args__ = (UniqueConstraint("plan_id", "nation"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    nation: str = Field(max_length=20)
    narrative: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    reasons: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    covers_from: date | None = None
    covers_to: date | None = None
    show_officers: bool = False
    by: str = Field(max_length=200)
    at: datetime = Field(default_factory=utcnow)
