"""Local sign-in sessions in Chromium, against the app as `make run` serves it: a sign-in holds
across a reload, a new tab and a deep link; sign-out, the idle time-out and switching the
account off end it on the server (a cookie copied before no longer works)."""

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import update
from sqlmodel import Session

from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import make_engine
from dashboard.writes import accounts
from models import SignInSession, utcnow

from .browser import StreamlitServer
from .conftest import wait_for_app
from .test_tickoff import PASSWORD, database_with_officer

EMAIL = "asha.patel@council.gov.uk"
SIGNED_IN = "Signed in as Asha Patel"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = database_with_officer(tmp_path_factory.mktemp("sessions"))
    with Session(make_engine(url)) as db:  # an equality lead, so Asha can be switched off
        accounts.add_user(session=db, actor=COMMAND_LINE_ADMIN, email="lead@council.gov.uk",
                          role="admin", password=PASSWORD)  # fmt: skip
    return url


@pytest.fixture(scope="module")
def server(database: str) -> Iterator[StreamlitServer]:
    running = StreamlitServer(database, {"EFLG_SESSION_IDLE_MINUTES": "1"})
    yield running
    running.stop()


def sign_in(page: Page, address: str) -> None:
    page.goto(address)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(SIGNED_IN)).to_be_visible()
    wait_for_app(page)


def session_cookie(context: BrowserContext) -> dict:
    (cookie,) = [c for c in context.cookies() if c["name"] == "eflg_session"]
    return dict(cookie)


def signed_out(page: Page) -> None:
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_have_count(0)


def test_a_sign_in_holds_across_a_reload_and_a_new_tab(server: StreamlitServer, page: Page) -> None:
    violations: list[str] = []  # the form and its post under the app's CSP (form-action 'self')
    page.expose_function("eflgViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "window.eflgViolation(e.violatedDirective + ' ' + e.blockedURI))"
    )
    sign_in(page, server.url)
    assert violations == []
    cookie = session_cookie(page.context)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and not cookie["secure"]
    page.reload()
    expect(page.get_by_text(SIGNED_IN)).to_be_visible()
    tab = page.context.new_page()
    tab.goto(server.url + "/plans")
    expect(tab.get_by_text(SIGNED_IN)).to_be_visible()
    tab.close()


def test_a_deep_link_lands_where_it_points_after_sign_in(
    server: StreamlitServer, page: Page
) -> None:
    sign_in(page, server.url + "/issue?issue=24")
    assert re.search(r"/issue\?issue=24$", page.url), page.url
    expect(page.get_by_role("heading", name=re.compile(r"^Issue \d"))).to_be_visible()


def test_sign_out_ends_the_session_a_copied_cookie_included(
    server: StreamlitServer, page: Page, browser: Browser
) -> None:
    sign_in(page, server.url)
    copied = session_cookie(page.context)
    page.get_by_role("button", name="Sign out").click()
    signed_out(page)
    expect(page.get_by_text("This sign-in has ended: you signed out")).to_be_visible()
    assert [c for c in page.context.cookies() if c["name"] == "eflg_session"] == []
    thief = browser.new_context()
    try:
        thief.add_cookies([copied])  # type: ignore[list-item]
        other = thief.new_page()
        other.goto(server.url)
        signed_out(other)
    finally:
        thief.close()


def test_an_idle_session_ends(server: StreamlitServer, database: str, page: Page) -> None:
    sign_in(page, server.url)
    engine = make_engine(database)
    with engine.begin() as connection:  # two minutes unused, with EFLG_SESSION_IDLE_MINUTES=1
        connection.execute(
            update(SignInSession).values(last_used_at=utcnow() - timedelta(minutes=2))
        )
    engine.dispose()
    page.reload()
    signed_out(page)


def test_an_account_switched_off_is_signed_out_at_its_next_page_run(
    server: StreamlitServer, database: str, page: Page
) -> None:
    sign_in(page, server.url)
    engine = make_engine(database)
    with Session(engine) as db:
        accounts.disable_user(session=db, actor=COMMAND_LINE_ADMIN, email=EMAIL)
    engine.dispose()
    page.get_by_role("link", name="All plans").click()  # the next page run, no reload
    signed_out(page)
    engine = make_engine(database)
    with Session(engine) as db:  # on again, for the tests after this one
        accounts.update_user(session=db, actor=COMMAND_LINE_ADMIN, email=EMAIL, disabled=False)
    engine.dispose()


def test_a_wrong_password_is_refused_on_the_same_page(server: StreamlitServer, page: Page) -> None:
    page.goto(server.url + "/issue?issue=24")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_role("textbox", name="Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an account that can sign in")).to_be_visible()
    assert re.search(r"/issue\?issue=24$", page.url), page.url
    assert "password" not in page.url
    sign_in(page, page.url)
    expect(page.get_by_role("heading", name=re.compile(r"^Issue \d"))).to_be_visible()
