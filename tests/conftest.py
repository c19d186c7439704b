"""Shared fixtures. Data tests run once per database: SQLite always, PostgreSQL when
EFLG_TEST_POSTGRES_URL is set. Under CI (CI=true) a missing PostgreSQL fails, never skips."""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, make_url, text
from sqlmodel import Session, SQLModel

from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database


def _own_database(url: str | None) -> str | None:
    """Under pytest-xdist each worker empties and reuses a database of its own (`eflg_test_gw0`
    beside `eflg_test`), made afresh when the worker starts; a single process uses the URL."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    import psycopg

    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = base.set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = _own_database(os.environ.get("EFLG_TEST_POSTGRES_URL"))
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
DATABASES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and not POSTGRES_URL:
        raise pytest.UsageError(
            "CI=true but EFLG_TEST_POSTGRES_URL is not set: PostgreSQL tests must run in CI."
        )


def pytest_report_header(config: pytest.Config) -> str:
    return (
        "databases under test: "
        + ", ".join(DATABASES)
        + ("" if POSTGRES_URL else " (set EFLG_TEST_POSTGRES_URL to add PostgreSQL)")
    )


# A server's first page run imports pandas, Altair and SQLAlchemy and draws the first chart: a few
# seconds on a quiet 2-core machine, far more on a busy one. Wait long enough for that; a page
# that never shows still fails.
expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium under Playwright, one per test process, for the browser tests and the
    red-team suite's browser attacks alike (Playwright's sync API runs one at a time)."""
    from tests.e2e.browser import ChromiumMissing, chromium

    try:
        with chromium() as launched:
            yield launched
    except ChromiumMissing as exc:
        pytest.fail(str(exc))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new browser window (its own cookies) at a laptop's size, in British English."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


_pg_engine: Engine | None = None


def _postgres_engine() -> Engine:
    """One migrated PostgreSQL engine for the run; each test starts from empty tables."""
    global _pg_engine
    if _pg_engine is None:
        assert POSTGRES_URL
        _pg_engine = make_engine(POSTGRES_URL)
        with _pg_engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        migrate(_pg_engine)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with _pg_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    return _pg_engine


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """A migrated, empty database of each kind under test."""
    if request.param == "postgresql":
        return _postgres_engine()
    db_engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}")
    migrate(db_engine)
    return db_engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as db_session:
        yield db_session


@pytest.fixture
def seeded(session: Session) -> Session:
    """A session on a database holding the five seed documents."""
    seed_database(session)
    return session


# The red-team suite's count (tests/security/): how many attacks were tried and how many held.
# Kept here, not in tests/security/conftest.py, because under pytest-xdist only the workers
# collect that folder while the controller writes the summary.
_outcomes: dict[str, bool] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "tests/security/" not in report.nodeid:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        held = report.passed and not report.skipped
        _outcomes[report.nodeid] = _outcomes.get(report.nodeid, True) and held


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _outcomes:
        held = sum(_outcomes.values())
        terminalreporter.write_line(
            f"Red team: {len(_outcomes)} attacks tried, {held} held, {len(_outcomes) - held} broke"
        )
