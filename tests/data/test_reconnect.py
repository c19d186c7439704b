"""A database that dropped the app's connections (restarted overnight, say) costs nobody an error:
a connection that has sat idle is checked before it is handed out, and replaced if it is gone."""

import pytest
from sqlalchemy import text

from dashboard.store import db
from tests.conftest import POSTGRES_URL


def _pid_after_the_server_drops_it(monkeypatch: pytest.MonkeyPatch, idle: float) -> object:
    # PostgreSQL only, and never skipped: without it these tests fail and say why.
    if not POSTGRES_URL:
        pytest.fail("These tests need PostgreSQL: set EFLG_TEST_POSTGRES_URL (make test does).")
    engine = db.make_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.make_engine(POSTGRES_URL).connect() as admin:  # the server ends that session
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        monkeypatch.setattr(db, "IDLE_BEFORE_PING_SECONDS", idle)
        with engine.connect() as conn:
            again = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        assert again != pid
        return again
    finally:
        engine.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced_without_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _pid_after_the_server_drops_it(monkeypatch, idle=0.0)


def test_without_the_idle_check_the_dropped_connection_would_fail(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError):  # what the check above saves a user from
        _pid_after_the_server_drops_it(monkeypatch, idle=3600.0)
