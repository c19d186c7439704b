"""The thin layer between Streamlit pages and the domain: cached engine, cached reads, formatting.

The only module in dashboard/ besides app.py that imports Streamlit.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models import Plan

from . import queries
from .db import make_engine, migrate
from .seeding import seed_database
from .settings import Settings


def engine() -> Engine:
    """The engine for the configured database (one per server process and URL)."""
    return _engine(Settings.from_env().database_url)


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    """Migrated, and seeded on first start of an empty database."""
    db_engine = make_engine(url)
    migrate(db_engine)
    with Session(db_engine) as session:
        if session.exec(select(func.count()).select_from(Plan)).one() == 0:
            seed_database(session)
    return db_engine


@contextmanager
def session() -> Iterator[Session]:
    with Session(engine(), expire_on_commit=False) as db_session:
        yield db_session


@st.cache_data(show_spinner=False)
def plans_summary() -> pd.DataFrame:
    with session() as db:
        return queries.plans_summary(db)


@st.cache_data(show_spinner=False)
def sections_summary() -> pd.DataFrame:
    with session() as db:
        return queries.sections_summary(db)
