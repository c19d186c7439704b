"""The rules of accounts and sign-in, pure: what an e-mail address and a password must be, the
words for each role and for every sign-in refusal, when a lock-out lasts, what an OIDC identity
says (who it is, whether its e-mail is vouched for, when it was issued), when a sign-in has
ended, when a session times out, which return addresses are safe, and whether a server listens
only on this machine. The refusals a sign-in or an account
change can meet."""

import hashlib
import ipaddress
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, Final
from urllib.parse import urlsplit

from dashboard.rules.errors import Refused
from models import Role, User, utcnow
from models.user import EMAIL_LENGTH, OIDC_ISSUER_LENGTH, OIDC_SUBJECT_LENGTH

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")

# The one answer a local sign-in gives when it does not succeed, whatever the reason (no such
# account, a wrong password, an account switched off, locked or without a password), so the
# form never tells an attacker which addresses have accounts.
SIGN_IN_NOT_MATCHED = "That e-mail address and password do not match an account that can sign in."
# The one answer an organisation sign-in gets when it matches no account that may sign in.
OIDC_NOT_MATCHED = (
    "Your organisation's sign-in worked, but it does not match an account on this dashboard "
    "that can sign in. Ask your equality lead to add you, or to link your organisation sign-in "
    "to your account."
)
OIDC_NO_IDENTITY = (
    "Your organisation's sign-in did not say who you are (the token's issuer and subject), so "
    "the dashboard cannot match you to an account. Ask your IT team to check the sign-in set-up."
)
SIGN_IN_EXPIRED = "Your sign-in has expired. Please sign in again."
# A sign-in form posted from another site (or with no sign of where it came from).
SIGN_IN_CROSS_SITE = (
    "The sign-in was not sent from this dashboard's own page, so it was refused. Open the "
    "dashboard at its own address and sign in there."
)
SIGNED_OUT = (
    "This sign-in has ended: you signed out, or your account was changed. Please sign in again."
)

ROLE_WORDS: dict[Role, str] = {
    Role.VIEWER: "Viewer (reads everything)",
    Role.OFFICER: "Officer (updates the issues of their services)",
    Role.ADMIN: "Equality lead (administrator)",
}


class SignInRefused(Refused):
    """A sign-in that did not succeed; the message says why in plain words."""


class SignInExpired(SignInRefused):
    """The identity provider's token has run out: the person must sign in again."""


class AccountRefused(Refused):
    """An account change that is not valid (bad e-mail, unknown lead, weak password…)."""


def sign_in_refused(lockout_attempts: int, lockout_minutes: int) -> str:
    """What the sign-in form says to every sign-in that does not succeed."""
    return (
        f"{SIGN_IN_NOT_MATCHED} After {lockout_attempts} wrong tries an account is locked for "
        f"{lockout_minutes} minutes."
    )


