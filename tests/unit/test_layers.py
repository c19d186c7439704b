"""The folders are the layers: a module may import its own layer and the layers below it, never
one above; writes and reports are peers and never import each other; Streamlit is imported only
by dashboard/ui/, dashboard/app.py (the server), dashboard/main_script.py (the page script it
serves) and pages/. Read from the source, so a new import that breaks
the rule fails here before anyone has to notice it in review."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Lowest first. Same number: peers that may not import each other.
RANK = {
    "models": 0,
    "rules": 1,
    "formats": 2,
    "store": 3,
    "reads": 4,
    "writes": 5,
    "reports": 5,
    "ui": 6,
    "cli": 6,
    "app": 7,
    "pages": 8,
}
STREAMLIT_ALLOWED = {"ui", "app", "pages"}


def layer_of(path: Path) -> str:
    rel = path.relative_to(ROOT).parts
    if rel[0] in ("models", "pages"):
        return rel[0]
    assert rel[0] == "dashboard", path
    if len(rel) == 2:
        return {
            "app.py": "app",
            "main_script.py": "app",
            "__main__.py": "cli",
            "__init__.py": "rules",
        }[rel[1]]
    return rel[1]


def imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # `from .x import y`: inside its own package, so its own layer
                continue
            base = node.module or ""
            found.append((node.lineno, base))
            if base == "dashboard":  # from dashboard import ui
                found += [(node.lineno, f"dashboard.{alias.name}") for alias in node.names]
    return found


def layer_of_module(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] == "models":
        return "models"
    if parts[0] != "dashboard" or len(parts) < 2:
        return None
    return {"app": "app", "main_script": "app", "__main__": "cli"}.get(parts[1], parts[1])


SOURCES = sorted(
    p
    for d in ("dashboard", "models", "pages")
    for p in (ROOT / d).rglob("*.py")
    if "migrations" not in p.parts
)


def test_every_module_is_in_a_known_layer() -> None:
    assert {layer_of(p) for p in SOURCES} <= set(RANK)
    folders = {p.name for p in (ROOT / "dashboard").iterdir() if p.is_dir() and p.name[0] != "_"}
    assert folders <= set(RANK), f"a folder with no place in the layers: {folders - set(RANK)}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_runs_up_a_layer(path: Path) -> None:
    mine = layer_of(path)
    for line, name in imported_modules(path):
        theirs = layer_of_module(name)
        if theirs is None or theirs == mine:
            continue
        assert theirs in RANK, f"{path.name}:{line} imports {name}, which is in no layer"
        assert RANK[theirs] < RANK[mine], (
            f"{path.relative_to(ROOT)}:{line} ({mine}) imports {name} ({theirs}): "
            + (
                "peers may not import each other"
                if RANK[theirs] == RANK[mine]
                else "a higher layer"
            )
        )


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_streamlit_only_in_the_ui(path: Path) -> None:
    if layer_of(path) in STREAMLIT_ALLOWED:
        return
    for line, name in imported_modules(path):
        assert name.split(".")[0] != "streamlit", (
            f"{path.relative_to(ROOT)}:{line} imports Streamlit outside dashboard/ui, app.py, "
            "main_script.py, pages"
        )


def test_the_check_itself_catches_a_bad_import(tmp_path: Path) -> None:
    """A rules module importing the database layer would be reported (the test can fail)."""
    bad = ROOT / "dashboard" / "rules" / "_layer_probe.py"
    bad.write_text("from dashboard.store.db import make_engine\nimport streamlit\n")
    try:
        with pytest.raises(AssertionError, match="a higher layer"):
            test_no_import_runs_up_a_layer(bad)
        with pytest.raises(AssertionError, match="Streamlit outside"):
            test_streamlit_only_in_the_ui(bad)
    finally:
        bad.unlink()


def test_no_page_ends_with_st_stop() -> None:
    """The menu is drawn after the page (dashboard/main_script.py): a page that stops with
    `st.stop()` would end the run before it and leave the person without a menu; pages end
    with `widgets.stop()`, which still lets the menu be drawn."""
    stopping = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "pages").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "st.stop()" in line.split("#")[0]
    ]
    assert stopping == []
