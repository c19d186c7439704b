"""Red team, sessions: session fixation. An attacker who plants a session cookie in a victim's
browser before the victim signs in (on a shared computer, or through a sibling site) must not
be signed in as the victim afterwards: every sign-in starts a new session with a new token."""

import secrets

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from dashboard.ui import server

from .sessions_app import actor_of, client, post_sign_in, sessions_kept, sign_in_form

__all__ = ["client"]


@pytest.mark.parametrize("planted", ["made-up", "attackers-own-session"])
def test_a_planted_cookie_is_not_signed_in_as_the_victim(
    client: TestClient, engine: Engine, planted: str
) -> None:
    if planted == "made-up":
        token = secrets.token_urlsafe(32)
    else:  # the attacker signs in first and leaves the cookie behind
        token = post_sign_in(client, sign_in_form()).cookies[server.SESSION_COOKIE]
    client.cookies.set(server.SESSION_COOKIE, token)
    answer = post_sign_in(client, sign_in_form())  # the victim signs in on that browser
    fresh = answer.cookies.get(server.SESSION_COOKIE)
    assert fresh and fresh != token
    assert actor_of(engine, token) is None  # the planted token is worth nothing
    assert actor_of(engine, fresh) is not None
    assert sessions_kept(engine) == 1  # the replaced session ended with the new sign-in
