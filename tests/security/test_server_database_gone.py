"""Attacks by outage: the app started with a database it cannot reach (PostgreSQL on a closed
port, a SQLite file that cannot be opened or whose folder cannot be made) or with a setting it
cannot use. The person sees one calm sentence saying what to tell whoever runs the server, never
a traceback or Streamlit's own error box; /readyz says 503 in a plain sentence while /healthz
still answers; the server log has the detail. One server per case, shared by its checks."""

from collections.abc import Iterator
from typing import NamedTuple

import httpx
import pytest
from playwright.sync_api import Browser, expect

from dashboard.formats.markdown import WORD_JOINER
from tests.e2e.browser import StreamlitServer

WAIT = 30_000  # ms: a server's first page run on a busy machine

NO_DATABASE = (
    "The dashboard cannot reach its database just now. Please try again in a few minutes. If it "
    "goes on, tell whoever runs the server that the dashboard cannot use its database; the "
    "server log has the details."
)
NOT_READY = "The dashboard cannot reach its database just now."
NEVER_SHOWN = (
    "Traceback",
    "OperationalError",
    "sqlalchemy",
    "psycopg",
    "sqlite3",
    "Ask Google",
    "Ask ChatGPT",
    "This app has encountered an error",
)


class Case(NamedTuple):
    env: dict[str, str]
    shown: str  # what the person reads
    ready: str  # what /readyz says
    logged: str  # a detail the server log must have


CASES = {
    "postgresql on a closed port": Case(
        {"EFLG_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/eflg"},
        NO_DATABASE,
        NOT_READY,
        "127.0.0.1",
    ),
    "sqlite file that cannot be opened": Case(
        {"EFLG_DATABASE_URL": "sqlite:////proc/1/eflg.db"},  # not even root may create it
        NO_DATABASE,
        NOT_READY,
        "unable to open database file",
    ),
    "sqlite folder that cannot be made": Case(
        {"EFLG_DATABASE_URL": "sqlite:////proc/eflg/data/eflg.db"},
        NO_DATABASE,
        NOT_READY,
        "No such file or directory: '/proc/eflg'",
    ),
    "a host setting it cannot use": Case(
        {"EFLG_ALLOWED_HOSTS": "https://equality.example.gov.uk"},
        "The dashboard cannot start: EFLG_ALLOWED_HOSTS must be host names separated by commas, "
        "such as equality.example.gov.uk or *.example.gov.uk (no http://, port or path); "
        "'https://equality.example.gov.uk' is not one. "
        "Whoever runs the server can correct it and restart it."
        # As drawn: the setting's value is the server's text, so an invisible word joiner keeps
        # each "://" from becoming a link (dashboard/formats/markdown.py).
        .replace("://", ":" + WORD_JOINER + "//"),
        "The dashboard is running but one of its settings cannot be used "
        "(the server log says which).",
        "EFLG_ALLOWED_HOSTS must be host names",
    ),
}


@pytest.fixture(scope="module", params=sorted(CASES))
def broken(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[StreamlitServer, Case]]:
    case = CASES[request.param]
    database = f"sqlite:///{tmp_path_factory.mktemp('server-gone') / 'eflg.db'}"
    running = StreamlitServer(case.env.get("EFLG_DATABASE_URL", database), case.env)
    yield running, case
    running.stop()


def test_the_person_sees_a_calm_page_and_readyz_says_not_ready(
    broken: tuple[StreamlitServer, Case], browser: Browser
) -> None:
    server, case = broken
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.goto(server.url)
        expect(tab.get_by_test_id("stMain").get_by_text(case.shown)).to_be_visible(timeout=WAIT)
        shown = tab.locator("body").inner_text()
        assert [words for words in NEVER_SHOWN if words in shown] == []
        assert tab.get_by_test_id("stException").count() == 0
        assert tab.get_by_test_id("stSidebar").count() == 0  # no menu into pages that would fail
    finally:
        context.close()
    base = f"http://127.0.0.1:{server.port}"
    ready = httpx.get(base + "/readyz", timeout=60)
    assert (ready.status_code, ready.text) == (503, case.ready)
    alive = httpx.get(base + "/healthz", timeout=30)
    assert (alive.status_code, alive.text) == (200, "The dashboard is running.")
    assert case.logged in server.log_text()