def check_password(password: str) -> None:
    """Refuse a password that is too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")


def normalise_email(email: str) -> str:
    cleaned = sign_in_address(email)
    if cleaned is None:
        raise AccountRefused(f"'{email.strip()[:EMAIL_LENGTH]}' is not an e-mail address.")
    return cleaned


def sign_in_address(email: str) -> str | None:
    """The address as accounts store it (lower case), or None when it cannot be one (too long,
    a NUL byte, not an address): such a value is never looked up."""
    cleaned = email.strip().lower()
    if len(cleaned) > EMAIL_LENGTH or not _EMAIL.match(cleaned):
        return None
    return cleaned


def locked(user: User, now: datetime | None = None) -> bool:
    """True while a lock-out after too many wrong passwords lasts."""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


def claims_email(claims: Mapping[str, Any]) -> str | None:
    """The e-mail an OIDC identity shows (Entra ID may carry it as preferred_username or upn),
    vouched for or not: for display only, never to choose an account."""
    for claim in ("email", "preferred_username", "upn"):
        value = claims.get(claim)
        if isinstance(value, str) and "@" in value:
            return value.strip().lower()
    return None


def verified_email(claims: Mapping[str, Any]) -> str | None:
    """The `email` claim when the identity provider vouches for it (`email_verified` is true),
    else None: only such an e-mail may link an account at a first sign-in."""
    vouched = claims.get("email_verified")
    if vouched is not True and not (isinstance(vouched, str) and vouched.lower() == "true"):
        return None
    email = claims.get("email")
    return sign_in_address(email) if isinstance(email, str) else None


def claims_identity(claims: Mapping[str, Any]) -> tuple[str, str] | None:
    """Who an OIDC identity is: its issuer and subject (`iss`, `sub`), exactly as sent, or None
    when either is missing, not text, too long for an account to hold, or holds a NUL byte."""
    issuer, subject = claims.get("iss"), claims.get("sub")
    try:
        return check_identity(issuer, subject)
    except AccountRefused:
        return None


def check_identity(issuer: object, subject: object) -> tuple[str, str]:
    """An issuer and subject an account can be linked to; refused when either is unusable."""
    for what, value, longest in (
        ("issuer", issuer, OIDC_ISSUER_LENGTH),
        ("subject", subject, OIDC_SUBJECT_LENGTH),
    ):
        if not isinstance(value, str) or not value.strip() or "\x00" in value:
            raise AccountRefused(f"The sign-in's {what} must be some text.")
        if len(value) > longest:
            raise AccountRefused(f"The sign-in's {what} can be at most {longest} characters.")
    return str(issuer), str(subject)


def signed_out_since(signed_out_at: datetime | None, signed_in_at: datetime | None) -> bool:
    """True when the account was signed out (or switched off, or given a new password) after a
    sign-in made at `signed_in_at`: that sign-in is over. A sign-in of unknown time is over too."""
    if signed_out_at is None:
        return False
    return signed_in_at is None or signed_in_at < signed_out_at


def token_signed_out(claims: Mapping[str, Any], signed_out_at: datetime | None) -> bool:
    """True when an OIDC token was issued (`iat`) before the account's sign-out: a copy of the
    cookie taken before it no longer works. `iat` is in whole seconds, so a token issued in the
    same second as the sign-out counts as before it (that person signs in once more); a token
    with no `iat` counts as before too. The provider's clock and the servers' must agree (NTP)."""
    if signed_out_at is None:
        return False
    issued = claims.get("iat")
    if not isinstance(issued, int | float) or isinstance(issued, bool):
        return True
    return issued < signed_out_at.timestamp()


def token_expired(claims: Mapping[str, Any], now: datetime | None = None) -> bool:
    """True when the identity token's `exp` has passed (or is missing): Streamlit does not check."""
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        return True
    return (now or utcnow()).timestamp() >= exp


def is_loopback(address: str | None) -> bool:
    """True when the server only listens on this machine (empty means every interface)."""
    host = (address or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------- sessions (local sign-ins)

SESSION_TOKEN_BYTES: Final = 32  # 256 random bits in each browser's cookie
SESSION_TOUCH_SECONDS: Final = 60  # a session's last use is written at most once a minute


def session_token_hash(token: str) -> str:
    """What the database keeps of a session's token: its SHA-256, in hex (the token is 256
    random bits, so no salt or slow hash is needed; a stolen table lets nobody in)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def session_over(
    created_at: datetime,
    last_used_at: datetime,
    now: datetime,
    *,
    idle_minutes: int,
    hours: int,
) -> bool:
    """True when a session has not been used for `idle_minutes` or began `hours` ago or more."""
    return now - last_used_at >= timedelta(minutes=idle_minutes) or now - created_at >= timedelta(
        hours=hours
    )


def safe_return_path(value: object) -> str | None:
    """A return address fit for a redirect after sign-in: a path on this site ("/issue?issue=24"),
    never another site ("//evil.example", "https://evil.example", "/\\evil.example",
    "javascript:…"). None when it is not one."""
    if not isinstance(value, str) or not value.startswith("/") or len(value) > 2000:
        return None
    unprintable = any(ord(c) < 0x21 or ord(c) == 0x7F for c in value)
    if value.startswith("//") or "\\" in value or unprintable:
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    return value
