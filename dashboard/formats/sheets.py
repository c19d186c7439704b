"""Sheets in and out: read an uploaded .xlsx or .csv into rows of text, refusing hostile or
broken files cleanly; write rows as CSV or a workbook with formula-like cells neutralised.

Every refusal is an ImportFileError whose message says what is wrong in plain words. Nothing in
a workbook is run: formulas are read as their text, macros are refused, and a zip archive's
declared sizes are checked before openpyxl opens it.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from dashboard.rules.errors import Refused

OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, or a password-protected (encrypted) workbook
ZIP_MAGIC = b"PK\x03\x04"
MEGABYTE = 1024 * 1024
# The largest plan file that can be imported; the Import page's uploader and its label use it too
# (.streamlit/config.toml's server ceiling matches it, checked by tests/unit/test_upload_limits.py).
IMPORT_LIMIT_MB = 20
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Refused):
    """The file as a whole cannot be imported; the message says why."""


@dataclass(frozen=True)
class Limits:
    """How large a file may be. The defaults suit any real council plan."""

    max_bytes: int = IMPORT_LIMIT_MB * MEGABYTE
    max_rows: int = 50_000
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_uncompressed_bytes: int = 200 * MEGABYTE
    max_compression_ratio: int = 100  # checked once a workbook expands past the size below
    ratio_checked_above: int = 16 * MEGABYTE


@dataclass(frozen=True)
class Problem:
    """An error or warning about a file's content, placed as a spreadsheet would show it."""

    row: int | None
    column: str | None  # e.g. "C 'Lead service/officer'"
    value: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        text = (", ".join(where) + ": " if where else "") + self.message
        if self.value:
            shown = " ".join(self.value.split())
            shown = shown if len(shown) <= 80 else shown[:77] + "..."
            text += f" (cell value: '{shown}')"
        return text


@dataclass(frozen=True)
class Row:
    """A non-blank row: its number as the spreadsheet shows it (1-based) and its cells as text."""

    number: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """The rows of one sheet (or of a CSV file), blank rows left out."""

    sheet: str | None
    sheets: tuple[str, ...]
    rows: tuple[Row, ...]


def _mb(n: int) -> str:
    return f"{n / MEGABYTE:.1f} MB"


def upload_limit_words(limit_mb: int) -> str:
    """An upload's size limit as its label says it: 'up to 20 MB'."""
    return f"up to {limit_mb} MB"


def file_kind(filename: str) -> str:
    """'xlsx' or 'csv' from the file name; ImportFileError for anything else."""
    name = filename.lower()
    if name.endswith(".xlsm") or name.endswith(".xltm"):
        raise ImportFileError(
            "This is a macro-enabled workbook (.xlsm). For safety it cannot be imported: "
            "save it as an ordinary Excel workbook (.xlsx) and try again."
        )
    if name.endswith(".xls"):
        raise ImportFileError(
            "This is an old-style Excel file (.xls). Save it as an Excel workbook (.xlsx) or as "
            "CSV and try again. Only .csv and .xlsx files can be imported."
        )
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    raise ImportFileError("Only .csv and .xlsx files can be imported.")


