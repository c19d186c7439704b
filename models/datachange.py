"""A row per write transaction, so every app server can tell cheaply that data changed elsewhere."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from .clock import utcnow


class DataChange(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
