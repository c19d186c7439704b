"""Framework versions (EFLG 2009, 2011 refresh, 2021), their ordered levels and themes."""

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

if TYPE_CHECKING:
    from .plan import Plan


class FrameworkVersion(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    publisher: str | None = Field(default=None, max_length=100)
    year: int | None = None

    levels: list["Level"] = Relationship(back_populates="framework")
    themes: list["Theme"] = Relationship(back_populates="framework")
    plans: list["Plan"] = Relationship(back_populates="framework")


class Level(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("framework_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="frameworkversion.id", index=True)
    position: int
    name: str = Field(max_length=40)
    description: str = ""

    framework: FrameworkVersion = Relationship(back_populates="levels")


class Theme(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("framework_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    framework_id: int = Field(foreign_key="frameworkversion.id", index=True)
    position: int
    name: str = Field(max_length=200)
    short_name: str = Field(max_length=80)
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

    framework: FrameworkVersion = Relationship(back_populates="themes")


class ThemeMapping(SQLModel, table=True):
    """One theme of one framework version corresponds to a theme of another."""

    __table_args__ = (UniqueConstraint("from_theme_id", "to_theme_id"),)

    id: int | None = Field(default=None, primary_key=True)
    from_theme_id: int = Field(foreign_key="theme.id", index=True)
    to_theme_id: int = Field(foreign_key="theme.id", index=True)
    note: str | None = None
