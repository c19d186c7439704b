"""Sheets in and out: read an uploaded .xlsx or .csv into rows of text, refusing hostile or
broken files cleanly; write rows as CSV or a workbook with formula-like cells neutralised.

Every refusal is an ImportFileError whose message says what is wrong in plain words. Nothing in
a workbook is run: formulas are read as their text, macros are refused, and a zip archive's
declared sizes are checked before openpyxl opens it. What a person cannot see in Excel is not
imported without a word: hidden sheets, rows and columns are left out, each with a note saying
so (Table.notes). Memory follows the cells the file holds: a sheet is read one cell at a time,
merged ranges are expanded only over the rows that hold something, and the rows, columns,
cells and merged ranges kept are all bounded (Limits).
"""

import bisect
import csv
import io
import re
import zipfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
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
# Invisible control characters (NUL and the like; tab and line breaks are kept): removed from
# every cell read, with a note, and from names a person gives. PostgreSQL cannot store NUL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_controls(text: str) -> str:
    """`text` without invisible control characters (tab and line breaks kept)."""
    return CONTROL_CHARACTERS.sub("", text)


# What a file name shown to people must not hold: control characters (C0, DEL, C1, line breaks
# and tabs too) and the marks that reverse or embed the direction of text, which make
# "report<RLO>fdp.exe" look like "reportexe.pdf".
_NAME_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def file_name_shown(file_name: str) -> str:
    """A file's own name as it may be shown and stored: its folders (either slash) left out,
    control and text-direction characters removed, spaces trimmed."""
    base = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    return " ".join(_NAME_UNSAFE.sub("", base).split())


def shorten_file_name(file_name: str, most: int) -> str:
    """`file_name` in at most `most` characters, keeping its start and its extension:
    'a very long report … name.pdf'."""
    if len(file_name) <= most:
        return file_name
    stem, dot, extension = file_name.rpartition(".")
    if not dot or len(extension) > 10 or not stem:
        return file_name[: most - 1].rstrip() + "\u2026"
    keep = max(most - len(extension) - 2, 1)
    return stem[:keep].rstrip() + "\u2026." + extension


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
    max_columns: int = 200  # cells further right are left out, with a note
    max_cells: int = 3_000_000  # cells kept in memory: each row up to its last filled cell
    max_merges: int = 50_000  # merged ranges in one sheet
    max_pages: int = 500  # pages of a PDF
    max_document_text_bytes: int = 50 * MEGABYTE  # a Word document's text part, expanded


@dataclass(frozen=True)
class Problem:
    """An error or warning about a file's content, placed as a spreadsheet would show it."""

    row: int | None
    column: str | None  # e.g. "C 'Lead service/officer'"
    value: str | None
    message: str
    place: str | None = None  # in a document: "table 2, row 3", said instead of "Row N"

    def __str__(self) -> str:
        where = []
        if self.place:
            where.append(self.place[:1].upper() + self.place[1:])
        elif self.row is not None:
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
    """The rows of one sheet (or of a CSV file, or a document), blank rows left out. `sheets`
    are the sheets that can be chosen (hidden ones are not); `notes` say what was left out or
    changed while reading (hidden sheets, rows and columns; control characters removed), in
    plain words. `places` gives a document's row its place in words ("table 2, row 3";
    "page 4, table 1, row 3"): a document's rows are numbered 1..N through it."""

    sheet: str | None
    sheets: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[Problem, ...] = ()
    places: Mapping[int, str] = field(default_factory=dict)


def _mb(n: int) -> str:
    return f"{n / MEGABYTE:.1f} MB"


def upload_limit_words(limit_mb: int) -> str:
    """An upload's size limit as its label says it: 'up to 20 MB'."""
    return f"up to {limit_mb} MB"


ONLY_KINDS = "Only .csv, .xlsx, .docx and .pdf files can be imported."


