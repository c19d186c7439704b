"""Timestamps are timezone-aware UTC; SQLModel stores them alike on SQLite and PostgreSQL."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
