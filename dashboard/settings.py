"""Settings from the environment, in one typed object."""

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'eflg.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    evidence_dir: Path
    max_evidence_mb: int
    rag_amber_days: int

    @classmethod
    def from_env(cls) -> "Settings":
        return cls(
            database_url=os.environ.get("EFLG_DATABASE_URL", DEFAULT_DATABASE_URL),
            evidence_dir=Path(
                os.environ.get("EFLG_EVIDENCE_DIR", str(PROJECT_ROOT / "data" / "evidence"))
            ),
            max_evidence_mb=int(os.environ.get("EFLG_MAX_EVIDENCE_MB", "20")),
            rag_amber_days=int(os.environ.get("EFLG_RAG_AMBER_DAYS", "30")),
        )