def file_kind(filename: str) -> str:
    """'xlsx', 'csv', 'docx' or 'pdf' from the file name; ImportFileError for anything else."""
    from dashboard.formats.documents import MACRO_DOCUMENT, OLD_WORD

    name = filename.lower()
    if name.endswith(".docm") or name.endswith(".dotm"):
        raise ImportFileError(MACRO_DOCUMENT)
    if name.endswith(".doc") or name.endswith(".dot"):
        raise ImportFileError(OLD_WORD)
    if name.endswith(".docx"):
        return "docx"
    if name.endswith(".pdf"):
        return "pdf"
    if name.endswith(".xlsm") or name.endswith(".xltm"):
        raise ImportFileError(
            "This is a macro-enabled workbook (.xlsm). For safety it cannot be imported: "
            "save it as an ordinary Excel workbook (.xlsx) and try again."
        )
    if name.endswith(".xls"):
        raise ImportFileError(
            "This is an old-style Excel file (.xls). Save it as an Excel workbook (.xlsx) or as "
            "CSV and try again. " + ONLY_KINDS
        )
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv") or name.endswith(".txt"):
        return "csv"
    raise ImportFileError(ONLY_KINDS)


def read_table(
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    limits: Limits | None = None,
    include_hidden: bool = False,
) -> Table:
    """The non-blank rows of `sheet` (default: the first visible one) or of the CSV file, as
    text. Hidden sheets, rows and columns are left out (with a note) unless `include_hidden`."""
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
        return _read_xlsx(data, sheet, limits, include_hidden=include_hidden)
    if kind in ("docx", "pdf"):
        from dashboard.formats.documents import read_docx, read_pdf

        return (read_docx if kind == "docx" else read_pdf)(data, limits)
    collector = _Collector(limits)
    return Table(None, (), tuple(_read_csv(data, collector)), tuple(collector.notes()))


# ---------------------------------------------------------------- rows kept