def read_table(
    data: bytes, filename: str, *, sheet: str | None = None, limits: Limits | None = None
) -> Table:
    """The non-blank rows of `sheet` (default: the first) or of the CSV file, as text."""
    limits = limits or Limits()
    kind = file_kind(filename)
    if len(data) > limits.max_bytes:
        raise ImportFileError(
            f"The file is {_mb(len(data))}; the limit is {_mb(limits.max_bytes)}. "
            "Split the plan into smaller files."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if kind == "xlsx":
        return _read_xlsx(data, sheet, limits)
    return Table(None, (), tuple(_read_csv(data, limits)))


# ---------------------------------------------------------------- CSV


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252; binary data is refused."""
    head = data[:8192]
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC) or b"\x00" in head:
        raise ImportFileError(
            "The file is not a text CSV file (it looks like binary data, perhaps a workbook "
            "saved with the wrong name)."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "The file's text could not be read: it is neither UTF-8 nor Windows-1252. "
                "Save it from your spreadsheet as 'CSV UTF-8'."
            ) from exc
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n")
    if controls > 8:
        raise ImportFileError(
            "The file is not a text CSV file (it looks like binary data, perhaps a workbook "
            "saved with the wrong name)."
        )
    return text


def _delimiter(text: str) -> str:
    """Comma or semicolon: whichever splits the first line into more columns."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in ",;"}
    return ";" if counts[";"] > counts[","] else ","


def _read_csv(data: bytes, limits: Limits) -> Iterator[Row]:
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    count = 0
    try:
        # A record's number is the row a spreadsheet shows it on (a quoted cell may hold
        # line breaks, so this is not the line number of the text).
        for number, values in enumerate(reader, start=1):
            cells = tuple(v.strip() for v in values)
            if not any(cells):
                continue
            count += 1
            _check_row(count, number, cells, limits)
            yield Row(number, cells)
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise ImportFileError(_too_long(reader.line_num + 1, None, limits)) from exc
        raise ImportFileError(
            f"The CSV file could not be read near line {reader.line_num}: {exc}."
        ) from exc


def _too_long(row: int, column: str | None, limits: Limits) -> str:
    where = f"row {row}" + (f", column {column}" if column else "")
    return (
        f"A cell ({where}) is longer than {limits.max_cell_chars:,} characters, "
        "the most a spreadsheet cell can hold. Check the file is the plan you meant."
    )


def _check_row(count: int, number: int, cells: tuple[str, ...], limits: Limits) -> None:
    if count > limits.max_rows:
        raise ImportFileError(
            f"The file has more than {limits.max_rows:,} rows, the most that can be imported "
            "at once. Split the plan into smaller files."
        )
    for index, cell in enumerate(cells):
        if len(cell) > limits.max_cell_chars:
            raise ImportFileError(_too_long(number, column_letter(index), limits))


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA' (as a spreadsheet names its columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- XLSX


def _open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            "This workbook is password-protected (or saved in the old .xls format), so it "
            "could not be opened. Remove the password or save it as .xlsx and try again."
        )
    if not data.startswith(ZIP_MAGIC):
        raise ImportFileError("The Excel file could not be opened; is it a valid .xlsx?")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportFileError(
            "The Excel file could not be opened; it is damaged or not a valid .xlsx."
        ) from exc
    names = {m.filename.lower() for m in members}
    if any(n.endswith("vbaproject.bin") for n in names):
        raise ImportFileError(
            "This workbook contains macros. For safety it cannot be imported: save it as an "
            "ordinary Excel workbook (.xlsx) without macros and try again."
        )
    if "xl/workbook.xml" not in names:
        raise ImportFileError("The Excel file could not be opened; it is not an Excel workbook.")
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    squeezed = total > limits.ratio_checked_above and total / packed > limits.max_compression_ratio
    if total > limits.max_uncompressed_bytes or squeezed:
        raise ImportFileError(
            f"The workbook expands to {_mb(total)} from {_mb(len(data))} when opened, which is "
            "far more than a plan needs (it may be a 'zip bomb'). It was not opened."
        )
    return archive


def sheet_names(data: bytes, filename: str, *, limits: Limits | None = None) -> tuple[str, ...]:
    """The sheets of a workbook, in order (empty for a CSV file)."""
    if file_kind(filename) != "xlsx":
        return ()
    return _read_xlsx(data, None, limits or Limits(), names_only=True).sheets


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+):([A-Z]+[0-9]+)"')


