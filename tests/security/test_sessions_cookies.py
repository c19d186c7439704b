"""Red team, sessions: the session cookie cannot be forged, reused after its session ended or read
by a script; it is sent only over HTTPS when the dashboard is served over HTTPS; the password
never reaches an address or the server log."""

import logging
import secrets
from datetime import timedelta

import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, select
from starlette.testclient import TestClient

from dashboard.rules.accounts import session_token_hash
from dashboard.ui import server
from dashboard.writes import accounts
from models import SignInSession, utcnow

from .sessions_app import (
    PASSWORD,
    SETTINGS,
    SITE,
    actor_of,
    client,
    post_sign_in,
    sessions_kept,
    sign_in_form,
)

__all__ = ["client"]


def signed_in_token(client: TestClient) -> str:
    answer = post_sign_in(client, sign_in_form())
    assert answer.status_code == 303
    token = answer.cookies.get(server.SESSION_COOKIE)
    assert token
    return token


@pytest.mark.parametrize(
    "forged",
    ["random", "stored-hash", "empty", "huge", "one-character-off"],
)
def test_a_forged_cookie_gets_nobody_in(client: TestClient, engine: Engine, forged: str) -> None:
    real = signed_in_token(client)
    cookie = {
        "random": secrets.token_urlsafe(32),
        "stored-hash": session_token_hash(real),  # what a copy of the database would give
        "empty": "",
        "huge": "A" * 100_000,
        "one-character-off": real[:-1] + ("A" if real[-1] != "A" else "B"),
    }[forged]
    assert actor_of(engine, cookie) is None
    assert actor_of(engine, real) is not None  # the real one still works
    with Session(engine) as db:
        (row,) = db.exec(select(SignInSession)).all()
    assert real not in row.token_hash  # the token itself is never stored


@pytest.mark.parametrize("how", ["signed-out", "idle", "too-old"])
def test_an_old_cookie_gets_nobody_in(client: TestClient, engine: Engine, how: str) -> None:
    token = signed_in_token(client)
    actor = actor_of(engine, token)
    assert actor is not None
    with Session(engine) as db:
        if how == "signed-out":
            accounts.sign_out(session=db, actor=actor)
        else:
            field = "last_used_at" if how == "idle" else "created_at"
            age = timedelta(minutes=SETTINGS.session_idle_minutes, hours=SETTINGS.session_hours)
            db.execute(update(SignInSession).values({field: utcnow() - age}))
            db.commit()
    assert actor_of(engine, token) is None
    assert actor_of(engine, token) is None  # and it stays over
    assert sessions_kept(engine) == 0


def test_the_cookie_is_http_only_same_site_lax_and_not_in_the_address(client: TestClient) -> None:
    answer = post_sign_in(client, sign_in_form(back="/issue?issue=24"))
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain http on localhost: a Secure cookie would not be sent
    assert answer.headers["location"] == "/issue?issue=24"
    assert server.SESSION_COOKIE not in answer.headers["location"]


@pytest.mark.parametrize("how", ["https", "trusted-proxy"])
def test_over_https_the_cookie_is_secure(client: TestClient, how: str) -> None:
    if how == "https":
        client.base_url = "https://localhost:8501"  # type: ignore[assignment]
        answer = post_sign_in(client, sign_in_form(), origin="https://localhost:8501")
    else:  # nginx on this machine, speaking HTTPS to the browser, plain HTTP to the app
        proxied = TestClient(_from_loopback(client.app), base_url=SITE, follow_redirects=False)
        answer = post_sign_in(proxied, sign_in_form(), **{"x-forwarded-proto": "https"})
    assert answer.status_code == 303
    assert "secure" in answer.headers["set-cookie"].lower()


def test_a_forwarded_proto_from_anyone_else_is_not_believed(client: TestClient) -> None:
    """Not an attack on the cookie itself, but on the Secure decision: only a trusted proxy's
    X-Forwarded-Proto counts (the test client's address is not loopback)."""
    answer = post_sign_in(client, sign_in_form(), **{"x-forwarded-proto": "https"})
    assert answer.status_code == 303
    assert "secure" not in answer.headers["set-cookie"].lower()


def test_the_password_is_never_in_the_log_or_an_address(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = post_sign_in(client, sign_in_form(password="my wrong secret"))
    right = post_sign_in(client, sign_in_form())
    for answer in (wrong, right):
        assert "secret" not in answer.headers["location"]
        assert PASSWORD not in answer.headers["location"]
        assert "secret" not in answer.headers.get("set-cookie", "")
    assert "my wrong secret" not in caplog.text and PASSWORD not in caplog.text
    assert wrong.cookies.get(server.NOTICE_COOKIE) == server.NOTICE_REFUSED


def _from_loopback(app):  # type: ignore[no-untyped-def]
    async def wrapped(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http":
            scope = {**scope, "client": ("127.0.0.1", 40000)}
        await app(scope, receive, send)

    return wrapped
