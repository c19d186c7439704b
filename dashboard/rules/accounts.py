"""The rules of accounts and sign-in, pure: what an e-mail address and a password must be, the
words for each role, when a lock-out lasts, what an OIDC identity says, and whether a server
listens only on this machine. The refusals a sign-in or an account change can meet."""

import ipaddress
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dashboard.rules.errors import Refused
from models import Role, User, utcnow

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

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


def check_password(password: str) -> None:
    """Refuse a password that is too short to be safe."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")


def normalise_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 320:
        raise AccountRefused(f"'{email.strip()}' is not an e-mail address.")
    return cleaned


def locked(user: User, now: datetime | None = None) -> bool:
    """True while a lock-out after too many wrong passwords lasts."""
    return user.locked_until is not None and user.locked_until > (now or utcnow())


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


def is_loopback(address: str | None) -> bool:
    """True when the server only listens on this machine (empty means every interface)."""
    host = (address or "").strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
