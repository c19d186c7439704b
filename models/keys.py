"""Primary keys of saved rows, typed as int (SQLModel declares them Optional until saved)."""

from typing import Protocol


class _Saved(Protocol):
    id: int | None


def pk(row: _Saved) -> int:
    """The id of a row that has been flushed to the database."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has not been saved yet")
    return row.id
