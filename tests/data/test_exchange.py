"""Export → import → export is identical; bad files are refused with row numbers and change nothing.

Driven through the command line (`python -m dashboard …`), as an equality lead would use it.
"""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.formats.headers import COLUMNS
from dashboard.reads.exports import export_rows
from models import DueDateChange, Issue, Plan, StatusChange


@pytest.fixture
def cli(engine: Engine, seeded: Session, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI against the test database; returns (exit code, stdout, stderr)."""
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))

    def run(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_export_to_stdout_lists_eflg_issues_and_res_due_dates(cli, capsys) -> None:
    code, out, _ = cli("export", "--format", "csv", "--out", "-", capsys=capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == list(COLUMNS)
    eflg = [r for r in rows if r["plan"] == "eflg-developing"]
    assert len(eflg) == 32
    assert eflg[1]["leads"] == "The Improvement Unit"
    res = [r for r in rows if r["plan"] == "race-equality-scheme-2008-11"]
    assert {"2008-06-30", "2008-10-31", "2011-12-31", "2009-03-31"} <= {r["due"] for r in res}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_export_is_identical(
    cli, capsys, tmp_path: Path, seeded: Session, fmt
) -> None:
    first = tmp_path / f"first.{fmt}"
    assert cli("export", "--format", fmt, "--out", str(first), capsys=capsys)[0] == 0
    code, out, err = cli("import", str(first), capsys=capsys)
    assert code == 0, err
    assert "0 new" in out and "0 updated" in out
    second = tmp_path / f"second.{fmt}"
    cli("export", "--format", fmt, "--out", str(second), capsys=capsys)
    if fmt == "csv":
        assert first.read_text() == second.read_text()
    else:
        from openpyxl import load_workbook

        def cells(p: Path) -> list[tuple[object, ...]]:
            return list(load_workbook(p).active.iter_rows(values_only=True))

        assert cells(first) == cells(second)


def test_import_updates_status_and_records_history(
    cli, capsys, tmp_path: Path, seeded: Session
) -> None:
    rows = export_rows(seeded, "eflg-developing")
    rows[8]["status"] = "Complete"  # 2.4
    rows[8]["measure"] = '=HYPERLINK("http://evil")'
    path = tmp_path / "plan.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    code, out, err = cli("import", str(path), "--plan", "eflg-developing", capsys=capsys)
    assert code == 0, err
    assert "1 updated" in out
    seeded.expire_all()
    issue = seeded.exec(
        select(Issue).join(Plan).where(Plan.slug == "eflg-developing", Issue.ref == "2.4")
    ).one()
    assert issue.status == "Complete"
    change = seeded.exec(select(StatusChange).where(StatusChange.issue_id == issue.id)).one()
    assert (change.from_status, change.to_status) == ("Not started", "Complete")
    # The formula-like text is stored as text and neutralised again on export.
    exported = tmp_path / "again.csv"
    cli(
        "export",
        "--format",
        "csv",
        "--out",
        str(exported),
        "--plan",
        "eflg-developing",
        capsys=capsys,
    )
    assert "'=HYPERLINK" in exported.read_text()


RES = "race-equality-scheme-2008-11"


def _moves(session: Session, ref: str) -> list[DueDateChange]:
    session.expire_all()
    issue = session.exec(select(Issue).join(Plan).where(Plan.slug == RES, Issue.ref == ref)).one()
    return list(session.exec(select(DueDateChange).where(DueDateChange.issue_id == issue.id)))


def test_a_moved_due_date_in_an_exported_file_is_recorded_once_and_exported_as_history(
    cli, capsys, tmp_path: Path, seeded: Session
) -> None:
    rows = export_rows(seeded, RES)
    assert (rows[3]["ref"], rows[3]["due"], rows[3]["due_precision"]) == (
        "1.4",
        "2008-10-31",
        "month",
    )
    rows[3]["due"] = "2009-03-31"
    path = tmp_path / "res.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    code, out, err = cli("import", str(path), capsys=capsys)
    assert code == 0, err
    assert "1 updated" in out and "Updated 1.4: due date" in out
    (move,) = _moves(seeded, "1.4")
    assert (move.from_due, move.to_due) == (date(2008, 10, 31), date(2009, 3, 31))
    assert (move.from_precision, move.to_precision) == ("month", "month")
    assert move.reason == "Changed by importing res.csv."
    # The same file again changes nothing and records no second move.
    code, out, _ = cli("import", str(path), capsys=capsys)
    assert code == 0 and "0 updated" in out
    assert len(_moves(seeded, "1.4")) == 1
    code, out, _ = cli("history", "--plan", RES, "--out", "-", capsys=capsys)
    assert code == 0
    history = list(csv.DictReader(io.StringIO(out)))
    assert [(r["ref"], r["kind"], r["from"], r["to"], r["note"]) for r in history] == [
        ("1.4", "due date", "2008-10-31", "2009-03-31", "Changed by importing res.csv.")
    ]
    written = tmp_path / "history.csv"
    code, out, _ = cli("history", "--plan", RES, "--out", str(written), capsys=capsys)
    assert "Wrote 0 status changes and 1 due-date change" in out


def test_an_export_can_be_imported_into_the_plan_it_names_only(
    cli, capsys, tmp_path: Path, seeded: Session
) -> None:
    before = export_rows(seeded)
    path = tmp_path / "all.csv"
    path.write_text(_csv(export_rows(seeded)), encoding="utf-8")
    code, _, err = cli("import", str(path), "--plan", RES, capsys=capsys)
    assert code == 2
    assert "Row 2, column A 'plan': this row belongs to another plan, not '" + RES in err
    seeded.expire_all()
    assert export_rows(seeded) == before


def test_dry_run_writes_nothing(cli, capsys, tmp_path: Path, seeded: Session) -> None:
    rows = export_rows(seeded, "eflg-developing")
    rows[0]["status"] = "In progress"
    path = tmp_path / "plan.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    code, out, _ = cli("import", str(path), "--dry-run", capsys=capsys)
    assert code == 0 and "Dry run" in out and "1 updated" in out
    seeded.expire_all()
    assert export_rows(seeded, "eflg-developing")[0]["status"] == "Not started"


def _bad(rows: list[dict[str, str]], index: int, column: str, value: str) -> list[dict[str, str]]:
    rows[index][column] = value
    return rows


BAD_ROWS = [
    ("unknown theme", lambda r: _bad(r, 3, "theme", "Parks and gardens"),
     "Row 5, column B 'theme'"),
    ("malformed due date", lambda r: _bad(r, 6, "due", "31/06/2008"),
     "Row 8, column I 'due'"),
    ("impossible due date", lambda r: _bad(r, 6, "due", "2008-02-30"),
     "Row 8, column I 'due'"),
    ("duplicate ref", lambda r: _bad(r, 2, "ref", r[1]["ref"]),
     "Row 4, column C 'ref': the ref 1.2 is already used on row 3"),
    ("unknown status", lambda r: _bad(r, 0, "status", "Done"),
     "Row 2, column G 'status'"),
    ("unknown plan", lambda r: _bad(r, 1, "plan", "no-such-plan"),
     "Row 3, column A 'plan'"),
    ("missing issue text", lambda r: _bad(r, 9, "issue", ""),
     "Row 11, column D 'issue'"),
    ("unknown characteristic", lambda r: _bad(r, 4, "characteristics", "Hair colour"),
     "Row 6, column N 'characteristics'"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "damage", "message"), BAD_ROWS, ids=[c[0] for c in BAD_ROWS])
def test_bad_rows_are_refused_and_nothing_changes(
    cli, capsys, tmp_path, seeded, case, damage, message
) -> None:
    before = export_rows(seeded)
    rows = export_rows(seeded, "eflg-developing")
    rows[0]["status"] = "Complete"  # a good change in the same file must not be applied either
    path = tmp_path / "plan.csv"
    path.write_text(_csv(damage(rows)), encoding="utf-8")
    code, out, err = cli("import", str(path), capsys=capsys)
    assert code == 2
    assert "Nothing was imported" in err
    assert message in err
    assert "Traceback" not in err + out
    seeded.expire_all()
    assert export_rows(seeded) == before


def test_missing_column_is_refused(cli, capsys, tmp_path, seeded) -> None:
    before = export_rows(seeded)
    text = _csv(export_rows(seeded, "eflg-developing"))
    lines = [",".join(line.split(",")[:6]) for line in text.splitlines()]  # drop status onwards
    path = tmp_path / "short.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = cli("import", str(path), capsys=capsys)
    assert code == 2
    assert "Row 1: the header is missing the column: status" in err
    assert export_rows(seeded) == before


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("junk.xlsx", b"\x00\x01\x02 this is not a workbook", "could not be opened"),
        ("junk.csv", b"\x00\x00\x00\xff\xfe binary", "binary"),
        ("plan.pptx", b"PK\x03\x04", "Only .csv, .xlsx, .docx and .pdf"),
        ("plan.docx", b"PK\x03\x04", "could not be opened"),
        ("empty.csv", b"", "empty"),
        # Windows-1252 is read (not refused): the row is checked, and its unknown plan reported.
        (
            "latin.csv",
            "plan,theme,ref,issue,status\nx,caf\xe9,1,a,Complete\n".encode("cp1252"),
            "Row 2, column A 'plan'",
        ),
    ],
)
def test_unreadable_files_are_refused(
    cli, capsys, tmp_path, seeded, name, content, message
) -> None:
    before = export_rows(seeded)
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = cli("import", str(path), capsys=capsys)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert export_rows(seeded) == before


def test_missing_file_is_refused(cli, capsys, tmp_path) -> None:
    code, _, err = cli("import", str(tmp_path / "nowhere.csv"), capsys=capsys)
    assert code == 2 and "could not be read" in err


def test_plans_command_lists_slugs_and_counts(cli, capsys) -> None:
    code, out, _ = cli("plans", capsys=capsys)
    assert code == 0
    line = next(line for line in out.splitlines() if line.startswith("eflg-developing"))
    assert line.split()[1:3] == ["5", "32"]


def test_seed_command_twice_reports_nothing_new(cli, capsys) -> None:
    code, out, _ = cli("seed", capsys=capsys)
    assert code == 0 and "Nothing to add" in out
