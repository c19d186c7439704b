"""People who sign in, their role and the leads they act for."""

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from .clock import utcnow


class Role(StrEnum):
    VIEWER = "viewer"  # reads everything
    OFFICER = "officer"  # updates the issues of the leads they act for
    ADMIN = "admin"  # equality lead: updates any issue; manages plans, users, imports, meetings


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True)  # stored lower-case
    display_name: str = Field(max_length=200)
    role: str = Field(default=Role.VIEWER.value, max_length=20)
    password_hash: str | None = Field(default=None, max_length=300)
    disabled: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_sign_in: datetime | None = None


class UserLead(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", primary_key=True, index=True)
