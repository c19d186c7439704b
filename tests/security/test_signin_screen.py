"""Red team, sign-in on the screen (the real entry script through AppTest): what the sign-in form
says, Markdown in the names it shows, and sign-ins that must end on the server."""

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.formats.markdown import plain
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.writes import accounts
from models import utcnow
from tests.app.conftest import ENTRY  # the page script the server serves

from .test_signin_lockout import PASSWORD

EMAIL = "asha.patel@council.gov.uk"
HOSTILE_NAME = "[x](https://evil.example) ![i](https://evil.example/p.png)"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not a real secret, only for AppTest",
    "client_id": "eflg-dashboard",
    "client_secret": "test-secret",
    "server_metadata_url": "https://login.example-council.gov.uk/.well-known/openid-configuration",
}


@pytest.fixture
def app(
    engine: Engine, seeded: Session, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., AppTest]]:
    """A new browser on the app: `app()` for local accounts, `app(user=claims)` for a person
    signed in at the organisation's identity provider (an [auth] table in the secrets)."""
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_app(user: dict[str, Any] | None = None) -> AppTest:
        at = AppTest.from_file(ENTRY, default_timeout=30)
        if user is not None:
            at.secrets["auth"] = AUTH
            at.user = user
        return at.run()

    yield open_app
    st.cache_resource.clear()


def add(session: Session, **fields: Any) -> None:
    accounts.add_user(
        session=session, actor=COMMAND_LINE_ADMIN, email=EMAIL, role="viewer", **fields
    )


def sign_in(at: AppTest, email: str = EMAIL, password: str = PASSWORD) -> AppTest:
    assert at.title[0].value == "Sign in"
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def signed_in_as(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption if c.value.startswith("Signed in as")]


def shown(at: AppTest) -> str:
    parts = [e.value for e in (*at.markdown, *at.caption, *at.error, *at.info, *at.warning)]
    return "\n".join(str(p) for p in parts)


def organisation_claims(**extra: Any) -> dict[str, Any]:
    issued = utcnow() - timedelta(minutes=1)
    return {
        "is_logged_in": True,
        "iss": "https://login.example-council.gov.uk/v2.0",
        "sub": "asha-1",
        "email": EMAIL,
        "email_verified": True,
        "name": "Asha Patel",
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(hours=1)).timestamp()),
        **extra,
    }


def test_markdown_in_a_display_name_shows_as_text(app: Callable[..., AppTest], seeded: Session):
    add(seeded, display_name=HOSTILE_NAME, password=PASSWORD)
    at = sign_in(app())
    assert not at.exception
    (caption,) = signed_in_as(at)
    assert caption.startswith(f"Signed in as {plain(HOSTILE_NAME)} · ")
    assert "](https://evil.example" not in caption  # no live link or remote image


def test_markdown_in_an_organisation_name_claim_shows_as_text(
    app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person with no account, let in as a viewer, whose provider profile name is hostile."""
    monkeypatch.setenv("EFLG_UNKNOWN_EMAIL", "viewer")
    at = app(user=organisation_claims(email="new@council.gov.uk", name=HOSTILE_NAME))
    assert not at.exception
    (caption,) = signed_in_as(at)
    assert caption.startswith(f"Signed in as {plain(HOSTILE_NAME)} · ")
    assert "](https://evil.example" not in caption


def test_sign_in_form_says_the_same_for_no_account_and_a_switched_off_one(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    add(seeded, password=PASSWORD)
    accounts.disable_user(session=seeded, actor=COMMAND_LINE_ADMIN, email=EMAIL)
    switched_off = sign_in(app())  # the right password
    nobody = sign_in(app(), "nobody@council.gov.uk")
    assert [e.value for e in switched_off.error] == [e.value for e in nobody.error]
    assert "do not match an account that can sign in" in nobody.error[0].value
    assert "switched off" not in shown(switched_off)


def test_cookie_copied_before_sign_out_no_longer_signs_in(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    add(seeded)
    claims = organisation_claims()
    first = app(user=claims)
    assert signed_in_as(first)
    first.button(key="sign_out").click()
    first.run()
    copied = app(user=claims)  # another browser holding the same cookie
    assert not signed_in_as(copied)
    assert "Please sign in again." in shown(copied)
    assert not copied.exception


def test_sign_out_ends_the_sign_in_in_another_tab(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    add(seeded, password=PASSWORD)
    one, other = sign_in(app()), sign_in(app())
    assert signed_in_as(one) and signed_in_as(other)
    one.button(key="sign_out").click()
    one.run()
    other.run()
    assert not signed_in_as(other)
    assert other.title[0].value == "Sign in"


def test_switched_off_account_live_session_ends(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    add(seeded, password=PASSWORD)
    at = sign_in(app())
    assert signed_in_as(at)
    accounts.disable_user(session=seeded, actor=COMMAND_LINE_ADMIN, email=EMAIL)
    at.run()
    assert not signed_in_as(at)
    assert at.title[0].value == "Sign in"


def test_markdown_in_a_name_typed_on_the_users_page_shows_as_text(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    accounts.add_user(
        session=seeded,
        actor=COMMAND_LINE_ADMIN,
        email="lead@council.gov.uk",
        role="admin",
        password=PASSWORD,
    )
    at = sign_in(app(), "lead@council.gov.uk")
    at.switch_page("../pages/users.py")
    at.run()
    at.text_input[0].input(EMAIL)
    at.text_input[1].input(HOSTILE_NAME)
    at.selectbox[0].set_value("viewer")
    next(b for b in at.button if b.label == "Add this person").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (said,) = [s.value for s in at.success]
    assert said == f"{plain(HOSTILE_NAME)} can now sign in."
    assert "](https://evil.example" not in said
