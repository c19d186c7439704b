"""Councils and the leads (services, officer roles, people, boards, partnerships) within them."""

from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

if TYPE_CHECKING:
    from .plan import IssueLead, Plan


class LeadKind(StrEnum):
    SERVICE = "service"
    OFFICER = "officer"
    PERSON = "person"
    BOARD = "board"
    PARTNERSHIP = "partnership"


class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    note: str | None = None
    source: str | None = Field(default=None, max_length=200)

    leads: list["Lead"] = Relationship(back_populates="organisation")
    plans: list["Plan"] = Relationship(back_populates="organisation")


class Lead(SQLModel, table=True):
    """Who leads an issue. Officers and people may roll up into a parent service."""

    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default=LeadKind.SERVICE.value, max_length=20)
    parent_id: int | None = Field(default=None, foreign_key="lead.id", index=True)
    description: str | None = None

    organisation: Organisation = Relationship(back_populates="leads")
    aliases: list["LeadAlias"] = Relationship(
        back_populates="lead", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )
    issue_links: list["IssueLead"] = Relationship(back_populates="lead")


class LeadAlias(SQLModel, table=True):
    """Another spelling of a lead's name, as found in a document ("CMT", "Comm.Devel")."""

    __table_args__ = (UniqueConstraint("organisation_id", "alias_key"),)

    id: int | None = Field(default=None, primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    alias: str = Field(max_length=200)
    alias_key: str = Field(max_length=200)  # case- and space-folded, for matching

    lead: Lead = Relationship(back_populates="aliases")