def number_words(numbers: Sequence[int], *, most: int = 12) -> str:
    """[3, 4, 5, 9] -> '3–5 and 9' (runs joined; past `most` runs, how many more)."""
    runs: list[tuple[int, int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    words = [str(a) if a == b else f"{a}\u2013{b}" for a, b in runs[:most]]
    if len(runs) > most:
        words.append(f"{len(runs) - most} more")
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _places_words(places: Sequence[str], *, most: int = 12) -> str:
    """['table 1, row 2', 'table 2, row 1'] -> 'Table 1, row 2 and table 2, row 1'."""
    shown = list(dict.fromkeys(places))
    words = shown[:most] + ([f"{len(shown) - most} more"] if len(shown) > most else [])
    text = words[0] if len(words) == 1 else "; ".join(words[:-1]) + " and " + words[-1]
    return text[:1].upper() + text[1:]


def _rows_words(numbers: Sequence[int]) -> str:
    """'Row 4' or 'Rows 4–6 and 9'."""
    many = len(set(numbers)) > 1
    return ("Rows " if many else "Row ") + number_words(numbers)


class _Collector:
    """Keeps a file's rows within the limits, cell by cell: each cell stripped and freed of
    control characters (noted), cells right of the last column allowed left out (noted), rows,
    cells and cell lengths counted against the limits (refused past them)."""

    def __init__(self, limits: Limits, where: str = "") -> None:
        self.limits = limits
        self.where = where  # " of the sheet 'Plan'" in notes, "" for a CSV file
        self.count = 0
        self.cells = 0
        self.controls: list[int] = []
        self.clipped: list[int] = []

    def cell(self, number: int, index: int, text: str, place: str | None = None) -> str:
        """One cell's text as kept (stripped, control characters removed). `place` names a
        document's row in a refusal ("table 2, row 3")."""
        text = text.strip()
        if len(text) > self.limits.max_cell_chars:
            where = f"{place or f'row {number}'}, column {column_letter(index)}"
            raise ImportFileError(_too_long(number, column_letter(index), self.limits, where))
        if CONTROL_CHARACTERS.search(text):
            text = without_controls(text).strip()
            if not self.controls or self.controls[-1] != number:
                self.controls.append(number)
        return text

    def row(self, number: int, values: Mapping[int, str]) -> list[str] | None:
        """The row's cells up to its last filled one (None for a blank row). `values` maps a
        0-based column index to its cell's text as `cell` kept it."""
        filled = [i for i, v in values.items() if v]
        if not filled:
            return None
        if max(filled) >= self.limits.max_columns:
            self.clipped.append(number)
            filled = [i for i in filled if i < self.limits.max_columns]
            if not filled:
                return None
        self.count += 1
        if self.count > self.limits.max_rows:
            raise ImportFileError(
                f"The file has more than {self.limits.max_rows:,} rows, the most that can be "
                "imported at once. Split the plan into smaller files."
            )
        width = max(filled) + 1
        self.add_cells(width)
        cells = [""] * width
        for index in filled:
            cells[index] = values[index]
        return cells

    def add_cells(self, n: int) -> None:
        self.cells += n
        if self.cells > self.limits.max_cells:
            raise ImportFileError(
                f"The file has more than {self.limits.max_cells:,} cells, far more than a plan "
                "needs. Split the plan into smaller files."
            )

    def notes(self, places: Mapping[int, str] | None = None) -> list[Problem]:
        """What was left out or changed, in words; `places` names a document's rows by their
        place in it ("Table 1, row 3") instead of their numbers."""
        found = []

        def rows(numbers: Sequence[int]) -> str:
            if places:
                return _places_words([places.get(n, f"row {n}") for n in numbers])
            return _rows_words(numbers)

        if self.clipped:
            last = column_letter(self.limits.max_columns - 1)
            found.append(
                _note(
                    f"{rows(self.clipped)}{self.where} had cells right of column {last} "
                    f"(the {self.limits.max_columns}th), further than a plan's table reaches, "
                    "so those cells were left out."
                )
            )
        if self.controls:
            found.append(
                _note(
                    f"{rows(self.controls)}{self.where} held invisible control "
                    "characters (such as NUL), which were removed."
                )
            )
        return found


def _note(message: str) -> Problem:
    return Problem(None, None, None, message)


def _too_long(row: int, column: str | None, limits: Limits, where: str | None = None) -> str:
    where = where or f"row {row}" + (f", column {column}" if column else "")
    return (
        f"A cell ({where}) is longer than {limits.max_cell_chars:,} characters, "
        "the most a spreadsheet cell can hold. Check the file is the plan you meant."
    )


def column_letter(index: int) -> str:
    """0 -> 'A', 26 -> 'AA' (as a spreadsheet names its columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------- CSV

_NOT_TEXT = (
    "The file is not a text CSV file (it looks like binary data, perhaps a workbook saved with "
    "the wrong name)."
)
# A well-formed UTF-8 sequence of two to four bytes: a file holding any is written in UTF-8.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252; binary data is refused, and
    so is a UTF-8 file with bytes that are not UTF-8 (the message names the line)."""
    # Text has few control bytes; one NUL in a cell is removed later, with a note.
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\r\n")
    binary = controls > 8 or controls * 10 > len(head)
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC) or binary:
        raise ImportFileError(_NOT_TEXT)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if _UTF8_SEQUENCE.search(data):
            raise ImportFileError(
                f"Line {line} of the file has bytes that are not UTF-8, though the rest of the "
                "file is written in UTF-8, so it was not read (it may be damaged, or two files "
                "joined together). Save it from your spreadsheet as 'CSV UTF-8' and try again."
            ) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as second:
            line = data.count(b"\n", 0, second.start) + 1
            raise ImportFileError(
                f"Line {line} of the file has text that is neither UTF-8 nor Windows-1252, so "
                "the file could not be read. Save it from your spreadsheet as 'CSV UTF-8'."
            ) from None
    return text


def _first_line(text: str) -> str:
    for line in io.StringIO(text, newline=None):
        if line.strip():
            return line
    return ""


def _delimiter(text: str) -> str:
    """Comma or semicolon: whichever splits the first line into more columns."""
    first = _first_line(text)
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in ",;"}
    return ";" if counts[";"] > counts[","] else ","


