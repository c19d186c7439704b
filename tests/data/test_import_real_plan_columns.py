"""Each real plan in .xlsx or .csv (tests/data/real_plans) imports with no mapping, and every
column is read as the fields its expected.json implies: a field the document fills is read from
some column, and a field the document never fills is read from none (no column silently read as
the wrong field). Every column says why it was read so. The field-by-field corpus comparison is
tests/data' corpus test; this one checks the columns and the action texts."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select

from dashboard.formats.headers import Field
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.writes.import_plan import ImportOptions, run_import
from models import Issue, Plan, StatusChange

REAL = Path(__file__).parent / "real_plans"
FILES = sorted(p.name for p in REAL.iterdir() if p.suffix in (".xlsx", ".csv"))

# The expected.json key each field fills (progress: a notes, Completed or narrative status column).
FILLS: dict[str, tuple[Field, ...]] = {
    "text": (Field.ISSUE,),
    "ref": (Field.REF,),
    "leads": (Field.LEADS,),
    "timescale": (Field.TIMESCALE,),
    "measure": (Field.MEASURE,),
    "rag": (Field.RAG,),
    "progress": (Field.NOTES, Field.COMPLETED, Field.STATUS),
}


def _expected(name: str) -> dict[str, Any]:
    stem = name.rsplit(".", 1)[0]
    return dict(json.loads((REAL / f"{stem}.expected.json").read_text(encoding="utf-8")))


def test_every_spreadsheet_fixture_is_checked() -> None:
    assert len(FILES) == 5  # three .xlsx and two .csv, as the README lists


@pytest.mark.parametrize("name", FILES)
def test_real_plan_columns_are_read_by_meaning(seeded: Session, name: str) -> None:
    expected = _expected(name)
    result = run_import(
        seeded,
        (REAL / name).read_bytes(),
        name,
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(new_plan_title=expected["title"][:300], organisation="Council"),
        dry_run=False,
    )
    assert result.ok, result.summary()
    read = {c.field for c in result.columns if c.field is not None}
    for key, fields in FILLS.items():
        filled = any(issue[key] for issue in expected["issues"])
        if filled:
            assert read & set(fields), f"{name}: nothing read as {key}: {result.summary()}"
        else:
            assert not read & set(fields), f"{name}: a column read as {key}: {result.summary()}"
    for column in result.columns:
        assert column.reason, column
        assert column.header in column.reason or "no header" in column.reason
    assert "Columns (header on row" in result.summary()
    plan = seeded.exec(select(Plan).where(Plan.slug == result.plan_slug)).one()
    texts = seeded.exec(
        select(Issue.text).where(Issue.plan_id == plan.id).order_by(col(Issue.position))
    ).all()
    assert list(texts) == [issue["text"] for issue in expected["issues"]]


def test_a_ref_column_headed_action_and_a_status_column(seeded: Session) -> None:
    """Scottish Government annex: 'Action' holds 'Action 1' beside 'Action Description', so it
    is the refs; 'Final action status' is the status; the notes column is left out, saying why."""
    name = "scottish_government_equality_evidence_strategy_annex_a.csv"
    result = run_import(
        seeded,
        (REAL / name).read_bytes(),
        name,
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(new_plan_title="Annex A", organisation="Scottish Government"),
        dry_run=False,
    )
    assert result.ok, result.summary()
    by_letter = {c.letter: c for c in result.columns}
    assert by_letter["A"].field is Field.REF and "refs (Action 1)" in by_letter["A"].reason
    assert by_letter["B"].field is Field.ISSUE
    assert by_letter["C"].field is None and "already read as the actions" in by_letter["C"].reason
    assert by_letter["C"].reason.startswith("not read: its header 'Noted amendments")
    assert by_letter["D"].field is Field.STATUS
    plan = seeded.exec(select(Plan).where(Plan.slug == result.plan_slug)).one()
    issue = seeded.exec(select(Issue).where(Issue.plan_id == plan.id)).one()
    assert issue.ref == "Action 1"
    assert issue.status == "In progress"  # 'Delayed: Data collection ...'
    note = seeded.exec(select(StatusChange.note).where(StatusChange.issue_id == issue.id)).one()
    assert note is not None


def test_progress_2021_25_is_read_as_notes_and_impact_area_as_the_actions(
    seeded: Session,
) -> None:
    """North Lanarkshire: 'Impact Area' would be a theme, but no column names the actions;
    'Progress 2021-25' could be status or notes and its cells are long sentences."""
    name = "north_lanarkshire_equality_outcomes_progress_2021_25.xlsx"
    result = run_import(
        seeded,
        (REAL / name).read_bytes(),
        name,
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(new_plan_title="NLC", organisation="North Lanarkshire Council"),
        dry_run=True,
    )
    assert result.ok, result.summary()
    impact, progress = result.columns
    assert impact.field is Field.ISSUE and "no column names the actions" in impact.reason
    assert progress.field is Field.NOTES
    assert "could be a status or progress notes" in progress.reason
    assert "long sentences" in progress.reason
