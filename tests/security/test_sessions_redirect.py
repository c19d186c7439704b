"""Red team, sessions: the return address after sign-in cannot send the browser to another site
(an open redirect a phishing mail could use): only a path on this site is followed."""

import pytest
from starlette.testclient import TestClient

from .sessions_app import client, post_sign_in, sign_in_form

__all__ = ["client"]


@pytest.mark.parametrize(
    "back",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(document.cookie)",
        "/\t/evil.example",
        "///evil.example",
        "http:/evil.example",
        " //evil.example",
    ],
    ids=[
        "scheme-relative",
        "absolute",
        "backslash",
        "two-backslashes",
        "javascript",
        "tab",
        "three-slashes",
        "scheme-one-slash",
        "leading-space",
    ],
)
def test_a_return_address_to_another_site_goes_to_the_overview(
    client: TestClient, back: str
) -> None:
    answer = post_sign_in(client, sign_in_form(back=back))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"
    assert "eflg_session=" in answer.headers["set-cookie"]  # signed in, just not sent away


def test_a_refused_sign_in_does_not_redirect_away_either(client: TestClient) -> None:
    answer = post_sign_in(client, sign_in_form(password="wrong guess", back="//evil.example"))
    assert (answer.status_code, answer.headers["location"]) == (303, "/")