def _read_csv(data: bytes, collector: _Collector) -> Iterator[Row]:
    text = decode_text(data)
    number = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        # A record's number is the row a spreadsheet shows it on (a quoted cell may hold
        # line breaks, so this is not the line number of the text).
        for number, values in enumerate(reader, start=1):
            kept = collector.row(
                number,
                {i: collector.cell(number, i, v) for i, v in enumerate(values) if v},
            )
            if kept is not None:
                yield Row(number, tuple(kept))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise ImportFileError(_too_long(number + 1, None, collector.limits)) from None
        raise ImportFileError(
            f"The CSV file could not be read at row {number + 1}: {exc}."
        ) from None


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
    total = expanded_size(members, len(data), limits)
    if total is not None:
        raise ImportFileError(
            f"The workbook expands to {_mb(total)} from {_mb(len(data))} when opened, which is "
            "far more than a plan needs (it may be a 'zip bomb'). It was not opened."
        )
    return archive


def expanded_size(members: Sequence[zipfile.ZipInfo], size: int, limits: Limits) -> int | None:
    """The size a zip archive (a workbook, an Office document) says it expands to, when that is
    far more than a plan or document needs (a 'zip bomb'); None when it is not."""
    total = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    squeezed = total > limits.ratio_checked_above and total / packed > limits.max_compression_ratio
    return total if total > limits.max_uncompressed_bytes or squeezed else None


def sheet_names(data: bytes, filename: str, *, limits: Limits | None = None) -> tuple[str, ...]:
    """The sheets of a workbook that can be chosen, in order: hidden ones are left out (empty
    for a CSV file)."""
    if file_kind(filename) != "xlsx":
        return ()
    return _read_xlsx(data, None, limits or Limits(), names_only=True).sheets


_HIDDEN_WORDS = {
    "hidden": "hidden",
    "veryHidden": "very hidden (Excel shows it only to macros)",
}


def _read_xlsx(
    data: bytes,
    sheet: str | None,
    limits: Limits,
    *,
    names_only: bool = False,
    include_hidden: bool = False,
) -> Table:
    from openpyxl import load_workbook

    _open_zip(data, limits)
    try:
        # data_only=False: a formula is read as its text and never calculated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged parts
        raise ImportFileError(
            "The Excel file could not be opened; it is damaged or not a valid .xlsx."
        ) from exc
    try:
        states = {ws.title: ws.sheet_state for ws in workbook.worksheets}
        if not states:
            raise ImportFileError("The workbook has no sheets.")
        hidden = [name for name, state in states.items() if state != "visible"]
        sheets = tuple(n for n in states if include_hidden or n not in hidden)
        if names_only:
            return Table(None, sheets, ())
        notes = [] if include_hidden else [
            _note(f"The workbook's sheet '{name}' is "
                  f"{_HIDDEN_WORDS.get(states[name], 'hidden')}, so it was left out.")
            for name in hidden
        ]  # fmt: skip
        chosen = _chosen_sheet(sheet, sheets, hidden)
        rows = _read_sheet(workbook, workbook[chosen], limits, notes, include_hidden)
        if not rows and hidden and sheet is None:
            raise ImportFileError(
                f"The workbook's sheet '{chosen}' is empty and its other sheets are hidden ("
                + ", ".join(f"'{n}'" for n in hidden)
                + "), so nothing was imported. If a hidden sheet holds the plan, unhide it in "
                "Excel (right-click a sheet's tab, then Unhide) and try again."
            )
        return Table(chosen, sheets, tuple(rows), tuple(notes))
    finally:
        workbook.close()


