"""What the session attacks (tests/security/test_sessions_*.py) share: the server's own routes
and middleware (dashboard/ui/server.py) on the test database (the `engine` fixture, so every
attack runs on SQLite and PostgreSQL), with Asha's account and a cheap password hash."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, func
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.settings import Settings
from dashboard.ui import server
from dashboard.writes import accounts
from models import SignInSession

EMAIL = "asha.patel@council.gov.uk"
PASSWORD = "correct horse battery"
SITE = "http://localhost:8501"
SETTINGS = Settings(
    database_url="unused",
    evidence_dir=Path("unused"),
    max_evidence_mb=1,
    rag_amber_days=30,
)


@pytest.fixture
def client(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A browser talking to the app's server on localhost:8501, Asha's account in its database."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))

    @contextmanager
    def own_session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as db:
            yield db

    monkeypatch.setattr(server, "session", own_session)
    monkeypatch.setattr(server, "settings", lambda: SETTINGS)
    with own_session() as db:
        accounts.add_user(session=db, actor=COMMAND_LINE_ADMIN, email=EMAIL, role="admin",
                          password=PASSWORD)  # fmt: skip
    app = Starlette(
        routes=server.ROUTES,
        middleware=server.middleware(server.allowed_hosts((), "localhost"), "localhost"),
    )
    with TestClient(app, base_url=SITE, follow_redirects=False) as browser:
        yield browser


def sign_in_form(*, email: str = EMAIL, password: str = PASSWORD, back: str = "/") -> dict:
    return {"email": email, "password": password, "next": back}


def post_sign_in(client: TestClient, form: dict, **headers: str):  # type: ignore[no-untyped-def]
    """The sign-in form posted as Chromium posts it from the dashboard's own page."""
    sent = {"origin": SITE, "referer": SITE + "/", **headers}
    return client.post(server.SIGN_IN_PATH, data=form, headers=sent)


def sessions_kept(engine: Engine) -> int:
    with Session(engine) as db:
        return db.exec(select(func.count()).select_from(SignInSession)).one()


def actor_of(engine: Engine, token: str | None):  # type: ignore[no-untyped-def]
    with Session(engine, expire_on_commit=False) as db:
        return accounts.session_actor(session=db, token=token, settings=SETTINGS)
