"""Account actions: a local sign-in (argon2 passwords, lock-out after repeated failures) and the
management of accounts by equality leads. The rules they apply are in dashboard/rules/accounts.py,
the reads (who an account acts as, the list of accounts) in dashboard/reads/accounts.py.

No Streamlit here: dashboard/ui/signin.py draws the forms and calls these functions.
"""

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from dashboard.formats.words import time_text
from dashboard.reads.accounts import actor_for_user, lead_ids_of, user_by_email
from dashboard.rules.accounts import (
    AccountRefused,
    SignInRefused,
    check_password,
    locked,
    normalise_email,
)
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.db import write_transaction
from dashboard.store.settings import Settings
from models import Lead, Role, User, UserLead, pk, utcnow

_hasher = PasswordHasher()
_dummy_hash: str | None = None


# ---------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    """An argon2 hash of `password`, after checking it is long enough."""
    check_password(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; an account without a password never matches."""
    global _dummy_hash
    if stored_hash is None:
        # Spend the same time as a real check, so a missing account cannot be told apart.
        _dummy_hash = _dummy_hash or _hasher.hash("no account has this password")
        stored_hash, password = _dummy_hash, password + "-"
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# ---------------------------------------------------------------- local sign-in


def sign_in(
    *,
    session: Session,
    email: str,
    password: str,
    settings: Settings,
    now: datetime | None = None,
) -> Actor:
    """Check an e-mail and password. Failures are counted; after `settings.lockout_attempts` in a
    row the account is locked for `settings.lockout_minutes`."""
    now = now or utcnow()
    user = user_by_email(session, email.strip().lower())
    wrong = (
        "The e-mail address or password is not right. "
        f"After {settings.lockout_attempts} wrong tries in a row an account is locked for "
        f"{settings.lockout_minutes} minutes."
    )
    if user is None:
        verify_password(None, password)
        raise SignInRefused(wrong)
    if locked(user, now):
        raise SignInRefused(_locked_message(user.locked_until))
    if not verify_password(user.password_hash, password):
        with write_transaction(session):  # the failure is counted, though the sign-in is refused
            user.failed_attempts += 1
            now_locked = user.failed_attempts >= settings.lockout_attempts
            if now_locked:
                user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
                user.failed_attempts = 0
            session.add(user)
        raise SignInRefused(_locked_message(user.locked_until) if now_locked else wrong)
    if user.disabled:
        raise SignInRefused("This account has been switched off. Ask your equality lead.")
    with write_transaction(session):
        if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
            user.password_hash = _hasher.hash(password)
        user.failed_attempts = 0
        user.locked_until = None
        user.last_sign_in = now
        session.add(user)
    return actor_for_user(session, user)


def _locked_message(until: datetime | None) -> str:
    return (
        "Too many wrong passwords: this account is locked until "
        f"{time_text(until) if until else 'later'}. Try again then, or ask your equality lead "
        "to reset your password."
    )


# ---------------------------------------------------------------- account management


def _display_name(email: str) -> str:
    """'asha.patel@council.gov.uk' -> 'Asha Patel'."""
    local = email.split("@", 1)[0]
    return " ".join(part.capitalize() for part in re.split(r"[._-]+", local) if part) or email


def add_user(
    *,
    session: Session,
    actor: Actor,
    email: str,
    role: str,
    lead_ids: Sequence[int] = (),
    display_name: str | None = None,
    password: str | None = None,
) -> User:
    """Create an account. Without a password it can only sign in through the identity provider."""
    require_admin(actor, "add accounts")
    address = normalise_email(email)
    if user_by_email(session, address) is not None:
        raise AccountRefused(f"There is already an account for {address}.")
    chosen_role = _role(role)
    _check_leads(session, chosen_role, lead_ids)
    user = User(
        email=address,
        display_name=(display_name or "").strip() or _display_name(address),
        role=chosen_role.value,
        password_hash=hash_password(password) if password else None,
    )
    with write_transaction(session):
        session.add(user)
        session.flush()
        _set_leads(session, pk(user), lead_ids)
    return user


def update_user(
    *,
    session: Session,
    actor: Actor,
    email: str,
    role: str | None = None,
    lead_ids: Sequence[int] | None = None,
    display_name: str | None = None,
    disabled: bool | None = None,
) -> User:
    """Change an account's role, leads, name or whether it may sign in."""
    require_admin(actor, "change accounts")
    user = _existing(session, email)
    new_role = _role(role) if role is not None else Role(user.role)
    _check_leads(
        session,
        new_role,
        lead_ids if lead_ids is not None else lead_ids_of(session, pk(user)),
    )
    will_be_disabled = user.disabled if disabled is None else disabled
    stays_admin = new_role is Role.ADMIN and not will_be_disabled
    if not stays_admin and user.role == Role.ADMIN.value and not user.disabled:
        _keep_one_admin(session, pk(user))
    with write_transaction(session):
        user.role = new_role.value
        if display_name is not None and display_name.strip():
            user.display_name = display_name.strip()
        if disabled is not None:
            user.disabled = disabled
        session.add(user)
        if lead_ids is not None:
            _set_leads(session, pk(user), lead_ids)
    return user


def disable_user(*, session: Session, actor: Actor, email: str) -> User:
    """Switch an account off: it can no longer sign in; its history stays."""
    return update_user(session=session, actor=actor, email=email, disabled=True)


def reset_password(*, session: Session, actor: Actor, email: str, password: str) -> User:
    """Set a new password and lift any lock-out."""
    require_admin(actor, "reset passwords")
    user = _existing(session, email)
    password_hash = hash_password(password)
    with write_transaction(session):
        user.password_hash = password_hash
        user.failed_attempts = 0
        user.locked_until = None
        session.add(user)
    return user


def _existing(session: Session, email: str) -> User:
    user = user_by_email(session, email.strip().lower())
    if user is None:
        raise AccountRefused(f"There is no account for {email.strip()}.")
    return user


def _role(role: str) -> Role:
    try:
        return Role(role.strip().lower())
    except ValueError:
        raise AccountRefused(f"'{role}' is not a role. Choose viewer, officer or admin.") from None


def _check_leads(session: Session, role: Role, lead_ids: Sequence[int]) -> None:
    if lead_ids:
        known = set(session.exec(select(Lead.id).where(col(Lead.id).in_(lead_ids))).all())
        if missing := set(lead_ids) - known:
            raise AccountRefused(f"Unknown lead(s): {sorted(missing)}.")
    elif role is Role.OFFICER:
        raise AccountRefused(
            "An officer needs at least one lead (service) to act for; give one with --lead."
        )


def _set_leads(session: Session, user_id: int, lead_ids: Sequence[int]) -> None:
    session.execute(delete(UserLead).where(col(UserLead.user_id) == user_id))
    for lead_id in dict.fromkeys(lead_ids):
        session.add(UserLead(user_id=user_id, lead_id=lead_id))


def _keep_one_admin(session: Session, leaving_user_id: int) -> None:
    others = session.exec(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.ADMIN.value, col(User.disabled).is_(False))
        .where(User.id != leaving_user_id)
    ).one()
    if others == 0:
        raise AccountRefused(
            "This is the last active equality lead (administrator). Make someone else an "
            "administrator first."
        )
