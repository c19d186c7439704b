"""Red team, organisation sign-in in a real browser (Chromium, the app's own server and a mock
identity provider): a cookie copied before sign-out, and an e-mail the provider does not vouch
for, get nobody in."""

import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session

from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database
from dashboard.writes import accounts
from tests.e2e import test_oidc
from tests.e2e.browser import StreamlitServer, free_port
from tests.e2e.conftest import wait_for_app

expect.set_options(timeout=15_000)
PROVIDER_SIGN_OUT = re.compile(r".*/oauth2/end_session\b.*")  # where st.logout() sends a browser
USERS = [
    {"sub": "asha", "email": "asha.patel@council.gov.uk", "email_verified": True,
     "name": "Asha Patel"},
    # Anyone can claim the lead's address at a permissive provider; it is not vouched for.
    {"sub": "mallory", "email": "lead@council.gov.uk", "email_verified": False,
     "name": "Mallory"},
]  # fmt: skip


def database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'eflg.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
        for email, role in (
            ("lead@council.gov.uk", "admin"),
            ("asha.patel@council.gov.uk", "viewer"),
        ):
            accounts.add_user(session=session, actor=COMMAND_LINE_ADMIN, email=email, role=role)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("signin-browser")
    shared_users, test_oidc.USERS = test_oidc.USERS, USERS  # type: ignore[assignment]
    try:
        provider = test_oidc.Provider()
    finally:
        test_oidc.USERS = shared_users
    port = free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "eflg-dashboard"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "http://127.0.0.1:{provider.port}/.well-known/openid-configuration"\n'
    )
    running = StreamlitServer(
        database(folder), port=port, extra_env={"STREAMLIT_SECRETS_FILES": str(secrets_file)}
    )
    yield running
    running.stop()
    provider.stop()


def new_page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    return page


def test_cookie_copied_before_sign_out_gets_nobody_in(
    server: StreamlitServer, browser: Browser
) -> None:
    page = new_page(browser)
    test_oidc.sign_in_as(page, server, "asha")
    expect(page.get_by_text("Signed in as Asha Patel")).to_be_visible()
    wait_for_app(page)
    copied = page.context.cookies()
    assert any(cookie["name"].startswith("_streamlit_user") for cookie in copied)
    page.get_by_role("button", name="Sign out").click()
    # The app records the sign-out, clears this browser's cookie and sends it on to the
    # provider's own sign-out page (the mock's page never finishes loading: do not wait for it).
    expect(page).to_have_url(PROVIDER_SIGN_OUT)
    page.context.close()

    thief = new_page(browser)
    thief.context.add_cookies(copied)  # type: ignore[arg-type]
    thief.goto(server.url)
    # Refused on the server: the app clears the copied cookie and sends this browser to sign out.
    expect(thief).to_have_url(PROVIDER_SIGN_OUT)
    assert not [c for c in thief.context.cookies() if c["name"].startswith("_streamlit_user")]
    thief.goto(server.url)
    expect(thief.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(thief.get_by_text("Signed in as")).to_have_count(0)
    expect(thief.get_by_role("link", name="All plans")).to_have_count(0)
    thief.context.close()


def test_unvouched_email_of_the_lead_gets_nobody_in(
    server: StreamlitServer, browser: Browser
) -> None:
    page = new_page(browser)
    test_oidc.sign_in_as(page, server, "mallory")
    expect(page.get_by_text("does not match an account on this dashboard")).to_be_visible()
    expect(page.get_by_text("Signed in as")).to_have_count(0)
    expect(page.get_by_role("link", name="Users")).to_have_count(0)
    expect(page.get_by_text("Traceback")).to_have_count(0)
    page.context.close()
