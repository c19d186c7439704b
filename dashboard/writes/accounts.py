"""Account actions: a local sign-in (argon2 passwords, a lock-out after repeated failures) and the
server-side session it starts (a random token for the browser's cookie, only its hash stored), an
organisation sign-in (OIDC) matched to its account, signing out on the server, and the management
of accounts by equality leads. The rules they apply are in dashboard/rules/accounts.py, the reads
(who an account acts as, the list of accounts) in dashboard/reads/accounts.py.

No Streamlit here: dashboard/ui/signin.py draws the forms and calls these functions.
"""

import re
import secrets
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, and_, case, delete, func, literal, null, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dashboard.reads.accounts import actor_for_user, lead_ids_of, user_by_email, user_by_identity
from dashboard.rules.accounts import (
    OIDC_NO_IDENTITY,
    OIDC_NOT_MATCHED,
    SESSION_TOKEN_BYTES,
    SESSION_TOUCH_SECONDS,
    SIGN_IN_EXPIRED,
    SIGN_IN_NOT_MATCHED,
    SIGNED_OUT,
    AccountRefused,
    SignInExpired,
    SignInRefused,
    check_identity,
    check_password,
    claims_identity,
    normalise_email,
    session_over,
    session_token_hash,
    sign_in_address,
    sign_in_refused,
    signed_out_since,
    token_expired,
    token_signed_out,
    verified_email,
)
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.db import begin_write, write_transaction
from dashboard.store.settings import Settings
from models import Lead, Role, SignInSession, User, UserLead, pk, utcnow

_hasher = PasswordHasher()
# The argon2 hash of a random password nobody kept, made with the hasher's own settings: checked
# when an address has no account (or one without a password), so that refusal does the same work
# as a wrong password and takes as long.
_NO_ACCOUNT_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$vWJGqLx/9AmNdx+j5Rpc/w"
    "$4s/OXGJpQfbuvlgALZjNgvbMuBX+nPLmyz0pvmUrTRY"
)
_USER = User.__table__  # type: ignore[attr-defined]
_SESSION = SignInSession.__table__  # type: ignore[attr-defined]


