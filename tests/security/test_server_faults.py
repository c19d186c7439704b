"""Attacks by breakage: rows the app cannot read (typed into the database by hand, or left by a
faulty tool) make a page, or the sign-in, fail unexpectedly. The person sees one calm sentence,
never a traceback, an exception name or Streamlit's own error box with its "Ask Google" buttons;
the server log has the detail. One real server for the module, on a seeded SQLite database."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text
from sqlmodel import Session

from dashboard.rules.permissions import Actor
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database
from dashboard.writes.accounts import add_user
from models import Role
from tests.e2e.browser import StreamlitServer

WAIT = 30_000  # ms: a server's first page run on a busy machine

UNEXPECTED = (
    "Sorry, something went wrong showing this page. Nothing you entered has been lost. "
    "Please try again; if it happens again, tell your equality lead. "
    "The details have been written to the server log."
)
NEVER_SHOWN = (
    "Traceback",
    "ValueError",
    "Invalid isoformat",
    "is not a valid Role",
    "Ask Google",
    "Ask ChatGPT",
    "This app has encountered an error",
)
LEAD, ODD, PASSWORD = "lead@council.example", "odd@council.example", "a long passphrase 1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('server-faults') / 'eflg.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
        setup = Actor(name="Set-up", role=Role.ADMIN)
        for email in (LEAD, ODD):
            add_user(session=session, actor=setup, email=email, role="admin", password=PASSWORD)
    with engine.begin() as connection:  # what a hand edit of the database could leave
        connection.execute(text("UPDATE issue SET due_date = 'soon' WHERE id = 1"))
        connection.execute(
            text("UPDATE \"user\" SET role = 'superuser' WHERE email = :e"), {"e": ODD}
        )
    engine.dispose()
    running = StreamlitServer(url)
    yield running
    running.stop()


def _sign_in(tab: Page, server: StreamlitServer, email: str) -> None:
    tab.goto(server.url)
    tab.get_by_role("textbox", name="E-mail address").fill(email)
    tab.get_by_role("textbox", name="Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()


def _assert_calm(tab: Page) -> None:
    main = tab.get_by_test_id("stMain")
    expect(main.get_by_text(UNEXPECTED)).to_be_visible(timeout=WAIT)
    shown = tab.locator("body").inner_text()
    assert [words for words in NEVER_SHOWN if words in shown] == []
    assert tab.get_by_test_id("stException").count() == 0


def test_a_page_that_fails_on_a_bad_row_shows_one_calm_sentence(
    tab: Page, server: StreamlitServer
) -> None:
    """A due date the database holds as 'soon': the Themes page cannot read it."""
    _sign_in(tab, server, LEAD)
    expect(tab.get_by_role("heading", name="Progress at a glance")).to_be_visible(timeout=WAIT)
    tab.get_by_test_id("stSidebar").get_by_role("link", name="Themes", exact=True).click()
    _assert_calm(tab)
    menu = tab.get_by_test_id("stSidebar")
    expect(menu.get_by_role("link", name="Overview")).to_be_visible(timeout=WAIT)
    assert "Invalid isoformat string: 'soon'" in server.log_text()


def test_a_failure_outside_any_page_shows_one_calm_sentence(
    tab: Page, server: StreamlitServer
) -> None:
    """An account whose role is one the app does not know: signing in fails before any page
    runs, where only st.App's on_script_error stands between the error and the person."""
    _sign_in(tab, server, ODD)
    _assert_calm(tab)
    assert "'superuser' is not a valid Role" in server.log_text()
