"""Malformed and hostile files are refused cleanly: the message names the problem, no stack
trace reaches the user, and the database is exactly as it was."""

import csv
import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.formats.sheets import ImportFileError, Limits
from dashboard.reads.exports import export_rows
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.writes.import_plan import ImportOptions, run_import
from models import Issue, Lead, Organisation, Plan, Section, StatusChange
from tests import fixtures_import as fx

ORG = "Anyshire"


def _xlsx(rows: list[list[Any]], title: str = "Plan") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


def _rezip(data: bytes, extra: dict[str, bytes], level: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of an .xlsx archive with extra members added."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", level) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


def _without(data: bytes, member: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename != member:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


def _replace(data: bytes, member: str, content: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = content if item.filename == member else source.read(item.filename)
            target.writestr(item, body)
    return out.getvalue()


def _long_cell_xlsx(length: int) -> bytes:
    """openpyxl itself cuts cells at 32,767 characters, so the long cell is written into the
    sheet's XML by hand, as another program could."""
    data = _xlsx([["Action", "Lead"], ["PLACEHOLDER", "Team"]])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    return _replace(data, "xl/worksheets/sheet1.xml", sheet.replace(b"PLACEHOLDER", b"y" * length))


GOOD = [["Action", "Lead", "Status"], ["Theme one"], ["Do a thing", "Team A", "Not started"]]
SMALL = Limits(max_rows=10)

# (case, file name, content, options, words the message must contain)
CASES: list[tuple[str, str, Callable[[], bytes], dict[str, Any], str]] = [
    ("empty csv", "plan.csv", lambda: b"", {}, "empty"),
    ("blank csv", "plan.csv", lambda: b"  \r\n \n", {}, "empty"),
    ("binary junk as csv", "plan.csv", lambda: bytes(range(256)) * 20, {}, "binary"),
    ("workbook renamed .csv", "plan.csv", fx.objectives_xlsx, {}, "binary"),
    ("binary junk as xlsx", "plan.xlsx", lambda: b"\x00\x01junk" * 100, {}, "could not be opened"),
    ("password-protected workbook", "plan.xlsx",
     lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, {}, "password-protected"),
    ("macro-enabled by name", "plan.xlsm", fx.objectives_xlsx, {}, "macro-enabled"),
    ("macros inside an .xlsx", "plan.xlsx",
     lambda: _rezip(fx.objectives_xlsx(), {"xl/vbaProject.bin": b"\x00" * 64}), {}, "macros"),
    ("zip bomb", "plan.xlsx",
     lambda: _rezip(fx.objectives_xlsx(), {"xl/media/zeros.bin": b"\x00" * 30_000_000}), {},
     "zip bomb"),
    ("zip that is not a workbook", "plan.xlsx",
     lambda: _without(fx.objectives_xlsx(), "xl/workbook.xml"), {}, "not an Excel workbook"),
    ("truncated workbook", "plan.xlsx", lambda: fx.objectives_xlsx()[:3000], {},
     "could not be opened"),
    ("damaged sheet XML", "plan.xlsx",
     lambda: _replace(fx.objectives_xlsx(), "xl/worksheets/sheet1.xml", b"<worksheet><oops"), {},
     "could not be"),
    ("old .xls", "plan.xls", lambda: b"\xd0\xcf\x11\xe0", {}, "old-style"),
    ("PowerPoint file", "plan.pptx", lambda: b"PK\x03\x04", {},
     "Only .csv, .xlsx, .docx and .pdf"),
    ("damaged Word document", "plan.docx", lambda: b"PK\x03\x04", {}, "could not be opened"),
    ("too large", "plan.csv", lambda: b"a," * 11_000_000, {}, "the limit is 20.0 MB"),
    ("too many csv rows", "plan.csv",
     lambda: _csv([["Action", "Lead"]] + [[f"Action {i}", "Team"] for i in range(50_001)]), {},
     "more than 50,000 rows"),
    ("too many sheet rows", "plan.xlsx",
     lambda: _xlsx([["Action", "Lead"]] + [[f"Action {i}", "Team"] for i in range(20)]),
     {"limits": SMALL}, "more than 10 rows"),
    ("10-million-character csv cell", "plan.csv",
     lambda: _csv([["Action", "Lead"], ["x" * 10_000_000, "Team"]]), {},
     "longer than 32,767 characters"),
    ("10-million-character workbook cell", "plan.xlsx",
     lambda: _long_cell_xlsx(10_000_000), {}, "row 2, column A"),
    ("neither UTF-8 nor Windows-1252", "plan.csv",
     lambda: b"Action,Lead\nDo \x81\x8d\x90 it,Team\n", {}, "neither UTF-8 nor Windows-1252"),
    ("no such sheet", "plan.xlsx", fx.objectives_xlsx, {"sheet": "Sheet9"},
     "no sheet called 'Sheet9'"),
    ("header and no actions", "plan.csv", lambda: _csv([["Action", "Lead"]]), {},
     "no actions under it"),
    ("no action column", "plan.csv", lambda: _csv([["Thing", "Lead"], ["a", "b"]]), {},
     "no column was recognised as the actions"),
    ("unknown status", "plan.csv",
     lambda: _csv([*GOOD, ["Another", "Team B", "Sort of"]]), {},
     "Row 4, column C 'Status': this status is not one the dashboard knows"),
    ("duplicate ref", "plan.csv",
     lambda: _csv([["Ref", "Action"], ["1.1", "One"], ["1.1", "Two"]]), {},
     "Row 3, column A 'Ref': the ref 1.1 is already used on row 2"),
    ("ref too long", "plan.csv", lambda: _csv([["Ref", "Action"], ["R" * 25, "One"]]), {},
     "a ref can be at most 20 characters"),
    ("lead name too long", "plan.csv", lambda: _csv([["Action", "Lead"], ["One", "L" * 250]]), {},
     "a lead's name is longer than 200"),
    ("heading too long", "plan.csv",
     lambda: _csv([["Action", "Lead"], ["H" * 400], ["One", "Team"]]), {},
     "heading is longer than 300"),
    ("unknown plan", "plan.csv", lambda: _csv(GOOD),
     {"plan_slug": "no-such-plan", "organisation": None}, "no plan with this short name"),
    ("no organisation", "plan.csv", lambda: _csv(GOOD), {"organisation": None},
     "say which organisation"),
    ("plan and new title both", "plan.csv", lambda: _csv(GOOD),
     {"plan_slug": "eflg-developing", "new_plan_title": "New"}, "not both"),
    ("organisation name too long", "plan.csv", lambda: _csv(GOOD), {"organisation": "O" * 250},
     "longer than 200"),
    ("title too long", "plan.csv", lambda: _csv(GOOD), {"new_plan_title": "T" * 400},
     "title is longer than 300"),
    ("one bad row among good ones", "plan.csv",
     lambda: _csv([*GOOD, *[[f"Action {i}", "Team", "Complete"] for i in range(40)],
                   ["Last", "Team", "Purple"]]), {}, "Row 44, column C"),
]  # fmt: skip


def _state(session: Session) -> tuple[Any, ...]:
    session.expire_all()
    counts = tuple(
        len(session.exec(select(table)).all())
        for table in (Organisation, Plan, Section, Issue, Lead, StatusChange)
    )
    return counts, export_rows(session)


def _attempt(session: Session, filename: str, data: bytes, options: dict[str, Any]) -> str:
    """The message a user would see, or '' if the import went through."""
    opts = {"organisation": ORG, **options}
    try:
        result = run_import(
            session,
            data,
            filename,
            actor=COMMAND_LINE_ADMIN,
            options=ImportOptions(**opts),
            dry_run=False,
        )
    except ImportFileError as exc:
        return str(exc)
    return "" if result.ok else result.summary()


@pytest.mark.parametrize(
    ("case", "filename", "content", "options", "message"), CASES, ids=[c[0] for c in CASES]
)
def test_malformed_file_is_refused_and_nothing_changes(
    seeded: Session, case: str, filename: str, content: Callable[[], bytes],
    options: dict[str, Any], message: str,
) -> None:  # fmt: skip
    before = _state(seeded)
    shown = _attempt(seeded, filename, content(), options)
    assert message in shown, shown
    assert "Traceback" not in shown
    assert _state(seeded) == before


def test_case_count() -> None:
    assert len(CASES) >= 30


def test_formulas_are_kept_as_text_and_never_run(seeded: Session) -> None:
    link = '=HYPERLINK("http://evil.example","Click")'
    data = _xlsx([["Action", "Lead", "Timescale"], [link, "=1+1", "=TODAY()"]])
    result = run_import(
        seeded, data, "plan.xlsx", actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(organisation=ORG), dry_run=False,
    )  # fmt: skip
    assert result.ok
    issue = seeded.exec(select(Issue).where(Issue.plan_id == select(Plan.id).where(
        Plan.slug == result.plan_slug).scalar_subquery())).one()  # fmt: skip
    assert issue.text == link
    assert issue.lead_text == "=1+1"
    assert issue.timescale == "=TODAY()" and issue.due_date is None


@pytest.fixture
def cli(engine, seeded, monkeypatch):
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    return main


@pytest.mark.parametrize(
    ("name", "content", "args", "message"),
    [
        ("bomb.xlsx", lambda: CASES[8][2](), [], "zip bomb"),
        ("plan.xlsx", fx.objectives_xlsx, ["--map", "Whose job=Colour"],
         "--map 'Whose job=Colour'"),
        ("plan.csv", lambda: _csv([*GOOD, ["x", "y", "Purple"]]), ["--organisation", ORG],
         "Row 4, column C 'Status'"),
    ],
)  # fmt: skip
def test_command_line_refuses_with_exit_code_2_and_no_traceback(
    cli, capsys, tmp_path: Path, seeded: Session, name, content, args, message
) -> None:
    before = _state(seeded)
    path = tmp_path / name
    path.write_bytes(content())
    code = cli(["import", str(path), *args])
    out = capsys.readouterr()
    assert code == 2
    assert message in out.err and "Nothing was imported" in out.err
    assert "Traceback" not in out.err + out.out
    assert _state(seeded) == before


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    content=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
        st.lists(
            st.lists(st.text(max_size=30), min_size=1, max_size=5), min_size=0, max_size=8
        ).map(lambda rows: _csv([["Action", "Lead", "Status"], *rows])),
    ),
    filename=st.sampled_from(["plan.csv", "plan.xlsx"]),
)
def test_any_input_is_imported_or_refused_with_a_message_and_no_change(
    seeded: Session, content: bytes, filename: str
) -> None:
    before = _state(seeded)
    shown = _attempt(seeded, filename, content, {})
    if shown:
        assert "Traceback" not in shown
        assert _state(seeded) == before
