"""Red team: hostile plan files and a racing import. Each test is one attack on the one import
path (dashboard/writes/import_plan.py, reading through dashboard/formats/sheets.py), run on
SQLite and PostgreSQL, asserting what an equality lead would see: the file refused with a plain
message (or the part a person could not see left out, and said so), nothing written, no trace
of a stack."""

import csv
import io
import re
import threading
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dashboard.formats.headers import COLUMNS
from dashboard.formats.sheets import rows_to_csv
from dashboard.reads.exports import export_rows
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, Actor
from dashboard.writes import updates
from dashboard.writes.import_plan import ImportOptions, ImportPreview, run_import
from models import Issue, Lead, Organisation, Plan, Role, Section, StatusChange

ORG = "Anyshire"
EFLG = "eflg-developing"


# ---------------------------------------------------------------- files an attacker writes


def xlsx(sheets: dict[str, list[list[Any]]], *, edit: Callable[[Workbook], None] | None = None
         ) -> bytes:  # fmt: skip
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """A copy of an .xlsx with one part's XML changed, as a hand-made file could have it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item, change(body) if item.filename == member else body)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode(encoding)


PLAN = [["Action", "Lead", "Status"], ["Theme one"], ["Visible action", "Team A", "Not started"]]
SECRET = [["Action", "Lead", "Status"], ["Theme one"], ["Secret action", "Team S", "Complete"]]


def state(session: Session) -> tuple[Any, ...]:
    """Everything an import could change, to compare before and after."""
    session.expire_all()
    counts = tuple(
        len(session.exec(select(table)).all())
        for table in (Organisation, Plan, Section, Issue, Lead, StatusChange)
    )
    return counts, export_rows(session)


def attempt(
    session: Session, data: bytes, filename: str, *, dry_run: bool = False, **options: Any
) -> tuple[str, ImportPreview | None]:
    """What the person is shown (the refusal, or the summary), and the preview if any."""
    opts = {"organisation": ORG, **options}
    try:
        result = run_import(
            session, data, filename, actor=COMMAND_LINE_ADMIN,
            options=ImportOptions(**opts), dry_run=dry_run,
        )  # fmt: skip
    except Refused as refused:
        return str(refused), None
    return result.summary(), result


def plain(shown: str) -> None:
    """No stack trace and no exception class name reaches the person."""
    assert "Traceback" not in shown
    assert not re.search(r"\b\w+(Error|Exception)\b", shown), shown


def issue_texts(session: Session) -> set[str]:
    session.expire_all()
    return set(session.exec(select(Issue.text)).all())


# ---------------------------------------------------------------- hidden sheets, rows, columns


@pytest.mark.parametrize(
    ("state_name", "words"),
    [("hidden", "is hidden"), ("veryHidden", "is very hidden (Excel shows it only to macros)")],
)
def test_a_hidden_first_sheet_is_left_out_and_said(
    seeded: Session, state_name: str, words: str
) -> None:
    def hide(workbook: Workbook) -> None:
        workbook["Secret"].sheet_state = state_name
        workbook.active = 1

    data = xlsx({"Secret": SECRET, "Plan": PLAN}, edit=hide)
    shown, result = attempt(seeded, data, "plan.xlsx")
    plain(shown)
    assert result is not None and result.applied, shown
    assert result.sheet == "Plan" and "Secret" not in result.sheets
    assert f"The workbook's sheet 'Secret' {words}, so it was left out." in shown
    texts = issue_texts(seeded)
    assert "Visible action" in texts and "Secret action" not in texts


@pytest.mark.parametrize("case", ["every sheet hidden", "the visible sheet is empty"])
def test_a_plan_only_on_a_hidden_sheet_is_refused(seeded: Session, case: str) -> None:
    if case == "every sheet hidden":
        data = rewrite(
            xlsx({"Secret": SECRET}),
            "xl/workbook.xml",
            lambda xml: xml.replace(b'state="visible"', b'state="hidden"'),
        )
        words = "Every sheet of the workbook is hidden ('Secret'), so nothing was imported."
    else:

        def hide(workbook: Workbook) -> None:
            workbook["Secret"].sheet_state = "hidden"

        data = xlsx({"Cover": [], "Secret": SECRET}, edit=hide)
        words = "its other sheets are hidden ('Secret'), so nothing was imported"
    before = state(seeded)
    shown, _ = attempt(seeded, data, "plan.xlsx")
    plain(shown)
    assert words in shown and "unhide it in Excel" in shown
    assert state(seeded) == before


def test_a_hidden_sheet_chosen_by_name_is_refused(seeded: Session) -> None:
    def hide(workbook: Workbook) -> None:
        workbook["Secret"].sheet_state = "hidden"

    data = xlsx({"Plan": PLAN, "Secret": SECRET}, edit=hide)
    before = state(seeded)
    shown, _ = attempt(seeded, data, "plan.xlsx", sheet="Secret")
    plain(shown)
    assert "The workbook's sheet 'Secret' is hidden, so it was not read." in shown
    assert state(seeded) == before


def test_hidden_rows_and_columns_are_left_out_and_said_with_their_numbers(
    seeded: Session,
) -> None:
    rows = [
        ["Action", "Lead", "Secret notes"],
        ["Theme one"],
        ["Shown action", "Team A", '=HYPERLINK("http://evil.example")'],
        ["Hidden action one", "Team H", ""],
        ["Shown action two", "Team B", "leak"],
        ["Hidden action two", "Team H", ""],
        ["Zero-height action", "Team H", ""],
    ]

    def hide(workbook: Workbook) -> None:
        sheet = workbook["Plan"]
        sheet.row_dimensions[4].hidden = True
        sheet.row_dimensions[6].hidden = True
        sheet.column_dimensions["C"].hidden = True

    data = rewrite(
        xlsx({"Plan": rows}, edit=hide),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'<row r="7"', b'<row r="7" ht="0" customHeight="1"'),
    )
    shown, result = attempt(seeded, data, "plan.xlsx", mapping={"Secret notes": "Progress notes"})
    plain(shown)
    assert result is not None and result.applied, shown
    assert "Rows 4 and 6\u20137 of the sheet 'Plan' are hidden, so they were left out." in shown
    assert "Column C of the sheet 'Plan' is hidden, so it was left out." in shown
    texts = issue_texts(seeded)
    assert {"Shown action", "Shown action two"} <= texts
    assert not {"Hidden action one", "Hidden action two", "Zero-height action"} & texts
    notes = set(seeded.exec(select(StatusChange.note)).all())
    assert "leak" not in notes and not any("evil.example" in (n or "") for n in notes)


# ---------------------------------------------------------------- broken and oversized cells


@pytest.mark.parametrize("ref", ["A0:ZZZZ9", "B5:A1"])
def test_a_bad_merge_reference_is_refused(seeded: Session, ref: str) -> None:
    data = xlsx({"Plan": PLAN}, edit=lambda wb: wb["Plan"].merge_cells("A2:C2"))
    data = rewrite(data, "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b'ref="A2:C2"', f'ref="{ref}"'.encode()))  # fmt: skip
    before = state(seeded)
    shown, _ = attempt(seeded, data, "plan.xlsx")
    plain(shown)
    assert f"merged cells with a reference no sheet can have ('{ref}')" in shown
    assert state(seeded) == before


def test_a_csv_first_line_longer_than_pythons_csv_field_limit_is_refused(
    seeded: Session,
) -> None:
    data = b'"' + b"x" * 140_000 + b'",Lead\nDo it,Team\n'
    before = state(seeded)
    shown, _ = attempt(seeded, data, "plan.csv")
    plain(shown)
    assert "A cell (row 1) is longer than 32,767 characters" in shown
    assert state(seeded) == before


def test_nul_bytes_in_csv_cells_are_removed_with_a_warning(seeded: Session) -> None:
    data = csv_bytes([["Action", "Lead"], ["Theme one"], ["Do\x00 it", "Team\x00 N"],
                      ["Plain", "Team"]])  # fmt: skip
    shown, result = attempt(seeded, data, "plan.csv")
    plain(shown)
    assert result is not None and result.applied, shown
    assert "Row 3 held invisible control characters (such as NUL), which were removed." in shown
    assert "Do it" in issue_texts(seeded)
    assert not any("\x00" in t for t in issue_texts(seeded))
    assert "Team N" in set(seeded.exec(select(Lead.name)).all())


def test_a_nul_character_written_into_a_workbooks_xml_is_refused(seeded: Session) -> None:
    data = rewrite(xlsx({"Plan": PLAN}), "xl/worksheets/sheet1.xml",
                   lambda xml: xml.replace(b"Visible action", b"Visible&#0;action"))  # fmt: skip
    before = state(seeded)
    shown, _ = attempt(seeded, data, "plan.xlsx")
    plain(shown)
    assert "The sheet 'Plan' could not be read after row 2; the workbook may be damaged." in shown
    assert state(seeded) == before


def test_invalid_utf8_in_a_utf8_file_is_refused_naming_its_line(seeded: Session) -> None:
    data = "Action,Lead\nCafé plan,Team\n".encode() + b"Do \xff\xfe it,Team\n"
    before = state(seeded)
    shown, _ = attempt(seeded, data, "plan.csv")
    plain(shown)
    assert "Line 3 of the file has bytes that are not UTF-8" in shown
    assert state(seeded) == before


def test_cells_longer_than_their_database_columns_are_refused_by_the_models_lengths(
    seeded: Session,
) -> None:
    ref, lead = Issue.__table__.c.ref.type.length, Lead.__table__.c.name.type.length
    heading = Section.__table__.c.heading.type.length
    rows = [["Ref", "Action", "Lead"], ["H" * (heading + 1)], ["R" * (ref + 1), "One", "Team"],
            ["2", "Two", "L" * (lead + 1)]]  # fmt: skip
    before = state(seeded)
    shown, _ = attempt(seeded, csv_bytes(rows), "plan.csv")
    plain(shown)
    assert (
        f"Row 3, column B 'Action': the theme or section heading is longer than {heading}"
        in (shown)
        or f"Row 3: the theme or section heading is longer than {heading}" in shown
    )
    assert f"Row 3, column A 'Ref': a ref can be at most {ref} characters" in shown
    assert f"Row 4, column C 'Lead': a lead's name is longer than {lead}" in shown
    assert state(seeded) == before


def test_a_long_file_name_for_a_new_organisation_is_shortened_not_a_traceback(
    seeded: Session,
) -> None:
    name = "Race equality action plan " + "very " * 60 + "final.csv"
    shown, result = attempt(seeded, csv_bytes(PLAN), name, organisation="Longname Council")
    plain(shown)
    assert result is not None and result.applied, shown
    organisation = seeded.exec(
        select(Organisation).where(Organisation.name == "Longname Council")
    ).one()
    source = organisation.source or ""
    assert source.startswith("Import of Race equality action plan very")
    assert source.endswith(".csv") and len(source) <= Organisation.__table__.c.source.type.length


def test_control_characters_in_the_title_and_organisation_typed_are_removed(
    seeded: Session,
) -> None:
    typed = {"new_plan_title": "Race\x00 plan\x07", "organisation": "Null\x00shire"}
    shown, result = attempt(seeded, csv_bytes(PLAN), "pl\x00an.csv", **typed)
    plain(shown)
    assert result is not None and result.applied, shown
    plan = seeded.exec(select(Plan).where(Plan.title == "Race plan")).one()
    assert plan.organisation.name == "Nullshire" and plan.source_document == "plan.csv"


@pytest.mark.parametrize("ref", ["...", "-"])
def test_a_ref_of_only_dots_or_dashes_is_refused_and_overwrites_nothing(
    seeded: Session, ref: str
) -> None:
    data = csv_bytes([["Ref", "Action"], [ref, "Overwritten by a ref of dots"],
                      ["1.2", "Also overwritten"], [ref + ref, "And this"]])  # fmt: skip
    before = state(seeded)
    shown, _ = attempt(seeded, data, "plan.csv", plan_slug=EFLG, organisation=None)
    plain(shown)
    assert "Row 2, column A 'Ref': this is not a ref: a ref needs at least one letter" in shown
    assert "Row 4, column A 'Ref'" in shown
    assert state(seeded) == before


def test_a_blank_ref_numbered_onto_an_existing_action_is_refused(seeded: Session) -> None:
    theme = "Knowing your community and equality mapping"
    data = csv_bytes([["Ref", "Theme", "Action"], ["", theme, "Quietly replaced"]])
    before = state(seeded)
    shown, _ = attempt(seeded, data, "plan.csv", plan_slug=EFLG, organisation=None)
    plain(shown)
    assert "the ref is missing, and the number it would be given (1.1) is already an action" in (
        shown
    )
    assert state(seeded) == before


# ---------------------------------------------------------------- importing while others save

RACED = (
    "Someone updated the plan while it was being imported; nothing was changed. "
    "Please import again."
)


def test_an_import_while_officers_tick_off_is_whole_or_refused_never_half_written(
    engine: Engine, seeded: Session
) -> None:
    ids = list(seeded.exec(select(Issue.id).join(Plan).where(Plan.slug == EFLG)).all())
    stop = threading.Event()
    broke: list[str] = []

    def officer(n: int) -> None:
        actor = Actor(name=f"Officer {n}", role=Role.ADMIN)
        with Session(engine, expire_on_commit=False) as session:
            turn = 0
            while not stop.is_set():
                issue_id = ids[(n * 7 + turn) % len(ids)]
                turn += 1
                version = session.exec(
                    select(Issue.version).where(Issue.id == issue_id)
                    .execution_options(populate_existing=True)
                ).one()  # fmt: skip
                session.rollback()
                try:
                    updates.record_status_change(
                        session=session, actor=actor, issue_id=issue_id,
                        status=("In progress", "Not started")[turn % 2], note=f"{n}-{turn}",
                        expected_version=version,
                    )  # fmt: skip
                except updates.Conflict:
                    continue
                except BaseException as exc:  # reported below
                    broke.append(f"officer: {type(exc).__name__}: {exc}")
                    return

    threads = [threading.Thread(target=officer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    outcomes: list[str] = []
    last_done = None
    try:
        for round_number in range(8):
            with Session(engine, expire_on_commit=False) as session:
                rows = [{**row, "measure": f"Round {round_number}"}
                        for row in export_rows(session, EFLG)]  # fmt: skip
                data = rows_to_csv(rows, COLUMNS).encode()
                try:
                    run_import(session, data, "progress.csv", actor=COMMAND_LINE_ADMIN,
                               options=ImportOptions(plan_slug=EFLG), dry_run=False)  # fmt: skip
                    outcomes.append("imported")
                    last_done = round_number
                except Refused as refused:
                    assert str(refused) == RACED
                    outcomes.append("refused")
                except Exception as exc:
                    broke.append(f"import: {type(exc).__name__}: {str(exc)[:200]}")
                    continue
            with Session(engine) as check:
                measures = set(check.exec(
                    select(Issue.measure).join(Plan).where(Plan.slug == EFLG)
                ).all())  # fmt: skip
            if last_done is not None:
                assert measures == {f"Round {last_done}"}, (outcomes, measures)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not broke, broke
    assert "imported" in outcomes
    with Session(engine) as check:
        versions = check.exec(select(col(Issue.version)).where(col(Issue.id).in_(ids))).all()
    assert all(v >= 1 for v in versions)
