"""Red team: formula injection through exports. Text an attacker got into a plan (an imported
cell, a lead's name) is exported as CSV and Excel; whatever separator the spreadsheet that
opens the CSV splits on (comma in the UK, semicolon in much of Europe, tab when pasted), no cell
may start with a formula character, and importing the export gives the same text back."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from dashboard.formats.headers import COLUMNS
from dashboard.formats.sheets import rows_to_csv, rows_to_xlsx
from dashboard.reads.exports import export_rows
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.writes.import_plan import ImportOptions, run_import
from models import Issue, Plan

EFLG = "eflg-developing"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

PAYLOADS = [
    'a;=HYPERLINK("http://evil.example","Click")',
    "Budget, =1+1 and;+cmd|' /C calc'!A0",
    'x;"=HYPERLINK(""http://evil.example"")',
    'first line\n=HYPERLINK("http://evil.example")\t@SUM(1)',
]


def _fields(text: str, delimiter: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            for cell in row]  # fmt: skip


@pytest.mark.parametrize("payload", PAYLOADS, ids=["semicolon", "comma", "quote", "line break"])
def test_an_exported_csv_runs_no_formula_in_any_locale_and_reads_back_the_same(
    seeded: Session, payload: str
) -> None:
    issue = seeded.exec(select(Issue).join(Plan).where(Plan.slug == EFLG, Issue.ref == "1.1")).one()
    issue.text = payload
    issue.measure = "-" + payload
    seeded.add(issue)
    seeded.commit()
    rows = export_rows(seeded, EFLG)
    exported = rows_to_csv(rows, COLUMNS)
    for delimiter in (",", ";", "\t"):
        started = [f for f in _fields(exported, delimiter) if f.startswith(FORMULA_START)]
        assert not started, (delimiter, started)
    workbook = load_workbook(io.BytesIO(rows_to_xlsx(rows, COLUMNS)), read_only=True)
    cells = [str(c) for row in workbook["Issues"].iter_rows(values_only=True) for c in row if c]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    # Export → import gives the same text back, and a second export the same file.
    result = run_import(seeded, exported.encode(), "export.csv", actor=COMMAND_LINE_ADMIN,
                        options=ImportOptions(), dry_run=False)  # fmt: skip
    assert result.ok, result.summary()
    seeded.expire_all()
    back = seeded.exec(select(Issue).join(Plan).where(Plan.slug == EFLG, Issue.ref == "1.1")).one()
    assert (back.text, back.measure) == (payload, "-" + payload)
    assert rows_to_csv(export_rows(seeded, EFLG), COLUMNS) == exported
