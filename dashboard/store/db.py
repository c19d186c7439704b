"""Database engine for SQLite (the embedded default) and PostgreSQL; schema migration by Alembic."""

import hashlib
import re
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, event, func, insert, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.pool import StaticPool
from sqlmodel import create_engine

import models  # noqa: F401  (registers every table on SQLModel.metadata)
from dashboard.store import limits
from models import DataChange, utcnow

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_DATA_CHANGE = DataChange.__table__  # type: ignore[attr-defined]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# SQLite lets one connection write at a time; a writer that finds the lock taken sleeps in steps
# of up to 100 ms before trying again. Queueing this process's writers on a lock of our own
# instead (taken when a session first flushes, released when its transaction ends) turns
# those sleeps into an orderly queue: with 20 officers saving at once the slowest save waits
# for the others' few milliseconds, not for the busy handler's next wake-up.
_SQLITE_WRITE_LOCKS: "weakref.WeakKeyDictionary[Engine, threading.RLock]" = (
    weakref.WeakKeyDictionary()
)
_HELD = "eflg_sqlite_write_lock"


@event.listens_for(OrmSession, "before_flush")
def _take_write_lock(session: OrmSession, _context: Any, _instances: Any) -> None:
    bind = session.get_bind()
    lock = _SQLITE_WRITE_LOCKS.get(bind) if isinstance(bind, Engine) else None
    if lock is not None and _HELD not in session.info:
        lock.acquire()
        session.info[_HELD] = lock


@event.listens_for(OrmSession, "after_transaction_end")
def _release_write_lock(session: OrmSession, transaction: SessionTransaction) -> None:
    """Released when the outermost transaction ends: commit, rollback or the session closing."""
    if transaction.parent is None:
        lock = session.info.pop(_HELD, None)
        if lock is not None:
            lock.release()


# Every transaction that writes adds one row to `datachange` (insert-only, so writers never wait
# on each other for it). A server compares the newest id with the one it last saw to know that
# its cached reads are out of date, whichever server or command made the change.
_BUMPED = "eflg_data_change_recorded"


def _record_data_change(session: OrmSession) -> None:
    if _BUMPED not in session.info:
        session.info[_BUMPED] = True
        session.connection().execute(insert(_DATA_CHANGE).values(at=utcnow()))


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _context: Any) -> None:
    if session.new or session.dirty or session.deleted:
        _record_data_change(session)


@event.listens_for(OrmSession, "do_orm_execute")
def _after_bulk_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _record_data_change(state.session)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_data_change(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_BUMPED, None)


def begin_write(session: OrmSession, *, serialise: str | None = None) -> Connection:
    """The session's connection, for a write made with SQL statements rather than the ORM: this
    process's SQLite writers queue (as at a flush) and the data-change log gets its row. Called
    before the write's first read, so on SQLite the transaction writes from its start: no other
    write can commit between what it reads and what it writes.

    With `serialise`, writes naming the same thing wait for each other on PostgreSQL too (a lock
    held until the transaction ends), so a check made after this call ("is this meeting already
    recorded?") sees every write that came first."""
    _take_write_lock(session, None, None)
    _record_data_change(session)
    connection = session.connection()
    if serialise is not None and connection.dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(serialise.encode()).digest()[:8], "big", signed=True)
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    return connection


def data_version(session: OrmSession) -> int:
    """The newest write's number: it changes whenever any data changes."""
    return int(session.execute(select(func.max(_DATA_CHANGE.c.id))).scalar() or 0)


CONNECT_TIMEOUT_SECONDS = 5


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets WAL, a busy timeout and foreign keys on every connection;
    every write on either database is checked by dashboard/store/limits.py."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        in_memory = database in ("", ":memory:")
        if not in_memory:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 10}}
        if in_memory:
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        _SQLITE_WRITE_LOCKS[engine] = threading.RLock()
        limits.watch(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    # Up to 20 connections are kept between bursts (a meeting morning, many officers saving at
    # once): with 10 kept, each burst opened ten new ones, and a new PostgreSQL connection costs
    # a save several milliseconds (README → Performance). 30 at most per server process.
    # A database host that does not answer is given up after a few seconds (a calm page, a plain
    # line from the command line), not the operating system's minutes; a URL's own
    # ?connect_timeout=… still wins.
    engine = create_engine(
        url,
        pool_size=20,
        max_overflow=10,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS},
    )
    event.listen(engine, "checkout", _ping_if_idle)
    event.listen(engine, "checkin", _note_use)
    limits.watch(engine)  # the same length and character checks as on SQLite
    return engine


# A pooled connection that has sat unused this long is checked ("SELECT 1") before it is handed
# out, so a database restarted overnight costs nobody an error. One in steady use is not: the
# extra round trip on every checkout (SQLAlchemy's pool_pre_ping) was 5–20 ms of a tick-off's p95
# with 20 writers (README → Performance).
IDLE_BEFORE_PING_SECONDS = 10.0


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    if time.monotonic() - record.info.get("used_at", 0.0) < IDLE_BEFORE_PING_SECONDS:
        return
    try:
        cursor = dbapi_connection.cursor()
        cursor.execute("SELECT 1")
        cursor.close()
        dbapi_connection.rollback()
    except Exception as exc:  # gone: the pool drops it and hands out a fresh connection
        raise DisconnectionError(str(exc)) from exc


def _note_use(_dbapi_connection: Any, record: Any) -> None:
    record.info["used_at"] = time.monotonic()


def alembic_config(engine: Engine) -> "Config":
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


SEARCH_OBJECT_PREFIXES = ("search_", "ix_search_")


def is_search_object(name: str | None) -> bool:
    """The search indexes and tables migration 0007 makes, which the models do not describe
    (trigram indexes, SQLite's full-text table): left out when the schema and the models are
    compared."""
    return bool(name) and str(name).startswith(SEARCH_OBJECT_PREFIXES)


def include_in_comparison(
    _object: Any, name: str | None, _type: str, _reflected: bool, _compare_to: Any
) -> bool:
    """Alembic's include_object: everything the models describe, not the search objects."""
    return not is_search_object(name)


def migrate(engine: Engine) -> None:
    """Bring the database to the latest migration (creates it when empty)."""
    if _at_head(engine):
        return
    # Alembic (a third of a second to import) is loaded only when there is something to do.
    from alembic import command

    command.upgrade(alembic_config(engine), "head")


_REVISION = re.compile(r"""^revision\b[^=\n]*=\s*['"]([^'"]+)['"]""", re.M)
_DOWN_REVISION = re.compile(r"""^down_revision\b[^=\n]*=\s*(?:None|['"]([^'"]+)['"])\s*$""", re.M)


@cache
def schema_head() -> str | None:
    """The newest migration's revision, read from the files in migrations/versions without
    loading Alembic; None when the history is not one plain line (Alembic then decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision[1])
        if down[1]:
            parents.add(down[1])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    """True when the database's recorded revision is the newest migration."""
    head = schema_head()
    if head is None:
        return False
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return False
        found = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return found == [head]


@contextmanager
def write_transaction(
    session: OrmSession, *, on_rollback: Callable[[], None] | None = None
) -> Iterator[None]:
    """One write's transaction: committed when the block ends. On any error (a refusal included)
    it is rolled back, then `on_rollback` runs (to remove files the write stored) and the error
    goes on."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        if on_rollback is not None:
            on_rollback()
        raise