def _chosen_sheet(sheet: str | None, sheets: tuple[str, ...], hidden: list[str]) -> str:
    """The sheet to read: the one asked for, else the first that can be chosen."""
    unhide = "unhide it in Excel (right-click a sheet's tab, then Unhide) and try again."
    if sheet is None:
        if not sheets:
            raise ImportFileError(
                "Every sheet of the workbook is hidden ("
                + ", ".join(f"'{n}'" for n in hidden)
                + "), so nothing was imported. If a hidden sheet holds the plan, "
                + unhide
            )
        return sheets[0]
    if sheet in sheets:
        return sheet
    if sheet in hidden:
        raise ImportFileError(
            f"The workbook's sheet '{sheet}' is hidden, so it was not read. If it holds the "
            "plan, " + unhide
        )
    raise ImportFileError(
        f"The workbook has no sheet called '{sheet}'. Its sheets are: " + ", ".join(sheets) + "."
    )


_EXCEL_ROWS = 1_048_576
_EXCEL_COLUMNS = 16_384
_CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")


def _merge_bounds(ref: str | None, title: str) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row), 1-based, of a merged range's reference such as
    'A3:A5'; None for a single cell; ImportFileError for a reference no sheet can have."""
    ends = [_CELL_REF.fullmatch(part.strip().upper()) for part in (ref or "").split(":")]
    if len(ends) == 1 and ends[0] is not None:
        return None
    bounds = None
    if len(ends) == 2 and ends[0] is not None and ends[1] is not None:
        (c1, r1), (c2, r2) = ((_column_number(m[1]), int(m[2])) for m in (ends[0], ends[1]))
        if 1 <= c1 <= c2 <= _EXCEL_COLUMNS and 1 <= r1 <= r2 <= _EXCEL_ROWS:
            bounds = (c1, r1, c2, r2)
    if bounds is None:
        shown = (ref or "")[:40]
        raise ImportFileError(
            f"The sheet '{title}' has merged cells with a reference no sheet can have "
            f"('{shown}'), so the workbook looks damaged and was not read. Open it in Excel, "
            "save it again and try again."
        )
    return bounds


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _is_hidden(attrs: Mapping[str, str], size: str) -> bool:
    """A row or column marked hidden, or given no height or width (just as invisible)."""
    if attrs.get("hidden", "").strip().lower() in ("1", "true"):
        return True
    try:
        return float(attrs.get(size, "1")) == 0
    except ValueError:
        return False


@dataclass
class _SheetRow:
    number: int
    cells: list[str]
    hidden: bool


@dataclass
class _Sheet:
    """What one pass over a sheet's XML found."""

    rows: list[_SheetRow] = field(default_factory=list)
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)  # 1-based, inclusive
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _read_sheet(
    workbook: Any, worksheet: Any, limits: Limits, notes: list[Problem], include_hidden: bool
) -> list[Row]:
    title = worksheet.title
    collector = _Collector(limits, f" of the sheet '{title}'")
    found = _Sheet()
    try:
        _parse_sheet(workbook, worksheet, collector, found)
    except ImportFileError:
        raise
    except Exception as exc:  # damaged XML, a cell reference no sheet has, a bad string index
        last = found.rows[-1].number if found.rows else 0
        after = f" after row {last}" if last else ""
        raise ImportFileError(
            f"The sheet '{title}' could not be read{after}; the workbook may be damaged."
        ) from exc
    found.rows.sort(key=lambda r: r.number)
    _expand_merges(found, limits, notes, title)
    kept = found.rows if include_hidden else _leave_out_hidden(found, notes, title, limits)
    notes.extend(collector.notes())
    return [Row(r.number, tuple(r.cells)) for r in kept if any(r.cells)]


