"""The app's settings and database, built once per server process, and a session per use."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from dashboard.rules.errors import Refused
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database
from dashboard.store.settings import Settings
from models import Plan


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The settings from the environment, read once per server process (SettingsError when a
    value is unusable; the page script shows its message)."""
    return Settings.from_env()


def engine() -> Engine:
    """The engine for the configured database (one per server process and URL)."""
    return _engine(settings().database_url)


class DatabaseUnreachable(Refused):
    """The database cannot be opened at all (a SQLite file whose folder cannot be made); the
    cause, for the server log, is the exception it was raised from."""


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """Migrated, and seeded on first start of an empty database. Not kept when that fails: the
    next page run tries again, so a database that comes back is used without a restart."""
    try:
        db_engine = make_engine(url)
    except OSError as fault:
        raise DatabaseUnreachable("The dashboard cannot open its database.") from fault
    migrate(db_engine)
    with Session(db_engine) as db_session:
        if db_session.exec(select(func.count()).select_from(Plan)).one() == 0:
            seed_database(db_session)
    return db_engine


@contextmanager
def session() -> Iterator[Session]:
    """A session on the app's engine whose objects stay readable after a commit."""
    with Session(engine(), expire_on_commit=False) as db_session:
        yield db_session


_heap_frozen = False


def freeze_startup_heap() -> None:
    """Once per server process, after its first page run: collect garbage, then take every object
    alive now (the libraries, the database engine, Altair's schema) out of the garbage collector's
    view. Its full passes then look only at what later page runs create: a few milliseconds
    instead of 100–300 ms during which the server sends nothing (README → Performance). The cost:
    anything alive now that later becomes garbage in a reference cycle stays in memory, a bounded
    one-off (at most the first page run's cached reads)."""
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()
