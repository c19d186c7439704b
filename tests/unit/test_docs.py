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


def _layout_section() -> str:
    section = README.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return section.split("```", 2)[1]


def test_the_layout_section_names_every_folder_of_the_tree() -> None:
    layout = _layout_section()
    folders = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "dashboard").iterdir()
        if p.is_dir() and not p.name.startswith("_")
    ]
    assert folders, "dashboard/ has its layer folders"
    missing = [f for f in folders if f"{f.split('/')[-1]}/" not in layout]
    assert missing == []


def test_every_file_the_readme_names_exists() -> None:
    named = set(re.findall(r"\b((?:dashboard|pages|models|tests|bench|seed)/[\w/.-]*\w)", README))
    assert "dashboard/app.py" in named
    assert sorted(p for p in named if not (ROOT / p).exists()) == []
