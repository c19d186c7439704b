"""Who is signed in: local accounts (argon2 passwords, lock-out after repeated failures), the
mapping of an OIDC sign-in to an account, and the management of accounts by equality leads.

No Streamlit here: dashboard/ui/signin.py draws the forms and calls these functions.
"""

import ipaddress
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from dashboard.formats.words import time_text
from dashboard.rules.names import name_key
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.settings import Settings
from models import Lead, LeadAlias, Organisation, Role, User, UserLead, pk, utcnow

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = PasswordHasher()
_dummy_hash: str | None = None


class SignInRefused(ValueError):
    """A sign-in that did not succeed; the message says why in plain words."""


class SignInExpired(SignInRefused):
    """The identity provider's token has run out: the person must sign in again."""


class AccountRefused(ValueError):
    """An account change that is not valid (bad e-mail, unknown lead, weak password…)."""


ROLE_WORDS: dict[Role, str] = {
    Role.VIEWER: "Viewer (reads everything)",
    Role.OFFICER: "Officer (updates the issues of their services)",
    Role.ADMIN: "Equality lead (administrator)",
}


# ---------------------------------------------------------------- passwords


def check_password(password: str) -> None:
    """Refuse a password that is too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")


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


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 320:
        raise AccountRefused(f"'{email.strip()}' is not an e-mail address.")
    return cleaned


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
    user = _user_by_email(session, email.strip().lower())
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
        user.failed_attempts += 1
        now_locked = user.failed_attempts >= settings.lockout_attempts
        if now_locked:
            user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            user.failed_attempts = 0
        session.add(user)
        session.commit()
        raise SignInRefused(_locked_message(user.locked_until) if now_locked else wrong)
    if user.disabled:
        raise SignInRefused("This account has been switched off. Ask your equality lead.")
    if user.password_hash and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_attempts = 0
    user.locked_until = None
    user.last_sign_in = now
    session.add(user)
    session.commit()
    return actor_for_user(session, user)


def locked(user: User, now: datetime | None = None) -> bool:
    """True while a lock-out after too many wrong passwords lasts."""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def _locked_message(until: datetime | None) -> str:
    return (
        "Too many wrong passwords: this account is locked until "
        f"{time_text(until) if until else 'later'}. Try again then, or ask your equality lead "
        "to reset your password."
    )


def actor_for_user(session: Session, user: User) -> Actor:
    """The Actor the write functions see for an account: its role and the leads it acts for."""
    lead_ids = session.exec(select(UserLead.lead_id).where(UserLead.user_id == user.id)).all()
    return Actor(
        name=user.display_name,
        role=Role(user.role),
        user_id=user.id,
        email=user.email,
        lead_ids=frozenset(lead_ids),
    )


def active_actor(session: Session, user_id: int) -> Actor | None:
    """The Actor for a signed-in account, or None if it has since been removed or switched off."""
    user = session.get(User, user_id, populate_existing=True)
    if user is None or user.disabled:
        return None
    return actor_for_user(session, user)


def actor_for_email(session: Session, email: str) -> Actor:
    """The Actor of an active account (for the command line's --as)."""
    user = _user_by_email(session, email.strip().lower())
    if user is None or user.disabled:
        raise AccountRefused(f"There is no active account for {email.strip()}.")
    return actor_for_user(session, user)


def users_exist(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(User)).one() > 0


# ---------------------------------------------------------------- OIDC (st.login)


def claims_email(claims: Mapping[str, Any]) -> str | None:
    """The e-mail of an OIDC identity; Entra ID may carry it as preferred_username or upn."""
    for claim in ("email", "preferred_username", "upn"):
        value = claims.get(claim)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


def token_expired(claims: Mapping[str, Any], now: datetime | None = None) -> bool:
    """True when the identity token's `exp` has passed (or is missing): Streamlit does not check."""
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return True
    return (now or utcnow()).timestamp() >= exp


def actor_from_claims(
    *,
    session: Session,
    claims: Mapping[str, Any],
    unknown_email: str,
    now: datetime | None = None,
) -> Actor:
    """Map a signed-in OIDC identity to an account. An e-mail with no account is refused, or
    reads as a viewer when `unknown_email` is "viewer"."""
    if token_expired(claims, now):
        raise SignInExpired("Your sign-in has expired. Please sign in again.")
    email = claims_email(claims)
    if email is None:
        raise SignInRefused(
            "Your sign-in did not say your e-mail address, so the dashboard cannot tell who you "
            "are. Ask your IT team to include the e-mail claim."
        )
    user = _user_by_email(session, email)
    if user is None:
        if unknown_email == "viewer":
            name = claims.get("name")
            return Actor(name=name if isinstance(name, str) and name else email, role=Role.VIEWER)
        raise SignInRefused(
            f"There is no account for {email} on this dashboard. Ask your equality lead to add you."
        )
    if user.disabled:
        raise SignInRefused("Your account has been switched off. Ask your equality lead.")
    return actor_for_user(session, user)


def is_loopback(address: str | None) -> bool:
    """True when the server only listens on this machine (empty means every interface)."""
    host = (address or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------- account management


def resolve_leads(
    session: Session, names: Sequence[str], organisation: str | None = None
) -> list[int]:
    """Lead ids for names or aliases (case-insensitive); a name found in several organisations
    needs `organisation`."""
    ids: list[int] = []
    for name in names:
        key = name_key(name)
        query = (
            select(Lead.id, Organisation.name)
            .join(Organisation, col(Lead.organisation_id) == Organisation.id)
            .outerjoin(LeadAlias, col(LeadAlias.lead_id) == Lead.id)
            .where((func.lower(col(Lead.name)) == key.lower()) | (col(LeadAlias.alias_key) == key))
            .distinct()
        )
        if organisation:
            query = query.where(func.lower(col(Organisation.name)) == name_key(organisation))
        found = session.exec(query).all()
        if not found:
            where = f" in {organisation}" if organisation else ""
            raise AccountRefused(f"No lead is called '{name}'{where}.")
        if len(found) > 1:
            organisations = "; ".join(sorted(org for _, org in found))
            raise AccountRefused(
                f"'{name}' is a lead in more than one organisation ({organisations}). "
                "Say which with --organisation."
            )
        lead_id = found[0][0]
        if lead_id is not None and lead_id not in ids:
            ids.append(lead_id)
    return ids


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
    if _user_by_email(session, address) is not None:
        raise AccountRefused(f"There is already an account for {address}.")
    chosen_role = _role(role)
    _check_leads(session, chosen_role, lead_ids)
    user = User(
        email=address,
        display_name=(display_name or "").strip() or _display_name(address),
        role=chosen_role.value,
        password_hash=hash_password(password) if password else None,
    )
    session.add(user)
    session.flush()
    _set_leads(session, pk(user), lead_ids)
    session.commit()
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
        lead_ids if lead_ids is not None else _lead_ids(session, pk(user)),
    )
    will_be_disabled = user.disabled if disabled is None else disabled
    stays_admin = new_role is Role.ADMIN and not will_be_disabled
    if not stays_admin and user.role == Role.ADMIN.value and not user.disabled:
        _keep_one_admin(session, pk(user))
    user.role = new_role.value
    if display_name is not None and display_name.strip():
        user.display_name = display_name.strip()
    if disabled is not None:
        user.disabled = disabled
    session.add(user)
    if lead_ids is not None:
        _set_leads(session, pk(user), lead_ids)
    session.commit()
    return user


def disable_user(*, session: Session, actor: Actor, email: str) -> User:
    """Switch an account off: it can no longer sign in; its history stays."""
    return update_user(session=session, actor=actor, email=email, disabled=True)


def reset_password(*, session: Session, actor: Actor, email: str, password: str) -> User:
    """Set a new password and lift any lock-out."""
    require_admin(actor, "reset passwords")
    user = _existing(session, email)
    user.password_hash = hash_password(password)
    user.failed_attempts = 0
    user.locked_until = None
    session.add(user)
    session.commit()
    return user


def list_users(session: Session, now: datetime | None = None) -> pd.DataFrame:
    """One row per account with the leads it acts for, in e-mail order."""
    now = now or utcnow()
    users = session.exec(select(User).order_by(col(User.email))).all()
    leads: dict[int, list[str]] = {}
    for user_id, lead_name in session.exec(
        select(UserLead.user_id, Lead.name)
        .join(Lead, col(UserLead.lead_id) == Lead.id)
        .order_by(col(Lead.name))
    ).all():
        leads.setdefault(user_id, []).append(lead_name)
    rows = [
        {
            "email": u.email,
            "name": u.display_name,
            "role": u.role,
            "leads": " / ".join(leads.get(pk(u), [])),
            "lead_ids": sorted(_lead_ids(session, pk(u))),
            "password": u.password_hash is not None,
            "disabled": u.disabled,
            "locked": locked(u, now),
            "locked_until": u.locked_until if locked(u, now) else None,
            "last_sign_in": u.last_sign_in,
        }
        for u in users
    ]
    columns = [
        "email",
        "name",
        "role",
        "leads",
        "lead_ids",
        "password",
        "disabled",
        "locked",
        "locked_until",
        "last_sign_in",
    ]
    return pd.DataFrame(rows, columns=columns)


def lead_choices(session: Session) -> pd.DataFrame:
    """Every lead with its organisation, for pickers: lead_id, name, organisation."""
    rows = session.exec(
        select(Lead.id, Lead.name, Organisation.name)
        .join(Organisation, col(Lead.organisation_id) == Organisation.id)
        .order_by(col(Organisation.name), col(Lead.name))
    ).all()
    return pd.DataFrame(rows, columns=["lead_id", "name", "organisation"])


def _user_by_email(session: Session, email: str) -> User | None:
    return session.exec(
        select(User).where(User.email == email).execution_options(populate_existing=True)
    ).first()


def _existing(session: Session, email: str) -> User:
    user = _user_by_email(session, email.strip().lower())
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


def _lead_ids(session: Session, user_id: int) -> list[int]:
    return list(session.exec(select(UserLead.lead_id).where(UserLead.user_id == user_id)).all())


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
