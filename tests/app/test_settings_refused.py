"""A setting in the server's environment the app cannot use: one plain sentence, no page."""

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest


def test_a_bad_setting_is_shown_as_a_plain_sentence(
    app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EFLG_LOCKOUT_ATTEMPTS", "five")
    at = app()  # no exception: the run stops after saying what is wrong
    assert [e.value.replace("\\", "") for e in at.error] == [
        "The dashboard cannot start: EFLG_LOCKOUT_ATTEMPTS must be a whole number of 1 or more "
        "(the default is 5); it is 'five'. Whoever runs the server can correct it and restart it."
    ]
    assert not at.title  # neither a sign-in form nor a page is drawn
    assert not [b for b in at.sidebar.button]

    monkeypatch.setenv("EFLG_LOCKOUT_ATTEMPTS", "5")  # corrected: the next run starts
    at.run()
    assert not at.error and not at.exception
    assert at.title[0].value
