"""The session store of local sign-ins, on SQLite and PostgreSQL: a session starts with a sign-in,
is found by its token (only a hash is stored), is touched at most once a minute, times out when
idle and after its absolute life, and ends at sign-out, when the account is switched off or its
password is reset."""

from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, select

from dashboard.rules.accounts import session_token_hash
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.settings import Settings
from dashboard.writes import accounts
from models import SignInSession, User, utcnow

PASSWORD = "correct horse battery"
EMAIL = "asha.patel@council.gov.uk"
SETTINGS = Settings(
    database_url="sqlite://",
    evidence_dir=Path("unused"),
    max_evidence_mb=1,
    rag_amber_days=30,
    session_idle_minutes=30,
    session_hours=8,
)


@pytest.fixture
def signed_in(session: Session, monkeypatch: pytest.MonkeyPatch) -> str:
    """A token for Asha's fresh sign-in (an admin, so the tests can also switch her off)."""
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024))
    accounts.add_user(
        session=session, actor=COMMAND_LINE_ADMIN, email=EMAIL, role="admin", password=PASSWORD
    )
    accounts.add_user(
        session=session, actor=COMMAND_LINE_ADMIN, email="lead@council.gov.uk", role="admin"
    )
    actor = accounts.sign_in(session=session, email=EMAIL, password=PASSWORD, settings=SETTINGS)
    return accounts.start_session(session=session, actor=actor)


def rows(session: Session) -> list[SignInSession]:
    return list(session.exec(select(SignInSession).execution_options(populate_existing=True)).all())


def test_a_session_finds_its_account_and_stores_only_a_hash(
    session: Session, signed_in: str
) -> None:
    actor = accounts.session_actor(session=session, token=signed_in, settings=SETTINGS)
    assert actor is not None and actor.email == EMAIL
    (row,) = rows(session)
    assert row.token_hash == session_token_hash(signed_in) and signed_in not in row.token_hash
    assert accounts.session_actor(session=session, token=signed_in + "x", settings=SETTINGS) is None
    assert accounts.session_actor(session=session, token="", settings=SETTINGS) is None


def test_last_use_is_written_at_most_once_a_minute(session: Session, signed_in: str) -> None:
    (row,) = rows(session)
    began = row.last_used_at
    accounts.session_actor(
        session=session, token=signed_in, settings=SETTINGS, now=began + timedelta(seconds=30)
    )
    assert rows(session)[0].last_used_at == began
    later = began + timedelta(minutes=2)
    accounts.session_actor(session=session, token=signed_in, settings=SETTINGS, now=later)
    assert rows(session)[0].last_used_at == later


def test_an_idle_session_ends(session: Session, signed_in: str) -> None:
    began = rows(session)[0].last_used_at
    at = began + timedelta(minutes=29)
    assert accounts.session_actor(session=session, token=signed_in, settings=SETTINGS, now=at)
    idle = at + timedelta(minutes=30)
    assert (
        accounts.session_actor(session=session, token=signed_in, settings=SETTINGS, now=idle)
        is None
    )
    assert rows(session) == []  # deleted: it never comes back


def test_a_session_ends_after_its_absolute_life_however_busy(
    session: Session, signed_in: str
) -> None:
    began = rows(session)[0].created_at
    for minutes in range(20, 8 * 60, 20):  # used every 20 minutes
        at = began + timedelta(minutes=minutes)
        assert accounts.session_actor(session=session, token=signed_in, settings=SETTINGS, now=at)
    at = began + timedelta(hours=8)
    assert (
        accounts.session_actor(session=session, token=signed_in, settings=SETTINGS, now=at) is None
    )


def test_a_new_sign_in_replaces_the_browsers_old_session(session: Session, signed_in: str) -> None:
    actor = accounts.session_actor(session=session, token=signed_in, settings=SETTINGS)
    assert actor is not None
    fresh = accounts.start_session(session=session, actor=actor, replacing=signed_in)
    assert fresh != signed_in
    assert accounts.session_actor(session=session, token=signed_in, settings=SETTINGS) is None
    assert accounts.session_actor(session=session, token=fresh, settings=SETTINGS) is not None


@pytest.mark.parametrize("how", ["end_session", "sign_out", "disable", "reset_password"])
def test_sign_out_switching_off_and_a_new_password_end_sessions(
    session: Session, signed_in: str, how: str
) -> None:
    actor = accounts.session_actor(session=session, token=signed_in, settings=SETTINGS)
    assert actor is not None
    if how == "end_session":
        accounts.end_session(session=session, token=signed_in)
    elif how == "sign_out":
        accounts.sign_out(session=session, actor=actor)
    elif how == "disable":
        accounts.disable_user(session=session, actor=COMMAND_LINE_ADMIN, email=EMAIL)
    else:
        accounts.reset_password(
            session=session, actor=COMMAND_LINE_ADMIN, email=EMAIL, password="another long one"
        )
    assert accounts.session_actor(session=session, token=signed_in, settings=SETTINGS) is None
    assert rows(session) == []


def test_a_session_started_before_a_sign_out_elsewhere_ends(
    session: Session, signed_in: str
) -> None:
    """A sign-out recorded by another server (signed_out_at only) ends the session too."""
    actor = accounts.session_actor(session=session, token=signed_in, settings=SETTINGS)
    assert actor is not None and actor.user_id is not None
    user = session.get(User, actor.user_id)
    assert user is not None
    user.signed_out_at = utcnow() + timedelta(seconds=1)
    session.add(user)
    session.commit()
    assert accounts.session_actor(session=session, token=signed_in, settings=SETTINGS) is None


def test_timed_out_sessions_are_cleared_away(session: Session, signed_in: str) -> None:
    actor = accounts.session_actor(session=session, token=signed_in, settings=SETTINGS)
    assert actor is not None
    began = rows(session)[0].created_at
    later = accounts.start_session(session=session, actor=actor, now=began + timedelta(hours=1))
    at = began + timedelta(minutes=45)  # the first idle for 45 minutes, the second not yet begun
    assert accounts.end_stale_sessions(session=session, settings=SETTINGS, now=at) == 1
    assert [row.token_hash for row in rows(session)] == [session_token_hash(later)]
