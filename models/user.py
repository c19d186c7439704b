"""People who sign in, their role and the leads they act for."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from .clock import utcnow

# Longest values a column holds (the rules refuse longer ones before they reach the database).
EMAIL_LENGTH = 320
OIDC_ISSUER_LENGTH = 300
OIDC_SUBJECT_LENGTH = 255  # OpenID Connect's own limit for `sub`


class Role(StrEnum):
    VIEWER = "viewer"  # reads everything
    OFFICER = "officer"  # updates the issues of the leads they act for
    ADMIN = "admin"  # equality lead: updates any issue; manages plans, users, imports, meetings


class User(SQLModel, table=True):
    # An organisation sign-in (OIDC) is matched on its issuer and subject, never on an e-mail
    # alone: one identity belongs to at most one account.
    __table_args__ = (UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_user_oidc"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=EMAIL_LENGTH, unique=True)  # stored lower-case
    display_name: str = Field(max_length=200)
    role: str = Field(default=Role.VIEWER.value, max_length=20)
    password_hash: str | None = Field(default=None, max_length=300)
    disabled: bool = False
    failed_attempts: int = 0
    locked_until: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    last_sign_in: datetime | None = None
    # The organisation sign-in linked to this account: the `iss` and `sub` claims of its token.
    oidc_issuer: str | None = Field(default=None, max_length=OIDC_ISSUER_LENGTH)
    oidc_subject: str | None = Field(default=None, max_length=OIDC_SUBJECT_LENGTH)
    signed_out_at: datetime | None = None  # every sign-in made before this time is over


class UserLead(SQLModel, table=True):
    user_id: int = Field(foreign_key="user.id", primary_key=True)
    lead_id: int = Field(foreign_key="lead.id", primary_key=True, index=True)
