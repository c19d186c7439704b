"""Protected characteristics of the Equality Act 2010, plus optional local ones."""

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column
from sqlmodel import Field, Relationship, SQLModel

if TYPE_CHECKING:
    from .plan import IssueCharacteristic


class Characteristic(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=100)
    position: int
    protected: bool = True  # False for local additions such as carers or rural isolation
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

    issue_links: list["IssueCharacteristic"] = Relationship(back_populates="characteristic")
