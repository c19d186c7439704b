"""indexes for finding an issue by its words, ref, lead or notes

PostgreSQL: the pg_trgm extension and trigram (GIN) indexes on the issue text, the lead names and
the update notes, which ILIKE '%word%' uses. SQLite: FTS5 trigram tables over the update notes
(`search_note`, its content read from `statuschange`) and the issue text (`search_issue`, read
from `issue`), kept up to date by triggers. Both: an index on the lower-case ref.

Every object made here is named `search_…` or `ix_search_…`: the models do not describe them
(dashboard/store/db.py `is_search_object` leaves them out of the comparison with the models).
A later SQLite migration that rebuilds `statuschange` or `issue` (batch mode) drops their
triggers: it must make them again (`sqlite_triggers` below, with the table's name).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRIGRAM = {
    "ix_search_issue_text": ("issue", "text"),
    "ix_search_lead_name": ("lead", "name"),
    "ix_search_statuschange_note": ("statuschange", "note"),
}
# SQLite's full-text tables: name → (the table whose column it holds, that column).
_SQLITE_FTS = {"search_note": ("statuschange", "note"), "search_issue": ("issue", "text")}


def _fts_triggers(fts: str) -> tuple[str, ...]:
    table, column = _SQLITE_FTS[fts]
    remove = f"INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column});"
    add = f"INSERT INTO {fts} (rowid, {column}) VALUES (new.id, new.{column});"
    return (
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {column} ON {table} BEGIN "
        f"{remove} {add} END",
    )


def sqlite_triggers(table: str) -> None:
    """Make again the triggers keeping the full-text table of ``table`` up to date."""
    for fts, (source, _column) in _SQLITE_FTS.items():
        if source == table:
            for statement in _fts_triggers(fts):
                op.execute(statement)


def upgrade() -> None:
    op.execute("CREATE INDEX ix_search_issue_ref ON issue (lower(ref))")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in _TRIGRAM.items():
            op.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")
    else:
        for fts, (table, column) in _SQLITE_FTS.items():
            op.execute(
                f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
                "content_rowid='id', tokenize='trigram')"
            )
            op.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")
            sqlite_triggers(table)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in _TRIGRAM:
            op.execute(f"DROP INDEX {name}")
        # (the extension stays: another database object may use it)
    else:
        for fts in _SQLITE_FTS:
            for trigger in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER {fts}_{trigger}")
            op.execute(f"DROP TABLE {fts}")
    op.execute("DROP INDEX ix_search_issue_ref")
