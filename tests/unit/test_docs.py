"""The README cannot drift: every command and every setting the code knows is documented."""

import argparse
import re
from pathlib import Path

from dashboard.cli.main import _parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = _parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(sub.choices)


def test_every_command_is_in_the_readme() -> None:
    missing = [c for c in _commands() if f"`{c}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme() -> None:
    code = "\n".join(p.read_text() for p in (ROOT / "dashboard").rglob("*.py"))
    settings = set(re.findall(r"\bEFLG_[A-Z_]+\b", code))
    assert "EFLG_DATABASE_URL" in settings
    missing = sorted(s for s in settings if s not in README)
    assert missing == []


def test_readme_pictures_exist() -> None:
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert pictures, "the README shows the screens"
    assert [p for p in pictures if not (ROOT / p).exists()] == []
