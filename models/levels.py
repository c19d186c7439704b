"""Level criteria (loaded as data, never invented), their links to issues, and self-assessments."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from .clock import utcnow


class Judgement(StrEnum):
    MET = "Met"
    PARTLY_MET = "Partly met"
    NOT_MET = "Not met"


class Criterion(SQLModel, table=True):
    """One criterion of a framework level within a theme, e.g. ref "D1.2"."""

    __table_args__ = (UniqueConstraint("theme_id", "level_id", "ref"),)

    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", index=True)
    level_id: int = Field(foreign_key="level.id", index=True)
    ref: str = Field(max_length=40)
    position: int = 0
    text: str
    guidance: str | None = None


class IssueCriterion(SQLModel, table=True):
    """An issue contributes to meeting a criterion (many-to-many)."""

    issue_id: int = Field(foreign_key="issue.id", primary_key=True)
    criterion_id: int = Field(foreign_key="criterion.id", primary_key=True, index=True)


class SelfAssessment(SQLModel, table=True):
    """A dated self-assessment of one framework theme for one organisation."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    theme_id: int = Field(foreign_key="theme.id", index=True)
    assessed_on: date
    level_claimed_id: int | None = Field(default=None, foreign_key="level.id")
    narrative: str = ""
    by: str = Field(max_length=200)
    by_user_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class CriterionAssessment(SQLModel, table=True):
    """The judgement on one criterion within a self-assessment, with its evidence links."""

    __table_args__ = (UniqueConstraint("assessment_id", "criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    assessment_id: int = Field(foreign_key="selfassessment.id", index=True)
    criterion_id: int = Field(foreign_key="criterion.id", index=True)
    judgement: str = Field(max_length=20)
    evidence: str = ""  # one link or reference per line
    note: str | None = None
