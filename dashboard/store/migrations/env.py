"""Alembic environment: runs on the engine the application hands over, else EFLG_DATABASE_URL."""

from alembic import context
from sqlmodel import SQLModel

import models  # noqa: F401
from dashboard.store.db import include_in_comparison

target_metadata = SQLModel.metadata


def _engine():  # type: ignore[no-untyped-def]
    engine = context.config.attributes.get("engine")
    if engine is None:
        from dashboard.store.db import make_engine
        from dashboard.store.settings import Settings

        engine = make_engine(Settings.from_env().database_url)
    return engine


def run_migrations_online() -> None:
    engine = _engine()
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_object=include_in_comparison,
        )
        context.run_migrations()


run_migrations_online()