# ---------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    """An argon2 hash of `password`, after checking it is long enough."""
    check_password(password)
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; an account without a password never matches (and costs
    the same one check)."""
    try:
        matched = _hasher.verify(stored_hash or _NO_ACCOUNT_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(matched) and stored_hash is not None


# ---------------------------------------------------------------- local sign-in


def sign_in(
    *,
    session: Session,
    email: str,
    password: str,
    settings: Settings,
    now: datetime | None = None,
) -> Actor:
    """Check an e-mail and password. Every attempt checks one password hash and every refusal
    says the same (dashboard.rules.accounts.sign_in_refused). Wrong passwords are counted in the
    database itself, so guesses made at once are all counted: after `settings.lockout_attempts`
    the account is locked for `settings.lockout_minutes`, and while it is locked even the right
    password is refused."""
    now = now or utcnow()
    address = sign_in_address(email)
    user = user_by_email(session, address) if address else None
    right = verify_password(user.password_hash if user else None, password)
    refused = SignInRefused(sign_in_refused(settings.lockout_attempts, settings.lockout_minutes))
    if address is None:  # not an address at all: nothing to count
        raise refused
    new_hash = None
    if right and user is not None and _hasher.check_needs_rehash(user.password_hash or ""):
        new_hash = _hasher.hash(password)
    with write_transaction(session):
        connection = begin_write(session)
        if right and user is not None:
            signed_in = _record_sign_in(connection, user, now, new_hash)
        else:
            _count_wrong_password(connection, address, settings, now)
            signed_in = False
    if not signed_in or user is None:
        raise refused
    fresh = session.get(User, pk(user), populate_existing=True)
    assert fresh is not None  # the row was updated in this very call
    return actor_for_user(session, fresh)


def _count_wrong_password(
    connection: Connection, address: str, settings: Settings, now: datetime
) -> None:
    """One more wrong password for the account of `address` (none has it: the same statement
    changes nothing). One UPDATE, so guesses made at once are each counted, on one server or
    several. The count starts again once a lock has ended; reaching the limit locks the account;
    a guess while it is locked is counted but does not make the lock longer."""
    user = _USER.c
    lock_is_over = or_(user.locked_until.is_(None), user.locked_until <= now)
    lock_ended = and_(user.locked_until.is_not(None), user.locked_until <= now)
    count = case((lock_ended, 1), else_=user.failed_attempts + 1)
    until = literal(now + timedelta(minutes=settings.lockout_minutes), user.locked_until.type)
    connection.execute(
        update(_USER)
        .where(user.email == address)
        .values(
            failed_attempts=count,
            locked_until=case(
                (and_(lock_is_over, count >= settings.lockout_attempts), until),
                (lock_is_over, null()),
                else_=user.locked_until,
            ),
        )
    )


def _record_sign_in(
    connection: Connection, user: User, now: datetime, new_hash: str | None
) -> bool:
    """Record a sign-in with the right password, in one UPDATE that only succeeds while the
    account is as it was when the password was checked: not switched off, not locked (a lock set
    by guesses made at the same moment counts), the same password. False when it did not."""
    columns = _USER.c
    values: dict[str, Any] = {"failed_attempts": 0, "locked_until": None, "last_sign_in": now}
    if new_hash is not None:
        values["password_hash"] = new_hash
    recorded = connection.execute(
        update(_USER)
        .where(
            columns.id == pk(user),
            columns.disabled.is_(False),
            columns.password_hash == user.password_hash,
            or_(columns.locked_until.is_(None), columns.locked_until <= now),
        )
        .values(**values)
    )
    return recorded.rowcount == 1


# ---------------------------------------------------------------- sessions (local sign-ins)


def start_session(
    *, session: Session, actor: Actor, replacing: str | None = None, now: datetime | None = None
) -> str:
    """A new session for a local sign-in just made: a fresh random token (for the browser's
    cookie; the database keeps its hash only). The browser's previous session, `replacing`,
    ends in the same transaction: a token planted before sign-in never becomes signed in."""
    if actor.user_id is None:
        raise SignInRefused(SIGN_IN_NOT_MATCHED)
    now = now or utcnow()
    token = secrets.token_urlsafe(SESSION_TOKEN_BYTES)
    with write_transaction(session):
        connection = begin_write(session)
        if replacing:
            connection.execute(
                delete(_SESSION).where(_SESSION.c.token_hash == session_token_hash(replacing))
            )
        connection.execute(
            _SESSION.insert().values(
                token_hash=session_token_hash(token),
                user_id=actor.user_id,
                created_at=now,
                last_used_at=now,
            )
        )
    return token


def session_actor(
    *, session: Session, token: str | None, settings: Settings, now: datetime | None = None
) -> Actor | None:
    """Who the session of `token` is signed in as, or None when there is no such session or it
    is over: idle for `settings.session_idle_minutes`, older than `settings.session_hours`, the
    account switched off, signed out or given a new password since (an ended session is
    deleted). Its last use is written at most once a minute (SESSION_TOUCH_SECONDS)."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    token_hash = session_token_hash(token)
    row = session.exec(
        select(SignInSession)
        .where(SignInSession.token_hash == token_hash)
        .execution_options(populate_existing=True)
    ).first()
    if row is None:
        return None
    user = session.get(User, row.user_id, populate_existing=True)
    over = session_over(
        row.created_at,
        row.last_used_at,
        now,
        idle_minutes=settings.session_idle_minutes,
        hours=settings.session_hours,
    )
    if (
        over
        or user is None
        or user.disabled
        or signed_out_since(user.signed_out_at, row.created_at)
    ):
        end_session(session=session, token=token)
        return None
    if (now - row.last_used_at).total_seconds() >= SESSION_TOUCH_SECONDS:
        with write_transaction(session):
            begin_write(session).execute(
                update(_SESSION).where(_SESSION.c.token_hash == token_hash).values(last_used_at=now)
            )
    return actor_for_user(session, user)


def end_session(*, session: Session, token: str | None) -> None:
    """End one browser's session on the server (its cookie no longer lets anyone in)."""
    if not token:
        return
    with write_transaction(session):
        begin_write(session).execute(
            delete(_SESSION).where(_SESSION.c.token_hash == session_token_hash(token))
        )


