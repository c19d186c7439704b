"""Settings from the environment, in one typed object."""

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'eflg.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    evidence_dir: Path
    max_evidence_mb: int
    rag_amber_days: int
    unknown_email: str = "refuse"  # OIDC sign-in by an e-mail with no account: refuse | viewer
    lockout_attempts: int = 5  # failed local sign-ins in a row before the account is locked
    lockout_minutes: int = 15

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database_url=os.environ.get("EFLG_DATABASE_URL", DEFAULT_DATABASE_URL),
            evidence_dir=Path(
                os.environ.get("EFLG_EVIDENCE_DIR", str(PROJECT_ROOT / "data" / "evidence"))
            ),
            max_evidence_mb=int(os.environ.get("EFLG_MAX_EVIDENCE_MB", "20")),
            rag_amber_days=int(os.environ.get("EFLG_RAG_AMBER_DAYS", "30")),
            unknown_email=_choice("EFLG_UNKNOWN_EMAIL", "refuse", ("refuse", "viewer")),
            lockout_attempts=int(os.environ.get("EFLG_LOCKOUT_ATTEMPTS", "5")),
            lockout_minutes=int(os.environ.get("EFLG_LOCKOUT_MINUTES", "15")),
        )


def _choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower()
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; it is {value!r}.")
    return value
