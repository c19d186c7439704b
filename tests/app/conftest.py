"""AppTest fixtures: the real page script (dashboard/main_script.py, which dashboard/app.py
serves) against a seeded test database."""

from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

ENTRY = str(Path(__file__).resolve().parents[2] / "dashboard" / "main_script.py")


@pytest.fixture
def app(engine: Engine, seeded: Session, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Open a page of the app, the way the navigation does: `app("plans")`."""
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_page(name: str | None = None, *, opened: Iterable[str] = (), **query: str) -> AppTest:
        """`opened`: the keys of folds (expanders) the person has opened."""
        at = AppTest.from_file(ENTRY, default_timeout=30)
        for key, value in query.items():
            at.query_params[key] = value
        for key in opened:
            at.session_state[key] = True
        at.run()
        if name is not None:
            at.switch_page(f"../pages/{name}.py")
            at.run()
        assert not at.exception, at.exception
        return at

    return open_page
