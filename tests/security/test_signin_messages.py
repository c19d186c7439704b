"""Red team, sign-in: the sign-in form tells an attacker nothing about which addresses have
accounts, which are switched off or locked, in its words or in the work it does; hostile input
is refused in the same plain words, never with a database error."""

from typing import Any

import pytest
from sqlmodel import Session, select

from dashboard.rules.accounts import SignInRefused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.writes import accounts
from models import User

from .test_signin_lockout import PASSWORD, SETTINGS, quick_hashes

__all__ = ["quick_hashes"]  # a fixture these attacks use

WHOLE_MESSAGE = (
    "That e-mail address and password do not match an account that can sign in. "
    "After 5 wrong tries an account is locked for 15 minutes."
)


class CountingHasher:
    """The real argon2 hasher, counting how many passwords it checks."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.verified = 0
        self.costs: list[str] = []  # each checked hash's argon2 settings (its time and memory)

    def verify(self, stored_hash: str, password: str) -> bool:
        self.verified += 1
        self.costs.append(stored_hash.rsplit("$", 2)[0])
        return bool(self.real.verify(stored_hash, password))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


@pytest.fixture
def people(session: Session, quick_hashes: None) -> Session:
    """An active officer, a switched-off one, a locked one and one who signs in only through the
    organisation (no password); cheap hashes (the next attack checks the real ones' cost)."""
    for email, password in (
        ("active@council.gov.uk", PASSWORD),
        ("gone@council.gov.uk", PASSWORD),
        ("locked@council.gov.uk", PASSWORD),
        ("oidc.only@council.gov.uk", None),
    ):
        accounts.add_user(
            session=session,
            actor=COMMAND_LINE_ADMIN,
            email=email,
            role="viewer",
            password=password,
        )
    accounts.add_user(
        session=session,
        actor=COMMAND_LINE_ADMIN,
        email="keeper@council.gov.uk",
        role="admin",
        password=PASSWORD,
    )
    accounts.disable_user(session=session, actor=COMMAND_LINE_ADMIN, email="gone@council.gov.uk")
    for n in range(SETTINGS.lockout_attempts):
        with pytest.raises(SignInRefused):
            sign_in(session, "locked@council.gov.uk", f"wrong {n}")
    return session


def sign_in(session: Session, email: str, password: str) -> object:
    return accounts.sign_in(session=session, email=email, password=password, settings=SETTINGS)


def refusal(session: Session, email: str, password: str) -> str:
    with pytest.raises(SignInRefused) as refused:
        sign_in(session, email, password)
    return str(refused.value)


PROBES: dict[str, tuple[str, str]] = {
    "no account": ("nobody@council.gov.uk", PASSWORD),
    "switched off, right password": ("gone@council.gov.uk", PASSWORD),
    "locked, right password": ("locked@council.gov.uk", PASSWORD),
    "no password (organisation sign-in only)": ("oidc.only@council.gov.uk", PASSWORD),
}


@pytest.mark.parametrize("probe", list(PROBES))
def test_refusal_reads_as_a_wrong_password(people: Session, probe: str) -> None:
    email, password = PROBES[probe]
    wrong_password = refusal(people, "active@council.gov.uk", "not the password")
    assert wrong_password == WHOLE_MESSAGE
    assert refusal(people, email, password) == wrong_password


@pytest.mark.parametrize("probe", list(PROBES))
def test_refusal_checks_one_password_like_a_wrong_password(
    people: Session, probe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time a refusal takes cannot tell the cases apart: each checks one argon2 hash."""
    counting = CountingHasher(accounts._hasher)
    monkeypatch.setattr(accounts, "_hasher", counting)
    refusal(people, "active@council.gov.uk", "not the password")
    assert counting.verified == 1
    email, password = PROBES[probe]
    refusal(people, email, password)
    assert counting.verified == 2


def test_no_account_costs_as_much_as_a_real_one(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the real hasher, an address with no account checks a hash of the same argon2 cost
    (time and memory) as a real account's wrong password: the time taken tells nothing."""
    accounts.add_user(
        session=session,
        actor=COMMAND_LINE_ADMIN,
        email="active@council.gov.uk",
        role="viewer",
        password=PASSWORD,
    )
    counting = CountingHasher(accounts._hasher)
    monkeypatch.setattr(accounts, "_hasher", counting)
    refusal(session, "active@council.gov.uk", "not the password")
    refusal(session, "nobody@council.gov.uk", PASSWORD)
    assert counting.verified == 2
    assert counting.costs[0] == counting.costs[1]


HOSTILE_ADDRESSES: dict[str, str] = {
    "NUL byte": "active@council.gov.uk\x00",
    "NUL inside": "act\x00ive@council.gov.uk",
    "10,000 characters": "a" * 10_000 + "@council.gov.uk",
    "blank": "   ",
    "SQL": "' OR 1=1 --@council.gov.uk",
}


@pytest.mark.parametrize("kind", list(HOSTILE_ADDRESSES))
def test_hostile_address_is_refused_plainly(
    people: Session, kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    counting = CountingHasher(accounts._hasher)
    monkeypatch.setattr(accounts, "_hasher", counting)
    before = counts(people)
    assert refusal(people, HOSTILE_ADDRESSES[kind], PASSWORD) == WHOLE_MESSAGE
    assert counting.verified == 1  # as long as any other refusal
    assert counts(people) == before


def counts(session: Session) -> list[tuple[str, int, bool]]:
    rows = session.exec(
        select(User.email, User.failed_attempts, User.disabled)
        .order_by(User.email)  # type: ignore[arg-type]
        .execution_options(populate_existing=True)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.mark.parametrize(
    "password",
    [pytest.param("x" * 100_000, id="100,000 characters"), pytest.param("a\x00b" * 5, id="NUL")],
)
def test_hostile_password_is_a_wrong_guess(people: Session, password: str) -> None:
    assert refusal(people, "active@council.gov.uk", password) == WHOLE_MESSAGE
    user = people.exec(
        select(User)
        .where(User.email == "active@council.gov.uk")
        .execution_options(populate_existing=True)
    ).one()
    assert user.failed_attempts == 1
