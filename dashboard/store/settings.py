"""Settings from the environment, in one typed object, built once by each entry point (the app
per server process, the command line per command) and passed to whatever needs a value."""

import ipaddress
import os
import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.rules.errors import Refused

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'eflg.db'}"


class SettingsError(Refused):
    """A setting in the environment has a value the app cannot use; the message names the
    variable and says what it should be."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    evidence_dir: Path
    max_evidence_mb: int
    rag_amber_days: int
    unknown_email: str = "refuse"  # OIDC sign-in by an e-mail with no account: refuse | viewer
    lockout_attempts: int = 5  # failed local sign-ins in a row before the account is locked
    lockout_minutes: int = 15
    # Host names the web server answers to besides this machine's own (localhost, 127.0.0.1,
    # [::1]) and its configured address: lower case, "*.example.gov.uk" for any name under one.
    allowed_hosts: tuple[str, ...] = ()
    # A local sign-in ends after this long unused, and this long after it began, whatever.
    session_idle_minutes: int = 60
    session_hours: int = 12
    # Addresses of reverse proxies whose X-Forwarded-Proto is believed (this machine's always).
    trusted_proxies: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> "Settings":
        """Read every EFLG_ setting; a bad value raises SettingsError naming its variable."""
        return cls(
            database_url=_text("EFLG_DATABASE_URL", DEFAULT_DATABASE_URL),
            evidence_dir=Path(_text("EFLG_EVIDENCE_DIR", str(PROJECT_ROOT / "data" / "evidence"))),
            max_evidence_mb=_whole_number("EFLG_MAX_EVIDENCE_MB", 20, least=1),
            rag_amber_days=_whole_number("EFLG_RAG_AMBER_DAYS", 30, least=0),
            unknown_email=_choice("EFLG_UNKNOWN_EMAIL", "refuse", ("refuse", "viewer")),
            lockout_attempts=_whole_number("EFLG_LOCKOUT_ATTEMPTS", 5, least=1),
            lockout_minutes=_whole_number("EFLG_LOCKOUT_MINUTES", 15, least=1),
            allowed_hosts=_host_names("EFLG_ALLOWED_HOSTS"),
            session_idle_minutes=_whole_number("EFLG_SESSION_IDLE_MINUTES", 60, least=1),
            session_hours=_whole_number("EFLG_SESSION_HOURS", 12, least=1),
            trusted_proxies=_addresses("EFLG_TRUSTED_PROXIES"),
        )


def _text(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip()
    if not value:
        raise SettingsError(f"{name} is set but empty: set it to a value or remove it.")
    return value


def _whole_number(name: str, default: int, *, least: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    should = f"{name} must be a whole number of {least} or more (the default is {default})"
    try:
        value = int(raw.strip())
    except ValueError:
        raise SettingsError(f"{should}; it is {raw!r}.") from None
    if value < least:
        raise SettingsError(f"{should}; it is {value}.")
    return value


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}; it is {value!r}.")
    return value


# One DNS label: letters, digits and hyphens, not starting or ending with a hyphen.
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _host_names(name: str) -> tuple[str, ...]:
    """A comma-separated list of host names ("equality.example.gov.uk", "*.example.gov.uk" for any
    name under a domain) or IP addresses, without a scheme, port or path."""
    raw = os.environ.get(name)
    if raw is None:
        return ()
    should = (
        f"{name} must be host names separated by commas, such as "
        "equality.example.gov.uk or *.example.gov.uk (no http://, port or path)"
    )
    names: list[str] = []
    for entry in raw.split(","):
        host = entry.strip().lower().rstrip(".")
        if not host:
            raise SettingsError(f"{should}; it has an empty entry: {raw!r}.")
        if not _is_host_name(host):
            raise SettingsError(f"{should}; {entry.strip()!r} is not one.")
        names.append(host.strip("[]"))
    return tuple(dict.fromkeys(names))


def _is_host_name(host: str) -> bool:
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.removeprefix("*.").split(".")
    # A wildcard needs a domain of two labels or more under it ("*.gov.uk", not "*.uk").
    least = 2 if host.startswith("*.") else 1
    return (
        len(labels) >= least
        and len(host) <= 253
        and all(_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()  # "1.2.3" is neither an address nor a name
    )


def _addresses(name: str) -> tuple[str, ...]:
    """A comma-separated list of IP addresses (a reverse proxy's, as the app server sees it)."""
    raw = os.environ.get(name)
    if raw is None:
        return ()
    found: list[str] = []
    for entry in raw.split(","):
        try:
            found.append(str(ipaddress.ip_address(entry.strip().strip("[]"))))
        except ValueError:
            raise SettingsError(
                f"{name} must be IP addresses separated by commas, such as 10.0.0.5; "
                f"{entry.strip()!r} is not one."
            ) from None
    return tuple(dict.fromkeys(found))
