"""Every real plan in tests/data/real_plans/ imports as published, with no column mapping, into
a fresh database, and reads as a person reads the document (NAME.expected.json, written from the
document alone): the number of actions, then each action field by field, in order. Every
mismatch of a file is collected and shown together, naming the file, the action and the field.
"""

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dashboard.rules.errors import Refused
from dashboard.rules.names import name_key
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.seed import SEED_DIR
from dashboard.writes.import_plan import (
    ImportOptions,
    inspect_file,
    run_import,
    suggest_new_plan,
)
from models import Issue, Plan, StatusChange

REAL_PLANS = Path(__file__).resolve().parent / "real_plans"
EXTENSIONS = (".docx", ".pdf", ".xlsx", ".csv")
# The characteristics in Equality Act order (seed/characteristics.yaml), by code and by name.
_SEEDED = yaml.safe_load((SEED_DIR / "characteristics.yaml").read_text("utf-8"))
ORDER = [c["code"] for c in _SEEDED]
CODE_OF = {name_key(c["name"]): c["code"] for c in _SEEDED} | {
    c["code"]: c["code"] for c in _SEEDED
}


def _document(expected: Path) -> Path:
    stem = expected.name.removesuffix(".expected.json")
    found = [
        REAL_PLANS / (stem + ext) for ext in EXTENSIONS if (REAL_PLANS / (stem + ext)).exists()
    ]
    assert len(found) == 1, f"{expected.name}: expected one document beside it, found {found}"
    return found[0]


CORPUS = sorted(REAL_PLANS.glob("*.expected.json"))


def _codes(names: list[str]) -> list[str]:
    codes = [CODE_OF.get(name_key(n), f"unknown '{n}'") for n in names]
    return sorted(codes, key=lambda c: ORDER.index(c) if c in ORDER else len(ORDER))


def _read_back(session: Session, slug: str) -> list[dict[str, Any]]:
    """Each imported action as the expected files write it."""
    plan = session.exec(select(Plan).where(Plan.slug == slug)).one()
    issues = session.exec(
        select(Issue).where(Issue.plan_id == plan.id).order_by(col(Issue.position))
    ).all()
    actions = []
    for issue in issues:
        notes = session.exec(
            select(StatusChange.note)
            .where(StatusChange.issue_id == issue.id)
            .order_by(col(StatusChange.id).desc())
        ).first()
        actions.append(
            {
                "ref": issue.ref,
                "theme": issue.section.heading,
                "objective": issue.objective,
                "text": issue.text,
                "leads": [link.lead.name for link in issue.lead_links],
                "timescale": issue.timescale,
                "due": issue.due_date.isoformat() if issue.due_date else None,
                "measure": issue.measure,
                "status": issue.status,
                "rag": issue.own_rag,  # the council's own rating, as its RAG column said
                "progress": notes,
                "characteristics": _codes(
                    [link.characteristic.code for link in issue.characteristic_links]
                ),
            }
        )
    return actions


# Fields compared only when the document states them (null: the document says nothing).
WHEN_STATED = ("ref", "theme", "objective", "status", "progress")
ALWAYS = ("text", "leads", "timescale", "due", "measure", "characteristics")


def _mismatches(expected: dict[str, Any], got: list[dict[str, Any]], name: str) -> list[str]:
    pdf = name.endswith(".pdf")
    found = []
    if len(got) != len(expected["issues"]):
        found.append(f"{name}: {len(expected['issues'])} actions expected, got {len(got)}")
    for number, (want, have) in enumerate(zip(expected["issues"], got, strict=False), start=1):
        want = {**want, "characteristics": _codes(want["characteristics"])}
        fields = [*ALWAYS, *(f for f in WHEN_STATED if want.get(f) is not None)]
        if want.get("rag") is not None:
            fields.append("rag")
        for key in fields:
            if pdf and isinstance(want.get(key), str):
                # A PDF's text layer keeps no run of spaces (the page shows none either).
                want[key] = "\n".join(re.sub(" {2,}", " ", line)
                                       for line in want[key].split("\n"))  # fmt: skip
            if want.get(key) != have[key]:
                found.append(
                    f"{name}, action {number}, {key}: expected {want.get(key)!r}, got {have[key]!r}"
                )
    return found


@pytest.mark.parametrize("expected_file", CORPUS, ids=[p.name.split(".")[0] for p in CORPUS])
def test_real_plan_imports_as_published(engine: Engine, expected_file: Path) -> None:
    """The document imports with no --map, and every action reads as the document says."""
    document = _document(expected_file)
    expected = json.loads(expected_file.read_text("utf-8"))
    data = document.read_bytes()
    with Session(engine, expire_on_commit=False) as session:
        try:
            _table, layout = inspect_file(data, document.name, ImportOptions())
            suggested = suggest_new_plan(session, layout, document.name)
            result = run_import(
                session,
                data,
                document.name,
                actor=COMMAND_LINE_ADMIN,
                options=ImportOptions(organisation=suggested.organisation or "Not named"),
                dry_run=False,
            )
        except Refused as exc:
            pytest.fail(f"{document.name}: not imported: {exc}")
        problems = [f"{document.name}: {p}" for p in result.errors]
        heading = f" {name_key(' '.join(layout.title_lines))} "
        for what, want, have in (
            ("title", expected.get("title"), suggested.title),
            ("organisation", expected.get("organisation"), suggested.organisation),
        ):
            # The suggestion reads the lines above the table: a title or publisher the file
            # does not name there (a web page's, say) cannot be suggested and is not asked for.
            if want and f" {name_key(want)} " in heading and want != have:
                problems.append(
                    f"{document.name}, suggested {what}: expected {want!r}, got {have!r}"
                )
        if not result.errors:
            assert result.plan_slug is not None
            got = _read_back(session, result.plan_slug)
            problems += _mismatches(expected, got, document.name)
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems)
