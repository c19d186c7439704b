"""Sign-in through an OpenID Connect provider (oidc-provider-mock standing in for Entra ID):
a known, verified e-mail signs in as its account and ticks an issue off; an unknown e-mail is
refused."""

import json
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .browser import ARTIFACTS, StreamlitServer, free_port
from .conftest import screenshot, wait_for_app
from .test_tickoff import database_with_officer, tick_off_issue_2_9

USERS = [  # the provider vouches for both e-mails, so a first sign-in may link an account
    {"sub": "asha", "email": "asha.patel@council.gov.uk", "email_verified": True,
     "name": "Asha Patel"},
    {"sub": "stranger", "email": "stranger@example.org", "email_verified": True,
     "name": "A Stranger"},
]  # fmt: skip


class Provider:
    """oidc-provider-mock on a free port, with the two users above to pick from."""

    def __init__(self) -> None:
        self.port = free_port()
        self.log = ARTIFACTS / f"oidc-{self.port}.log"
        ARTIFACTS.mkdir(exist_ok=True)
        claims = [arg for user in USERS for arg in ("--user-claims", json.dumps(user))]
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "oidc-provider-mock"), "--port", str(self.port),
             *claims],
            stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oidc-provider-mock did not open its port:\n" + self.log.read_text())

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def oidc_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app with an [auth] table in a secrets file of its own (never the project's)."""
    folder = tmp_path_factory.mktemp("oidc")
    provider = Provider()
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
    database = database_with_officer(folder, password=None)  # signs in through the provider only
    running = StreamlitServer(
        database, port=port, extra_env={"STREAMLIT_SECRETS_FILES": str(secrets_file)}
    )
    yield running
    running.stop()
    provider.stop()


def sign_in_as(page: Page, server: StreamlitServer, sub: str) -> None:
    page.goto(server.url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=sub, exact=True).click()  # the provider's sign-in page


def test_known_email_signs_in_and_ticks_off(oidc_server: StreamlitServer, page: Page) -> None:
    sign_in_as(page, oidc_server, "asha")
    expect(page.get_by_text("Signed in as Asha Patel")).to_be_visible()
    wait_for_app(page)
    tick_off_issue_2_9(page, "Pre-assessment added to every tender.")
    page.get_by_role("link", name="All plans").click()
    wait_for_app(page)
    expect(page.get_by_text("32 issues · 3% complete")).to_be_visible()
    screenshot(page, "oidc-signed-in")


def test_unknown_email_is_refused(oidc_server: StreamlitServer, page: Page) -> None:
    sign_in_as(page, oidc_server, "stranger")
    expect(page.get_by_text("does not match an account on this dashboard")).to_be_visible()
    expect(page.get_by_role("link", name="My issues")).to_have_count(0)
    expect(page.get_by_role("link", name="All plans")).to_have_count(0)
    screenshot(page, "oidc-refused")
