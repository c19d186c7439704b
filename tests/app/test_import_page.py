"""The Import page with a file written by `export`: the file names its plan, so the page asks no
plan; checking shows the change, importing writes it with its due-date history."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.formats.headers import COLUMNS
from dashboard.formats.sheets import rows_to_csv
from dashboard.reads.exports import export_rows
from models import DueDateChange, Issue, Plan
from tests.app.tables import tables

RES = "race-equality-scheme-2008-11"


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.caption, *at.success, *at.error])


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def test_an_exported_file_updates_the_plan_it_names_and_records_the_due_date_move(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    rows = export_rows(seeded, RES)
    assert (rows[3]["ref"], rows[3]["due"]) == ("1.4", "2008-10-31")
    rows[3]["due"] = "2009-03-31"
    at = app("import_plan")
    uploader = at.file_uploader[0]
    assert uploader.proto.label == "Plan file (.xlsx, .csv, .docx or .pdf, up to 20 MB)"
    uploader.upload("res.csv", rows_to_csv(rows, COLUMNS).encode(), "text/csv").run()
    assert not at.exception, at.exception
    assert "Column A ('plan') names each row's plan by its short name" in texts(at)
    assert not at.radio  # no "where should the actions go?": the file says
    click(at, "Check the file")
    assert "Into the plan **Race Equality Scheme action plan 2008–11**" in texts(at)
    updated = tables(at)[-1]
    assert updated[["Ref", "What changes"]].to_dict("records") == [
        {"Ref": "1.4", "What changes": "due date"}
    ]
    click(at, "Import 1 action")
    assert "0 new and 1 updated action" in texts(at)
    seeded.expire_all()
    issue = seeded.exec(select(Issue).join(Plan).where(Plan.slug == RES, Issue.ref == "1.4")).one()
    assert issue.due_date == date(2009, 3, 31)
    (move,) = seeded.exec(select(DueDateChange).where(DueDateChange.issue_id == issue.id)).all()
    assert (move.from_due, move.to_due) == (date(2008, 10, 31), date(2009, 3, 31))


def test_the_columns_table_says_how_each_column_of_a_real_plan_was_read_and_why(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    """The Scottish Government annex (tests/data/real_plans): three title lines, 'Action'
    holding refs, 'Final action status' opening with 'Delayed:'. Nothing is changed by hand, so
    the import reads the columns exactly as the table says."""
    name = "scottish_government_equality_evidence_strategy_annex_a.csv"
    data = (Path(__file__).parents[1] / "data" / "real_plans" / name).read_bytes()
    at = app("import_plan")
    at.file_uploader[0].upload(name, data, "text/csv").run()
    assert not at.exception, at.exception
    assert "The table's header is on row 4." in texts(at)
    columns = tables(at)[0]
    assert list(columns.columns) == ["Column", "Header", "Read as", "Why"]
    assert columns.iloc[0].to_dict() == {
        "Column": "A",
        "Header": "Action",
        "Read as": "Ref",
        "Why": "Its header 'Action' would mean the actions, but its cells look like refs "
        "(Action 1): read as the refs.",
    }
    assert columns["Read as"].tolist() == ["Ref", "Action or issue", "Left out", "Status"]
    click(at, "Check the file")
    click(at, "Import 1 action")
    assert "1 new and 0 updated actions" in texts(at)
    issue = seeded.exec(select(Issue).where(Issue.ref == "Action 1")).one()
    assert issue.status == "In progress"


def test_a_new_plan_takes_its_title_and_organisation_from_the_file_then_the_last_one(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = app("import_plan")
    plain_file = b"Action,Lead\nMap our communities,HR\n"
    at.file_uploader[0].upload("first.csv", plain_file, "text/csv").run()
    organisation = next(s for s in at.selectbox if s.label == "Organisation")
    assert organisation.value is None  # not a seed organisation the file does not name
    named = b"Newtown Borough Council\nEquality Plan 2025\nAction,Lead\nMap our communities,HR\n"
    at.file_uploader[0].upload("plan.csv", named, "text/csv").run()
    assert not at.exception, at.exception
    assert [t.value for t in at.text_input][:2] == ["Equality Plan 2025", "Newtown Borough Council"]
    next(s for s in at.selectbox if s.label == "Framework version").set_value("eflg-2011").run()
    next(s for s in at.selectbox if s.label == "Level it works towards").set_value(
        "Achieving"
    ).run()
    click(at, "Check the file")
    assert "Into a new plan **Equality Plan 2025** (Newtown Borough Council)" in texts(at)
    click(at, "Import 1 action")
    plan = seeded.exec(select(Plan).where(Plan.slug == "equality-plan-2025")).one()
    seeded.refresh(plan)
    assert plan.organisation.name == "Newtown Borough Council"
    assert plan.framework is not None and plan.framework.code == "eflg-2011"
    at.file_uploader[0].upload("second.csv", plain_file, "text/csv").run()
    assert not at.exception, at.exception
    organisation = next(s for s in at.selectbox if s.label == "Organisation")
    assert organisation.value == "Newtown Borough Council"  # the one last imported into
    assert at.text_input[0].value == "second"


def test_a_real_plan_that_names_no_organisation_says_so_and_names_no_plan(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    """Northampton's disability equality scheme action plan (tests/data/real_plans), as
    published: no organisation in the file. Checking it says what to give, and the page does
    not name an empty plan ("Into the plan **** ()")."""
    name = "nbc_disability_equality_scheme_action_plan_2006_2009.docx"
    data = (Path(__file__).parents[1] / "data" / "real_plans" / name).read_bytes()
    plans_before = len(seeded.exec(select(Plan)).all())
    at = app("import_plan")
    at.file_uploader[0].upload(name, data, "application/octet-stream").run()
    click(at, "Check the file")
    problems = tables(at)[-1]["Problem"].tolist()
    assert any("the file does not name its organisation" in p for p in problems), problems
    said = texts(at)
    assert "****" not in said and "Into the plan" not in said
    assert len(seeded.exec(select(Plan)).all()) == plans_before  # nothing imported
