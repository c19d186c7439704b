"""Action plans, their sections (themes), issues, and issue links to leads and characteristics."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Column, Integer, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from .clock import utcnow
from .status import OWN_RAG_VALUES, RATING_SOURCE_VALUES, STATUS_VALUES, RatingSource, Status

if TYPE_CHECKING:
    from .characteristic import Characteristic
    from .framework import FrameworkVersion, Level, Theme
    from .history import Evidence, StatusChange
    from .organisation import Lead, Organisation


class Plan(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(
            "rating_source IN (" + ", ".join(f"'{v}'" for v in RATING_SOURCE_VALUES) + ")",
            name="ck_plan_rating_source",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=80, unique=True)
    title: str = Field(max_length=300)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    framework_id: int | None = Field(default=None, foreign_key="frameworkversion.id")
    level_id: int | None = Field(default=None, foreign_key="level.id")
    owner_lead_id: int | None = Field(default=None, foreign_key="lead.id")
    period: str | None = Field(default=None, max_length=40)
    source_document: str | None = Field(default=None, max_length=200)
    source_title: str | None = None
    introduction: str | None = None
    # Which rating the plan's Red, Amber and Green figures use (models.status.RatingSource).
    rating_source: str = Field(default=RatingSource.DATES.value, max_length=20)
    created_at: datetime = Field(default_factory=utcnow)

    organisation: "Organisation" = Relationship(back_populates="plans")
    framework: "FrameworkVersion" = Relationship(back_populates="plans")
    sections: list["Section"] = Relationship(
        back_populates="plan",
        sa_relationship_kwargs={"order_by": "Section.position", "cascade": "all, delete-orphan"},
    )
    issues: list["Issue"] = Relationship(
        back_populates="plan",
        sa_relationship_kwargs={"order_by": "Issue.position", "cascade": "all, delete-orphan"},
    )


class Section(SQLModel, table=True):
    """A theme or section heading of a plan, as written, optionally mapped to a framework theme."""

    __table_args__ = (UniqueConstraint("plan_id", "heading"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    position: int
    heading: str = Field(max_length=300)
    theme_id: int | None = Field(default=None, foreign_key="theme.id", index=True)
    description: str | None = None

    plan: Plan = Relationship(back_populates="sections")
    theme: "Theme" = Relationship()
    issues: list["Issue"] = Relationship(back_populates="section")


_version_column = Column("version", Integer, nullable=False, default=1)


class Issue(SQLModel, table=True):
    """One numbered action of a plan ("Issues which need to be addressed")."""

    __table_args__ = (
        UniqueConstraint("plan_id", "ref"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{v}'" for v in STATUS_VALUES) + ")",
            name="ck_issue_status",
        ),
        CheckConstraint(
            "own_rag IS NULL OR own_rag IN (" + ", ".join(f"'{v}'" for v in OWN_RAG_VALUES) + ")",
            name="ck_issue_own_rag",
        ),
    )
    __mapper_args__: dict[str, Any] = {"version_id_col": _version_column}

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    section_id: int = Field(foreign_key="section.id", index=True)
    ref: str = Field(max_length=20)
    position: int
    text: str
    objective: str | None = None
    lead_text: str | None = None  # the lead cell exactly as the source had it
    level_id: int | None = Field(default=None, foreign_key="level.id", index=True)
    timescale: str | None = None  # as written
    due_date: date | None = Field(default=None, index=True)
    due_precision: str | None = Field(default=None, max_length=20)
    recurrence: str | None = Field(default=None, max_length=20)
    measure: str | None = None
    status: str = Field(default=Status.NOT_STARTED.value, max_length=20, index=True)
    # The council's own RAG rating (models.status.OwnRag), beside the one worked out from dates.
    own_rag: str | None = Field(default=None, max_length=20)
    version: int = Field(default=1, sa_column=_version_column)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: str | None = Field(default=None, max_length=200)
    # Set when an equality lead retires the issue (the reason is in its PlanChange row): kept in
    # history and meeting snapshots, left out of progress, and restorable.
    retired_at: datetime | None = Field(default=None, index=True)

    plan: Plan = Relationship(back_populates="issues")
    section: Section = Relationship(back_populates="issues")
    level: "Level" = Relationship()
    lead_links: list["IssueLead"] = Relationship(
        back_populates="issue",
        sa_relationship_kwargs={"order_by": "IssueLead.position", "cascade": "all, delete-orphan"},
    )
    characteristic_links: list["IssueCharacteristic"] = Relationship(
        back_populates="issue", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    status_changes: list["StatusChange"] = Relationship(
        back_populates="issue", sa_relationship_kwargs={"order_by": "StatusChange.id"}
    )
    evidence: list["Evidence"] = Relationship(
        back_populates="issue", sa_relationship_kwargs={"order_by": "Evidence.id"}
    )


class IssueLead(SQLModel, table=True):
    """Ordered link from an issue to its leads; position 0 is the primary lead."""

    issue_id: int = Field(foreign_key="issue.id", primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", primary_key=True, index=True)
    position: int = 0

    issue: Issue = Relationship(back_populates="lead_links")
    lead: "Lead" = Relationship(back_populates="issue_links")


class IssueCharacteristic(SQLModel, table=True):
    issue_id: int = Field(foreign_key="issue.id", primary_key=True)
    characteristic_id: int = Field(foreign_key="characteristic.id", primary_key=True, index=True)

    issue: Issue = Relationship(back_populates="characteristic_links")
    characteristic: "Characteristic" = Relationship(back_populates="issue_links")
