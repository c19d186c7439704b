"""Red team, sign-in: the lock-out holds against wrong passwords sent all at once, by one server
or by two, on SQLite and PostgreSQL; while it lasts even the right password is refused."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.rules.accounts import SignInRefused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import make_engine
from dashboard.store.settings import Settings
from dashboard.writes import accounts
from models import User, utcnow

PASSWORD = "correct horse battery"
EMAIL = "lead@council.gov.uk"
REFUSED = "That e-mail address and password do not match an account that can sign in."
SETTINGS = Settings(
    database_url="sqlite://",
    evidence_dir=Path("unused"),
    max_evidence_mb=1,
    rag_amber_days=30,
    lockout_attempts=5,
    lockout_minutes=15,
)


@pytest.fixture
def quick_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cheap argon2 for these attacks: 40 checks at once at 64 MiB each would need 2.5 GB."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)


@pytest.fixture
def account(session: Session, quick_hashes: None) -> User:
    """The equality lead's account: what an attacker would most like to guess."""
    return accounts.add_user(
        session=session, actor=COMMAND_LINE_ADMIN, email=EMAIL, role="admin", password=PASSWORD
    )


def stored(session: Session) -> User:
    user = session.exec(
        select(User).where(User.email == EMAIL).execution_options(populate_existing=True)
    ).one()
    return user


def guesses_at_once(engines: list[Engine], count: int) -> list[str]:
    """`count` wrong passwords, each from its own thread and session, released together; the
    engines take turns (two engines = two servers on one database). What each guess was told."""
    start = threading.Barrier(count)

    def guess(n: int) -> str:
        with Session(engines[n % len(engines)], expire_on_commit=False) as own:
            start.wait()
            try:
                accounts.sign_in(
                    session=own, email=EMAIL, password=f"wrong guess {n}", settings=SETTINGS
                )
            except SignInRefused as refused:
                return str(refused)
            return "signed in"

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(guess, range(count)))


def sign_in_right(session: Session, now_offset: timedelta = timedelta(0)) -> Callable[[], object]:
    return lambda: accounts.sign_in(
        session=session,
        email=EMAIL,
        password=PASSWORD,
        settings=SETTINGS,
        now=utcnow() + now_offset,
    )


def test_forty_wrong_passwords_at_once_lock_the_account(
    engine: Engine, session: Session, account: User
) -> None:
    told = guesses_at_once([engine], 40)
    user = stored(session)
    assert user.failed_attempts == 40  # every guess counted, none lost to another
    assert user.locked_until is not None and user.locked_until > utcnow()
    assert all(message.startswith(REFUSED) for message in told), set(told)
    assert user.last_sign_in is None


def test_right_password_after_eleven_wrong_ones_at_once_is_refused(
    engine: Engine, session: Session, account: User
) -> None:
    guesses_at_once([engine], 11)
    with pytest.raises(SignInRefused) as refused:
        sign_in_right(session)()
    assert str(refused.value).startswith(REFUSED)
    assert "locked until" not in str(refused.value)  # says nothing of this account
    user = stored(session)
    assert user.last_sign_in is None and user.failed_attempts == 11


def test_wrong_passwords_spread_over_two_servers_lock_the_account(
    engine: Engine, session: Session, account: User
) -> None:
    """Two servers on one database (on SQLite each has its own queue of writers)."""
    second = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        guesses_at_once([engine, second], 30)
    finally:
        second.dispose()
    user = stored(session)
    assert user.failed_attempts == 30
    assert user.locked_until is not None and user.locked_until > utcnow()
    with pytest.raises(SignInRefused, match=REFUSED):
        sign_in_right(session)()


def test_a_lock_that_ended_gives_only_five_more_guesses(session: Session, account: User) -> None:
    """After the 15 minutes the count starts again: five more wrong passwords lock it again for
    another 15 minutes, right password or not."""
    guesses_at_once([session.get_bind()], 5)  # type: ignore[list-item]
    later = timedelta(minutes=16)
    for n in range(5):
        with pytest.raises(SignInRefused, match=REFUSED):
            accounts.sign_in(
                session=session,
                email=EMAIL,
                password=f"later guess {n}",
                settings=SETTINGS,
                now=utcnow() + later,
            )
    user = stored(session)
    assert user.failed_attempts == 5
    assert user.locked_until is not None and user.locked_until > utcnow() + later
    with pytest.raises(SignInRefused, match=REFUSED):
        sign_in_right(session, later)()
