"""Red team: small workbooks built to take a server's memory or time. Each is read in a fresh
Python process (so its peak memory is its own, and a runaway is stopped, not the test run), and
must end quickly with a plain result, its peak memory bounded by the cells it holds."""

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from dashboard.formats.sheets import column_letter

ROOT = Path(__file__).resolve().parents[2]
PEAK_MB = 200  # the whole process: Python, openpyxl and the reading (about 70 MB on its own)
SECONDS = 60

# Reads the file as the Import page does; prints what a person would be told and the peak.
READER = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
from dashboard.formats.sheets import read_table
from dashboard.rules.errors import Refused
data = open(sys.argv[1], "rb").read()
try:
    table = read_table(data, "plan.xlsx")
    print("rows", len(table.rows))
    for note in getattr(table, "notes", ()):
        print("note", note)
except Refused as refused:
    print("refused", refused)
# This process's own peak (VmHWM): getrusage's figure would include the test run it was
# started from, which Linux counts into a child's peak at its start.
status = open("/proc/self/status").read()
peak_kb = int(status.split("VmHWM:", 1)[1].split()[0])
print("peak_mb", peak_kb / 1024)
"""


def _workbook(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plan"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_sheet_xml(data: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            target.writestr(item.filename, body)
    return out.getvalue()


def tall_merges() -> bytes:
    """200 merged ranges, each 50,000 rows tall (just within the row limit), over 3 rows of
    data: a 6 KB file that took 1.5 GB to read."""
    ranges = "".join(
        f'<mergeCell ref="{column_letter(c)}2:{column_letter(c)}50001"/>' for c in range(200)
    )
    merges = f'<mergeCells count="200">{ranges}</mergeCells>'.encode()
    data = _workbook([["Action", "Lead"], ["Theme"], ["Do it", "Team"]])
    return _with_sheet_xml(data, lambda xml: xml.replace(b"</sheetData>", b"</sheetData>" + merges))


def stated_size() -> bytes:
    """A sheet that says it spans every row and column Excel has (A1:XFD1048576)."""
    data = _workbook([["Action", "Lead"], ["Theme"], ["Do it", "Team"]])
    return _with_sheet_xml(
        data,
        lambda xml: xml.replace(b'<dimension ref="A1:B3"/>', b'<dimension ref="A1:XFD1048576"/>'),
    )


def far_right_cells() -> bytes:
    """5,000 rows, each with one more cell in the very last column (XFD): every row read as
    16,384 cells wide."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>Action {n}</t></is></c>'
        f'<c r="XFD{n}" t="inlineStr"><is><t>x</t></is></c></row>'
        for n in range(2, 5002)
    ).encode()
    data = _workbook([["Action", "Lead"]])
    end = b"</row></sheetData>"
    return _with_sheet_xml(data, lambda xml: xml.replace(end, b"</row>" + rows + b"</sheetData>"))


@pytest.mark.parametrize(
    ("build", "told"),
    [
        (tall_merges, "rows 3"),
        (stated_size, "rows 3"),
        (far_right_cells, "had cells right of column GR"),
    ],
    ids=["200 tall merged ranges", "a sheet stating every cell of Excel", "cells in column XFD"],
)
def test_a_small_workbook_cannot_take_the_servers_memory(tmp_path: Path, build, told) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.xlsx"
    path.write_bytes(build())
    assert path.stat().st_size < 200_000
    try:
        run = subprocess.run(
            [sys.executable, "-c", READER, str(path)],
            capture_output=True, text=True, timeout=SECONDS, cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading the file took more than {SECONDS} s")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stdout + run.stderr
    assert told in run.stdout, run.stdout
    peak = float(run.stdout.rsplit("peak_mb", 1)[1])
    assert peak < PEAK_MB, f"peak memory {peak:.0f} MB"