def _parse_sheet(workbook: Any, worksheet: Any, collector: _Collector, found: _Sheet) -> None:
    """One pass over the sheet's XML, a cell at a time: each cell is read (by openpyxl's own
    cell reader, so dates, shared strings and formulas read as before) and let go at once, as is
    every other element once read, so the memory used follows the cells kept, never the sheet's
    stated size, its empty rows or its merges."""
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    row_tag, cell_tag, col_tag, merge_tag = (
        f"{{{SHEET_MAIN_NS}}}{name}" for name in ("row", "c", "col", "mergeCell")
    )
    parser = WorkSheetParser(
        None,
        worksheet._shared_strings,
        data_only=False,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )
    limits = collector.limits
    open_elements: list[Any] = []  # the elements being read, outermost first
    in_cell = 0  # elements inside the cell being read (kept until the cell is read)
    number = 0
    values: dict[int, str] = {}
    hidden = False
    row_elements = 0
    with worksheet._get_source() as source:
        for event, element in iterparse(source, events=("start", "end")):
            name = element.tag
            if event == "start":
                open_elements.append(element)
                if in_cell or name == cell_tag:
                    in_cell += 1
                    if in_cell > _MOST_IN_A_CELL:
                        raise ValueError("a cell made of more parts than any cell has")
                elif name == row_tag:
                    row_elements += 1
                    if row_elements > _EXCEL_ROWS:
                        raise ValueError("more rows than a sheet can have")
                    number = int(float(element.get("r", number + 1)))
                    values, hidden = {}, _is_hidden(element.attrib, "ht")
                    parser.row_counter, parser.col_counter = number, 0
                continue
            open_elements.pop()
            if name == cell_tag:
                in_cell = 0
                cell = parser.parse_cell(element)
                text = cell_text(cell["value"])
                if text:
                    index = int(cell["column"]) - 1
                    values[index] = collector.cell(number, index, text)
            elif in_cell:
                continue  # part of a cell: read with the cell
            elif name == row_tag:
                cells = collector.row(number, values)
                if cells is not None:
                    found.rows.append(_SheetRow(number, cells, hidden))
            elif name == col_tag and _is_hidden(element.attrib, "width"):
                first = int(element.get("min", "0"))
                found.hidden_columns.append((first, int(element.get("max", first))))
            elif name == merge_tag:
                bounds = _merge_bounds(element.get("ref"), worksheet.title)
                if bounds is not None:
                    found.merges.append(bounds)
                if len(found.merges) > limits.max_merges:
                    raise ImportFileError(
                        "The sheet has more merged cells than a plan could need; it was not read."
                    )
            if open_elements:
                open_elements[-1].remove(element)  # read: let it go


_MOST_IN_A_CELL = 10_000  # XML elements inside one cell (rich text runs and their parts)


def _expand_merges(found: _Sheet, limits: Limits, notes: list[Problem], title: str) -> None:
    """Show merged ranges as Excel does, over the rows that hold something: the range's text
    in its first column of every row it covers (one lead for three actions), its other cells
    empty (a heading merged across the table reads as 'only the first cell filled')."""
    numbers = [r.number for r in found.rows]
    work = 0
    for min_col, min_row, max_col, max_row in found.merges:
        if max_row - min_row > limits.max_rows:
            notes.append(
                _note(
                    f"The merged cells {column_letter(min_col - 1)}{min_row}:"
                    f"{column_letter(max_col - 1)}{max_row} of the sheet '{title}' span more "
                    f"rows than a plan may have ({limits.max_rows:,}), so they were read as "
                    "separate cells."
                )
            )
            continue
        start = bisect.bisect_left(numbers, min_row)
        stop = bisect.bisect_right(numbers, max_row)
        if start == stop:
            continue
        first = found.rows[start]
        anchor = ""
        if first.number == min_row and min_col <= len(first.cells):
            anchor = first.cells[min_col - 1]
        for row in found.rows[start:stop]:
            cells = row.cells
            last = min(max_col, len(cells))
            work += 1 + max(last - min_col, 0)
            if work > limits.max_cells:
                raise ImportFileError(
                    f"The sheet '{title}' has merged cells covering more cells than a plan "
                    "could need; it was not read."
                )
            for column in range(min_col, last + 1):
                if not (row.number == min_row and column == min_col):
                    cells[column - 1] = ""
            if row.number != min_row and anchor and min_col <= limits.max_columns:
                if len(cells) < min_col:
                    cells.extend([""] * (min_col - len(cells)))
                cells[min_col - 1] = anchor