def _read_xlsx(
    data: bytes, sheet: str | None, limits: Limits, *, names_only: bool = False
) -> Table:
    from openpyxl import load_workbook

    archive = _open_zip(data, limits)
    try:
        # data_only=False: a formula is read as its text and never calculated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise ImportFileError(
            "The Excel file could not be opened; it is damaged or not a valid .xlsx."
        ) from exc
    try:
        sheets = tuple(workbook.sheetnames)
        if not sheets:
            raise ImportFileError("The workbook has no sheets.")
        if names_only:
            return Table(None, sheets, ())
        chosen = sheet if sheet is not None else sheets[0]
        if chosen not in sheets:
            raise ImportFileError(
                f"The workbook has no sheet called '{chosen}'. Its sheets are: "
                + ", ".join(sheets)
                + "."
            )
        worksheet = workbook[chosen]
        merges = _merged_ranges(archive, getattr(worksheet, "_worksheet_path", ""))
        try:
            rows = _sheet_rows(worksheet, merges, limits)
        except ImportFileError:
            raise
        except Exception as exc:
            raise ImportFileError(
                f"The sheet '{chosen}' could not be read; the workbook may be damaged."
            ) from exc
        return Table(chosen, sheets, tuple(rows))
    finally:
        workbook.close()


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of each merged range of the sheet, 1-based."""
    from openpyxl.utils.cell import range_boundaries

    try:
        xml = archive.read(path.lstrip("/"))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return []
    found = []
    for start, end in _MERGE.findall(xml):
        bounds = range_boundaries(f"{start.decode()}:{end.decode()}")
        if all(b is not None for b in bounds):
            found.append(tuple(int(b) for b in bounds if b is not None))
    return found  # type: ignore[return-value]


def _sheet_rows(
    worksheet: Any, merges: list[tuple[int, int, int, int]], limits: Limits
) -> list[Row]:
    # A cell merged down several rows (one lead for three actions) is copied into each row's
    # first column of the range; a merge across columns keeps its text in the first cell only,
    # so a heading merged across the table still reads as "only the first cell filled".
    fill: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    anchors: set[tuple[int, int]] = set()
    for min_col, min_row, _max_col, max_row in merges:
        if max_row - min_row > limits.max_rows:
            continue  # a whole-column merge is formatting, not one cell's text copied down
        anchors.add((min_row, min_col))
        for row in range(min_row + 1, max_row + 1):
            fill.setdefault(row, []).append((min_col, (min_row, min_col)))
        if len(anchors) > limits.max_rows:
            raise ImportFileError(
                "The sheet has more merged cells than a plan could need; it was not read."
            )
    anchor_values: dict[tuple[int, int], str] = {}
    pending: list[tuple[int, list[str]]] = []
    count = 0
    for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
        cells = [cell_text(v) for v in values]
        for index, cell in enumerate(cells):
            if len(cell) > limits.max_cell_chars:
                raise ImportFileError(_too_long(number, column_letter(index), limits))
            if (number, index + 1) in anchors:
                anchor_values[(number, index + 1)] = cell
        for column, source in fill.get(number, []):
            while len(cells) < column:
                cells.append("")
            cells[column - 1] = anchor_values.get(source, "")
        if not any(cells):
            continue
        count += 1
        if count > limits.max_rows:
            raise ImportFileError(
                f"The sheet has more than {limits.max_rows:,} rows, the most that can be "
                "imported at once. Split the plan into smaller files."
            )
        pending.append((number, cells))
    return [Row(number, tuple(cells)) for number, cells in pending]


def cell_text(value: Any) -> str:
    """A cell's value as the text a person sees; dates day-first, formulas as written."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = getattr(value, "text", None)  # ArrayFormula / DataTableFormula: keep the formula text
    if isinstance(text, str):
        return text.strip()
    return str(value).strip()


# ---------------------------------------------------------------- writing


def neutralise(value: str) -> str:
    """Stop a spreadsheet treating text as a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def restore(value: str) -> str:
    """Undo `neutralise` on import."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def rows_to_csv(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> str:
    """Rows as CSV; cells a spreadsheet would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue()


def rows_to_xlsx(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> bytes:
    """Rows as a workbook with one sheet, "Issues": a bold, frozen header; cells neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Issues"
    sheet.append(list(columns))
    for row in rows:
        sheet.append([neutralise(row[c]) for c in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
