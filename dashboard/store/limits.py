"""The one guard on what is stored: every INSERT and UPDATE, the ORM's (a flush) and the plain
statements some writes make (dashboard/writes/updates.py), has each piece of text checked
against its column's length, read from the models (models/), and for characters no database can
keep (NUL, and the broken halves of characters that invalid UTF-8 turns into).

PostgreSQL refuses such values itself, with an error no person should see; SQLite stores them
silently. Checked here, before anything is sent, both databases refuse the same values with the
same plain sentence naming the field, and the write's transaction is rolled back whole.
"""

import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine, String, event
from sqlalchemy.sql.dml import ValuesBase
from sqlalchemy.sql.elements import BindParameter
from sqlmodel import SQLModel

from dashboard.formats.words import field_words
from dashboard.rules.errors import Refused

# NUL, which PostgreSQL cannot store in text, and lone surrogates: what Python makes of bytes
# that are not UTF-8 (a command-line argument, a file name), which no database can encode.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


class StorageRefused(Refused):
    """A value too long for its field, or holding a character that cannot be stored."""


@cache
def _text_columns() -> dict[str, dict[str, int | None]]:
    """Every table's text columns and their longest length (None: no limit), from the models."""
    return {
        table.name: {
            column.name: getattr(column.type, "length", None)
            for column in table.columns
            if isinstance(getattr(column.type, "impl", column.type), String)
        }
        for table in SQLModel.metadata.sorted_tables
    }


def longest(model: type[SQLModel], field: str) -> int:
    """The most characters a field of a table may hold (for a form field's max_chars)."""
    length = _text_columns()[str(model.__tablename__)][field]
    if length is None:
        raise KeyError(f"{model.__name__}.{field} has no length limit")
    return length


def check_text(table: str, column: str, value: object) -> None:
    """Refuse a value the column cannot hold; the message names the field in words."""
    if not isinstance(value, str):
        return
    limit = _text_columns().get(table, {}).get(column)
    if _UNSTORABLE.search(value):
        raise StorageRefused(
            f"The {field_words(table, column)} contains a character that cannot be stored "
            "(a NUL or a broken character, often from a copied file): remove it and try again."
        )
    if limit is not None and len(value) > limit:
        raise StorageRefused(
            f"The {field_words(table, column)} can be at most {limit:,} characters; "
            f"this one has {len(value):,}."
        )


def watch(engine: Engine) -> None:
    """Check every INSERT and UPDATE run on `engine` (called once, by make_engine)."""
    event.listen(engine, "before_execute", _check_statement)


def _check_statement(
    _connection: Connection,
    statement: Any,
    multiparams: Sequence[Mapping[str, Any]],
    params: Mapping[str, Any],
    _options: Any,
) -> None:
    if not isinstance(statement, ValuesBase):
        return
    table = str(getattr(statement.table, "name", ""))
    columns = _text_columns().get(table)
    if not columns:
        return
    rows = list(multiparams) or [params]
    for column, value in _values(statement, rows):
        if column in columns:
            check_text(table, column, value)


def _values(statement: ValuesBase, rows: Sequence[Mapping[str, Any]]) -> Iterator[tuple[str, Any]]:
    """(column, value) of everything the statement would write: its parameter rows, and the
    values written into it (`.values(…)`), literal or named by a bindparam found in the rows."""
    for row in rows:
        yield from row.items()
    written: list[Mapping[Any, Any]] = [statement._values or {}]  # (no public view of them)
    for values in statement._multi_values:
        written.extend(item for item in values if isinstance(item, Mapping))
    for mapping in written:
        for key, value in mapping.items():
            column = key if isinstance(key, str) else str(key.key)
            if not isinstance(value, BindParameter):
                continue
            if value.value is not None:
                yield column, value.value
            for row in rows:
                if value.key in row:
                    yield column, row[value.key]
