"""Words a person reads: a count is "1 issue" or "3 issues" (words.plural), never "issue(s)".
Read from the source, so a new "(s)" in any message, page, file or command-line output fails here
before anyone sees it; comments and docstrings (read by developers only) are not scanned."""

import ast
import re
from pathlib import Path

import pytest

from dashboard.formats.words import plural

ROOT = Path(__file__).resolve().parents[2]
HEDGED_PLURAL = re.compile(r"\w\((?:s|es|ies)\)", re.IGNORECASE)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def hedged_plurals(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal in the source that hedges a plural with "(s)"."""
    tree = ast.parse(source)
    docs = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docs
        and (HEDGED_PLURAL.search(node.value) or node.value.startswith(("(s)", "(es)")))
    ]


def test_the_scan_finds_a_hedged_plural_in_strings_only() -> None:
    source = (
        '"""Docstring: issue(s) is fine here."""\n'
        "# a comment about theme(s)\n"
        'message = f"Saved {n} issue(s)."\n'
        'other = "action" + "(s)"\n'
        'fine = "Responsibility (see notes)"\n'
    )
    assert [line for line, _ in hedged_plurals(source)] == [3, 4]


@pytest.mark.parametrize(
    "path",
    sorted(
        p.relative_to(ROOT)
        for folder in ("dashboard", "pages")
        for p in (ROOT / folder).rglob("*.py")
    ),
    ids=str,
)
def test_no_text_a_person_sees_says_s_in_brackets(path: Path) -> None:
    found = hedged_plurals((ROOT / path).read_text(encoding="utf-8"))
    assert not found, f"{path}: use words.plural instead of " + "; ".join(
        f"line {line}: {text!r}" for line, text in found
    )


def test_plural_says_one_or_many() -> None:
    assert plural(1, "issue") == "1 issue"
    assert plural(0, "issue") == "0 issues"
    assert plural(3, "criterion", "criteria") == "3 criteria"
