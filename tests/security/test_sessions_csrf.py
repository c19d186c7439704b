"""Red team, sessions: a sign-in form posted from another site (cross-site request forgery, or
signing a victim in as the attacker) is refused with a plain sentence; no session starts and no
cookie is set."""

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from dashboard.rules.accounts import SIGN_IN_CROSS_SITE
from dashboard.ui import server

from .sessions_app import SITE, actor_of, client, post_sign_in, sessions_kept, sign_in_form

__all__ = ["client"]


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://evil.example", "referer": "https://evil.example/page"},
        {"origin": "http://localhost:8501.evil.example", "referer": ""},
        {"origin": "null", "referer": "https://evil.example/"},
        {"origin": "", "referer": ""},
        {"origin": "http://localhost:9999", "referer": "http://localhost:9999/"},
    ],
    ids=["other-site", "look-alike-host", "opaque-origin", "no-origin-no-referer", "other-port"],
)
def test_a_sign_in_posted_from_another_origin_is_refused(
    client: TestClient, engine: Engine, headers: dict[str, str]
) -> None:
    answer = post_sign_in(client, sign_in_form(), **headers)
    assert (answer.status_code, answer.text) == (403, SIGN_IN_CROSS_SITE)
    assert "set-cookie" not in answer.headers
    assert "Traceback" not in answer.text
    assert sessions_kept(engine) == 0


def test_a_sign_out_posted_from_another_origin_is_refused(
    client: TestClient, engine: Engine
) -> None:
    """Forced sign-out from another site: refused, the session lives on."""
    token = post_sign_in(client, sign_in_form()).cookies[server.SESSION_COOKIE]
    answer = client.post(
        server.SIGN_OUT_PATH,
        headers={"origin": "https://evil.example", "cookie": f"{server.SESSION_COOKIE}={token}"},
    )
    assert (answer.status_code, answer.text) == (403, SIGN_IN_CROSS_SITE)
    assert actor_of(engine, token) is not None
    signed_out = client.post(
        server.SIGN_OUT_PATH,
        headers={"origin": SITE, "cookie": f"{server.SESSION_COOKIE}={token}"},
    )
    assert signed_out.status_code == 303 and actor_of(engine, token) is None
    assert f'{server.SESSION_COOKIE}=""' in signed_out.headers["set-cookie"]
