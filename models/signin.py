"""Local sign-ins kept on the server: one row per browser signed in with a password. The browser
holds a random token in an HttpOnly cookie; only its SHA-256 hash is stored, so a copy of the
database lets nobody in."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from .clock import utcnow

TOKEN_HASH_LENGTH = 64  # hex SHA-256


class SignInSession(SQLModel, table=True):
    __tablename__ = "sign_in_session"  # type: ignore[assignment]

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=TOKEN_HASH_LENGTH, unique=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)  # the sign-in: the absolute time-out
    last_used_at: datetime = Field(default_factory=utcnow)  # the idle time-out (a minute's grain)