def end_stale_sessions(*, session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Delete the sessions that have timed out (browsers that never came back), on every
    sign-in, so the table holds live sessions only. How many were deleted."""
    now = now or utcnow()
    idle_since = now - timedelta(minutes=settings.session_idle_minutes)
    began_before = now - timedelta(hours=settings.session_hours)
    with write_transaction(session):
        ended = begin_write(session).execute(
            delete(_SESSION).where(
                or_(_SESSION.c.last_used_at <= idle_since, _SESSION.c.created_at <= began_before)
            )
        )
    return int(ended.rowcount or 0)


def _end_sessions_of(session: Session, user_id: int) -> None:
    """End every session of an account, on every server (inside the caller's transaction)."""
    session.execute(delete(SignInSession).where(col(SignInSession.user_id) == user_id))


# ---------------------------------------------------------------- organisation sign-in (OIDC)


def actor_from_claims(
    *,
    session: Session,
    claims: Mapping[str, Any],
    unknown_email: str,
    now: datetime | None = None,
) -> Actor:
    """Who a person signed in at the organisation's identity provider is, from the token's
    claims (checked on every page run). The account linked to the token's issuer and subject
    (`iss`, `sub`); at a first sign-in, the unlinked account of the token's e-mail, but only when
    the provider vouches for that e-mail (`email_verified`), and it is then linked for good.
    A verified e-mail with no account reads as a viewer when `unknown_email` is "viewer".
    Refused when the token has expired, was issued before the account last signed out, or
    matches no account that can sign in (always the same words)."""
    now = now or utcnow()
    if token_expired(claims, now):
        raise SignInExpired(SIGN_IN_EXPIRED)
    identity = claims_identity(claims)
    if identity is None:
        raise SignInRefused(OIDC_NO_IDENTITY)
    user = user_by_identity(session, *identity)
    if user is None:
        email = verified_email(claims)
        by_email = user_by_email(session, email) if email else None
        if by_email is None:
            if email and unknown_email == "viewer":
                return Actor(name=_claims_name(claims, email), role=Role.VIEWER)
            raise SignInRefused(OIDC_NOT_MATCHED)
        if by_email.oidc_subject is not None or by_email.disabled:
            raise SignInRefused(OIDC_NOT_MATCHED)  # linked to another identity, or switched off
        if token_signed_out(claims, by_email.signed_out_at):
            raise SignInExpired(SIGNED_OUT)
        user = _link(session, by_email, identity, now)
    if user.disabled:
        raise SignInRefused(OIDC_NOT_MATCHED)
    if token_signed_out(claims, user.signed_out_at):
        raise SignInExpired(SIGNED_OUT)
    return actor_for_user(session, user)


def _claims_name(claims: Mapping[str, Any], email: str) -> str:
    name = claims.get("name")
    return name.strip()[:200] if isinstance(name, str) and name.strip() else email


def _link(session: Session, user: User, identity: tuple[str, str], now: datetime) -> User:
    """Link an unlinked account to an identity, in one UPDATE that only succeeds while it is
    still unlinked; then the account linked to that identity (the same one, when two first
    sign-ins race), or a refusal."""
    issuer, subject = identity
    columns = _USER.c
    try:
        with write_transaction(session):
            begin_write(session).execute(
                update(_USER)
                .where(
                    columns.id == pk(user),
                    columns.oidc_issuer.is_(None),
                    columns.oidc_subject.is_(None),
                    columns.disabled.is_(False),
                )
                .values(oidc_issuer=issuer, oidc_subject=subject, last_sign_in=now)
            )
    except IntegrityError:  # the identity was linked to an account at the same moment
        pass
    linked = user_by_identity(session, issuer, subject)
    if linked is None:
        raise SignInRefused(OIDC_NOT_MATCHED)
    return linked


def link_identity(*, session: Session, actor: Actor, email: str, issuer: str, subject: str) -> User:
    """Link an organisation sign-in (its issuer and subject) to an account, by an equality lead:
    for a provider that does not vouch for e-mails (Entra ID sends no `email_verified`). A
    previous link is replaced: its sign-in no longer matches the account from the next page on."""
    require_admin(actor, "link organisation sign-ins to accounts")
    identity = check_identity(issuer, subject)
    user = _existing(session, email)
    holder = user_by_identity(session, *identity)
    if holder is not None and pk(holder) != pk(user):
        raise AccountRefused(f"That organisation sign-in is already linked to {holder.email}.")
    with write_transaction(session):
        user.oidc_issuer, user.oidc_subject = identity
        session.add(user)
    return user


# ---------------------------------------------------------------- signing out


def sign_out(*, session: Session, actor: Actor, now: datetime | None = None) -> None:
    """End the account's sign-ins on the server: every sign-in made before now (a copied
    cookie, another tab, another server) is signed out at its next page. A viewer let in
    without an account has nothing to record."""
    if actor.user_id is None:
        return
    with write_transaction(session):
        connection = begin_write(session)
        connection.execute(
            update(_USER).where(_USER.c.id == actor.user_id).values(signed_out_at=now or utcnow())
        )
        connection.execute(delete(_SESSION).where(_SESSION.c.user_id == actor.user_id))


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
            if disabled and not user.disabled:
                user.signed_out_at = utcnow()  # its live sign-ins end, here and on every server
                _end_sessions_of(session, pk(user))
            user.disabled = disabled
        session.add(user)
        if lead_ids is not None:
            _set_leads(session, pk(user), lead_ids)
    return user


def disable_user(*, session: Session, actor: Actor, email: str) -> User:
    """Switch an account off: it can no longer sign in; its history stays."""
    return update_user(session=session, actor=actor, email=email, disabled=True)


def reset_password(
    *, session: Session, actor: Actor, email: str, password: str, now: datetime | None = None
) -> User:
    """Set a new password and lift any lock-out; every sign-in made before it ends."""
    require_admin(actor, "reset passwords")
    user = _existing(session, email)
    password_hash = hash_password(password)
    with write_transaction(session):
        user.password_hash = password_hash
        user.failed_attempts = 0
        user.locked_until = None
        user.signed_out_at = now or utcnow()
        _end_sessions_of(session, pk(user))
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
            unknown = ", ".join(str(n) for n in sorted(missing))
            raise AccountRefused(f"No lead has the id {unknown}." if len(missing) == 1 else
                                 f"No leads have the ids {unknown}.")  # fmt: skip
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
