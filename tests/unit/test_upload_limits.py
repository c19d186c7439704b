"""Each upload limit is written once: the server's ceiling in .streamlit/config.toml (which
Python cannot import) is checked against the import limit, so the two cannot drift apart."""

import tomllib
from pathlib import Path

from dashboard.formats.sheets import IMPORT_LIMIT_MB, MEGABYTE, Limits, upload_limit_words
from dashboard.store.settings import Settings

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def test_the_server_ceiling_is_the_import_limit() -> None:
    server = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]
    assert server["maxUploadSize"] == IMPORT_LIMIT_MB
    assert Limits().max_bytes == IMPORT_LIMIT_MB * MEGABYTE


def test_the_default_evidence_limit_fits_under_the_server_ceiling(monkeypatch) -> None:
    monkeypatch.delenv("EFLG_MAX_EVIDENCE_MB", raising=False)
    assert Settings.from_env().max_evidence_mb <= IMPORT_LIMIT_MB


def test_the_limit_in_words() -> None:
    assert upload_limit_words(IMPORT_LIMIT_MB) == "up to 20 MB"
