"""Alembic owns the schema: an empty database migrates to head; the models match the migrations."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from dashboard.store.db import (
    alembic_config,
    include_in_comparison,
    make_engine,
    migrate,
    schema_head,
)

from ..conftest import POSTGRES_URL

DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])


@pytest.fixture(params=DATABASES)
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Engine:
    """A brand-new, empty database (PostgreSQL: a database created for this test)."""
    if request.param == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert POSTGRES_URL
    url = make_url(POSTGRES_URL)
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    name = f"{url.database}_migrations"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_engine(url.set(database=name).render_as_string(hide_password=False))


def test_empty_database_migrates_to_head_twice(empty_engine: Engine) -> None:
    assert inspect(empty_engine).get_table_names() == []
    migrate(empty_engine)
    migrate(empty_engine)  # a second start finds nothing to do
    head = ScriptDirectory.from_config(alembic_config(empty_engine)).get_current_head()
    with empty_engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
    tables = set(inspect(empty_engine).get_table_names())
    assert {"plan", "issue", "lead", "statuschange", "evidence", "user"} <= tables
    empty_engine.dispose()


def test_quick_head_check_agrees_with_alembic(tmp_path) -> None:
    """migrate() skips Alembic when the database is at the head it reads from the files."""
    engine = make_engine(f"sqlite:///{tmp_path / 'head.db'}")
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    assert head is not None and schema_head() == head
    engine.dispose()


def test_database_one_migration_behind_is_brought_to_head(empty_engine: Engine) -> None:
    from alembic import command

    config = alembic_config(empty_engine)
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    assert head is not None
    previous = script.get_revision(head).down_revision
    assert isinstance(previous, str)
    command.upgrade(config, previous)
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
    empty_engine.dispose()


def test_models_and_migrations_agree(empty_engine: Engine) -> None:
    """A model change without a migration fails here."""
    migrate(empty_engine)
    with empty_engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": include_in_comparison}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    empty_engine.dispose()
    assert differences == []


def test_sqlite_write_queue_is_released_however_a_write_ends(tmp_path) -> None:
    """A write that fails or is abandoned never leaves the next officer's save waiting."""
    from sqlmodel import Session

    from dashboard.store.db import _SQLITE_WRITE_LOCKS
    from dashboard.store.seed import seed_database
    from models import Issue

    engine = make_engine(f"sqlite:///{tmp_path / 'queue.db'}")
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
    lock = _SQLITE_WRITE_LOCKS[engine]
    abandoned = Session(engine)
    issue = abandoned.get(Issue, 1)
    assert issue is not None
    issue.text = "changed"
    abandoned.add(issue)
    abandoned.flush()
    assert lock._is_owned()
    abandoned.close()
    assert not lock._is_owned()
    with pytest.raises(ValueError), Session(engine) as failing:
        issue = failing.get(Issue, 1)
        assert issue is not None
        issue.text = "again"
        failing.add(issue)
        failing.flush()
        raise ValueError
    assert not lock._is_owned()
    with Session(engine) as session:
        assert session.get(Issue, 1).text != "changed"
    engine.dispose()


def test_the_councils_own_rating_migrates_up_and_down_keeping_the_plans(
    empty_engine: Engine,
) -> None:
    """0006: plans already there use the rating by dates; their issues have no rating of their
    own; a value other than the allowed ones is refused; going back to 0005 keeps the plan."""
    from alembic import command
    from sqlalchemy.exc import IntegrityError

    config = alembic_config(empty_engine)
    command.upgrade(config, "0005")
    with empty_engine.begin() as conn:
        conn.execute(text("INSERT INTO organisation (id, name) VALUES (1, 'Anyshire')"))
        conn.execute(
            text(
                "INSERT INTO plan (id, slug, title, organisation_id, created_at) "
                "VALUES (1, 'p', 'Plan', 1, CURRENT_TIMESTAMP)"
            )
        )
    command.upgrade(config, "0006")
    with empty_engine.begin() as conn:
        assert conn.execute(text("SELECT rating_source FROM plan")).scalar_one() == "dates"
    columns = {c["name"] for c in inspect(empty_engine).get_columns("issue")}
    assert "own_rag" in columns
    assert {"from_rag", "to_rag"} <= {
        c["name"] for c in inspect(empty_engine).get_columns("statuschange")
    }
    with pytest.raises(IntegrityError), empty_engine.begin() as conn:
        conn.execute(text("UPDATE plan SET rating_source = 'judgement'"))
    command.downgrade(config, "0005")
    assert "rating_source" not in {c["name"] for c in inspect(empty_engine).get_columns("plan")}
    assert "own_rag" not in {c["name"] for c in inspect(empty_engine).get_columns("issue")}
    with empty_engine.begin() as conn:
        assert conn.execute(text("SELECT slug FROM plan")).scalar_one() == "p"
    empty_engine.dispose()


def test_the_search_indexes_cover_notes_written_before_and_after_and_go_back_cleanly(
    empty_engine: Engine,
) -> None:
    """0007: a note written before the migration and one written after are both found, and an
    issue's text before and after a change (SQLite's full-text tables are filled from what is
    already there, then kept up to date); going back to 0006 removes every search object."""
    from alembic import command
    from sqlmodel import Session

    from dashboard.reads.search import search_issues

    config = alembic_config(empty_engine)
    command.upgrade(config, "0006")
    rows = (
        "INSERT INTO organisation (id, name) VALUES (1, 'Anyshire')",
        "INSERT INTO plan (id, slug, title, organisation_id, created_at, rating_source) "
        "VALUES (1, 'p', 'Plan', 1, CURRENT_TIMESTAMP, 'dates')",
        "INSERT INTO section (id, plan_id, position, heading) VALUES (1, 1, 1, 'Theme')",
        "INSERT INTO issue (id, plan_id, section_id, ref, position, text, status, version, "
        "created_at, updated_at) VALUES (1, 1, 1, '1.1', 1, 'An action', 'Not started', 1, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        "INSERT INTO statuschange (id, issue_id, to_status, note, by, at) VALUES "
        "(1, 1, 'Not started', 'Agreed with the Kestrel group', 'x', CURRENT_TIMESTAMP)",
    )
    with empty_engine.begin() as conn:
        for row in rows:
            conn.execute(text(row))
    command.upgrade(config, "head")  # (0008 after it keeps the search triggers of `issue`)
    with empty_engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO statuschange (id, issue_id, to_status, note, by, at) VALUES "
                "(2, 1, 'In progress', 'Osprey survey sent', 'x', CURRENT_TIMESTAMP)"
            )
        )
    with Session(empty_engine) as session:
        assert list(search_issues(session, "kestrel")["matched"]) == ["note"]
        assert list(search_issues(session, "OSPREY")["issue_id"]) == [1]
        assert list(search_issues(session, "action")["matched"]) == ["text"]  # written before
    with empty_engine.begin() as conn:  # an issue's text changed after: the new words found
        conn.execute(text("UPDATE issue SET text = 'Review with the Merlin panel' WHERE id = 1"))
    with Session(empty_engine) as session:
        assert list(search_issues(session, "merlin")["matched"]) == ["text"]
        assert search_issues(session, "action").empty
    command.downgrade(config, "0006")
    listed = (
        "SELECT name FROM sqlite_master"
        if empty_engine.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes UNION SELECT tablename FROM pg_tables"
    )
    with empty_engine.connect() as conn:
        names = conn.execute(text(listed)).scalars().all()
    left = [n for n in names if n.startswith(("search_", "ix_search_"))]
    assert "ix_statuschange_issue_at" in names  # (the listing does list indexes)
    assert left == []
    empty_engine.dispose()
