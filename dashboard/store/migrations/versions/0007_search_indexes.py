"""indexes for finding an issue by its words, ref, lead or notes

PostgreSQL: the pg_trgm extension and trigram (GIN) indexes on the issue text, the lead names and
the update notes, which ILIKE '%word%' uses. SQLite: an FTS5 trigram table over the update notes
(`search_note`, its content read from `statuschange`), kept up to date by triggers. Both: an
index on the lower-case ref.

Every object made here is named `search_…` or `ix_search_…`: the models do not describe them
(dashboard/store/db.py `is_search_object` leaves them out of the comparison with the models).
A later SQLite migration that rebuilds `statuschange` (batch mode) drops its triggers: it must
make them again (`_sqlite_note_triggers` below).

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
_SQLITE_NOTE_TRIGGERS = (
    "CREATE TRIGGER search_note_insert AFTER INSERT ON statuschange BEGIN "
    "INSERT INTO search_note (rowid, note) VALUES (new.id, new.note); END",
    "CREATE TRIGGER search_note_delete AFTER DELETE ON statuschange BEGIN "
    "INSERT INTO search_note (search_note, rowid, note) VALUES ('delete', old.id, old.note); END",
    "CREATE TRIGGER search_note_update AFTER UPDATE OF note ON statuschange BEGIN "
    "INSERT INTO search_note (search_note, rowid, note) VALUES ('delete', old.id, old.note); "
    "INSERT INTO search_note (rowid, note) VALUES (new.id, new.note); END",
)


def _sqlite_note_triggers() -> None:
    for statement in _SQLITE_NOTE_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    op.execute("CREATE INDEX ix_search_issue_ref ON issue (lower(ref))")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, (table, column) in _TRIGRAM.items():
            op.execute(f"CREATE INDEX {name} ON {table} USING gin ({column} gin_trgm_ops)")
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_note USING fts5(note, content='statuschange', "
            "content_rowid='id', tokenize='trigram')"
        )
        op.execute("INSERT INTO search_note (search_note) VALUES ('rebuild')")
        _sqlite_note_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in _TRIGRAM:
            op.execute(f"DROP INDEX {name}")
        # (the extension stays: another database object may use it)
    else:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER search_note_{trigger}")
        op.execute("DROP TABLE search_note")
    op.execute("DROP INDEX ix_search_issue_ref")