def _leave_out_hidden(
    found: _Sheet, notes: list[Problem], title: str, limits: Limits
) -> list[_SheetRow]:
    """The rows that are not hidden, with hidden columns emptied; a note for each."""
    hidden_columns: set[int] = set()
    for first, last in found.hidden_columns:
        hidden_columns.update(range(max(first, 1), min(last, limits.max_columns) + 1))
    with_text: set[int] = set()
    for row in found.rows:
        for column in hidden_columns:
            if column <= len(row.cells) and row.cells[column - 1]:
                with_text.add(column)
                row.cells[column - 1] = ""
    if with_text:
        letters = [column_letter(c - 1) for c in sorted(with_text)]
        many = len(letters) > 1
        words = ", ".join(letters[:-1]) + " and " + letters[-1] if many else letters[0]
        notes.append(
            _note(
                f"{'Columns' if many else 'Column'} {words} of the sheet '{title}' "
                f"{'are' if many else 'is'} hidden, so {'they were' if many else 'it was'} "
                "left out."
            )
        )
    hidden_rows = [r.number for r in found.rows if r.hidden and any(r.cells)]
    if hidden_rows:
        many = len(set(hidden_rows)) > 1
        notes.append(
            _note(
                f"{_rows_words(hidden_rows)} of the sheet '{title}' {'are' if many else 'is'} "
                f"hidden, so {'they were' if many else 'it was'} left out."
            )
        )
    return [r for r in found.rows if not r.hidden]


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


# Where a spreadsheet may start reading a cell inside a written one: after a comma, semicolon
# or tab (the separators Excel splits on in different locales) or a line break, past any quotes.
# A field that holds one is quoted on writing, but a program splitting on another separator does
# not see those quotes, so a formula must not start there either.
_FORMULA_CHARS = re.escape("".join(_FORMULA_START))
_SEPARATORS = ",;\t\r\n"
_STARTS = f'(?:^|(?<=[{_SEPARATORS}])"*)'
_NEUTRALISE = re.compile(f"({_STARTS})(?='*[{_FORMULA_CHARS}])")
_RESTORE = re.compile(f"({_STARTS})'(?='*[{_FORMULA_CHARS}])")


def neutralise(value: str) -> str:
    """Stop a spreadsheet treating text as a formula (CSV/formula injection): a `'` goes before
    a formula character (= + - @ tab CR) at the start and after any separator or line break
    (past any quotes), and before any `'`s already there, so `restore` gives the text back."""
    return _NEUTRALISE.sub(r"\1'", value)


def restore(value: str) -> str:
    """Undo `neutralise` on import."""
    return _RESTORE.sub(r"\1", value)


_QUOTE_WHEN = re.compile(f'[{_SEPARATORS}"]')


def _csv_field(value: str) -> str:
    """A CSV field: quoted when it holds a separator of any locale, a line break or a quote."""
    return '"' + value.replace('"', '""') + '"' if _QUOTE_WHEN.search(value) else value


def rows_to_csv(rows: Sequence[Mapping[str, str]], columns: Sequence[str]) -> str:
    """Rows as CSV, comma-separated; cells a spreadsheet would run as formulas are neutralised,
    and every field holding a comma, semicolon, tab, line break or quote is quoted, so it reads
    as one cell in any locale."""
    lines = [",".join(_csv_field(c) for c in columns)]
    for row in rows:
        lines.append(",".join(_csv_field(neutralise(row.get(c, ""))) for c in columns))
    # A row of one empty field is written '""', as a blank line would be read as no row at all.
    return "".join((line or '""') + "\n" for line in lines)


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
