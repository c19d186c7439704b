"""Red team: fuzzing every reader and parser a file or a person's typing reaches. Each must give
a value or refuse with a Refused (a plain message a person may see), never raise anything else;
the rules that promise more (neutralise/restore, Markdown escaping) are held to it."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from dashboard.formats.headers import (
    Field,
    columns_of,
    find_header_row,
    header_key,
    parse_field,
    recognise,
)
from dashboard.formats.layout import read_layout
from dashboard.formats.markdown import WORD_JOINER, plain
from dashboard.formats.sheets import (
    Limits,
    Row,
    Table,
    column_letter,
    neutralise,
    read_table,
    restore,
    rows_to_csv,
)
from dashboard.rules.errors import Refused
from dashboard.rules.lead_names import directorate_candidates, split_lead_cell
from dashboard.rules.names import name_key, section_lookup
from dashboard.rules.timescale import parse_timescale, read_due_date

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Text as files and people write it, weighted towards what breaks parsers: separators, quotes,
# formula starts, control characters, right-to-left marks, Markdown and HTML syntax.
TRICKY = st.sampled_from(
    list(",;\t\r\n\"'=+-@\x00\x07\x1b\u202e\u200f\u00a0|/.:()[]<>!#*_`~$&\\")
    + ["www.", "http://", "@example.com", "Q3 2009/10", "31/13/2009", "and", "&amp;", "\r\n"]
)
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=6)), max_size=12).map("".join)


def _returns_or_refuses(call, *args, **kwargs):  # type: ignore[no-untyped-def]
    """The call's value, or None when it refused plainly; any other exception fails."""
    try:
        return call(*args, **kwargs)
    except Refused as refused:
        assert str(refused) and "Traceback" not in str(refused)
        return None


@FUZZ
@given(
    rows=st.lists(st.lists(TEXT, max_size=6), max_size=8),
    delimiter=st.sampled_from([",", ";"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    tail=st.binary(max_size=40),
)
def test_fuzz_csv_reading(
    rows: list[list[str]], delimiter: str, encoding: str, tail: bytes
) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows([["Action", "Lead"], *rows])
    data = out.getvalue().encode(encoding, errors="replace") + tail
    table = _returns_or_refuses(read_table, data, "plan.csv", limits=Limits(max_cell_chars=200))
    if table is not None:
        cells = [c for row in table.rows for c in row.cells]
        assert not any("\x00" in c or c != c.strip() for c in cells)
        _returns_or_refuses(read_layout, table, {})


CELL = TEXT.map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t)) | st.integers() | st.dates()


@FUZZ
@given(
    rows=st.lists(st.lists(CELL, max_size=5), min_size=1, max_size=8),
    merges=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 12), st.integers(0, 3),
                              st.integers(0, 1_100_000)), max_size=4),
    hidden_rows=st.sets(st.integers(1, 9), max_size=3),
    hidden_columns=st.sets(st.sampled_from("ABCDE"), max_size=2),
    states=st.lists(st.sampled_from(["visible", "hidden", "veryHidden"]), min_size=1, max_size=3),
)  # fmt: skip
def test_fuzz_the_workbook_reader(  # type: ignore[no-untyped-def]
    rows, merges, hidden_rows, hidden_columns, states
) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for number, state in enumerate(states):
        sheet = workbook.create_sheet(f"Sheet {number}")
        for row in rows:
            sheet.append(row)
        for row_number in hidden_rows:
            sheet.row_dimensions[row_number].hidden = True
        for letter in hidden_columns:
            sheet.column_dimensions[letter].hidden = True
        sheet.sheet_state = state
    if all(state != "visible" for state in states):
        workbook.worksheets[0].sheet_state = "visible"
    buffer = io.BytesIO()
    workbook.save(buffer)
    # Merged ranges written into the sheets' XML as any program could, sound or not: row 0,
    # columns past XFD, ranges taller than a plan may be.
    refs = "".join(
        f'<mergeCell ref="{column_letter(c)}{row}:{column_letter(c + wide)}{row + tall}"/>'
        for c, row, wide, tall in merges
    )
    xml = f"<mergeCells>{refs}</mergeCells>".encode() if merges else b""
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                body = body.replace(b"</sheetData>", b"</sheetData>" + xml)
            target.writestr(item, body)
    table = _returns_or_refuses(read_table, out.getvalue(), "plan.xlsx")
    if table is not None:
        assert table.sheet in table.sheets
        assert all(isinstance(c, str) for row in table.rows for c in row.cells)
        _returns_or_refuses(read_layout, table, {})


@FUZZ
@given(cells=st.lists(st.lists(TEXT, max_size=6), max_size=6), words=st.lists(TEXT, max_size=4))
def test_fuzz_header_matching(cells: list[list[str]], words: list[str]) -> None:
    rows = [Row(n, tuple(r)) for n, r in enumerate(cells, start=1)]
    mapping = {w: Field.LEADS for w in words}
    for text in words:
        assert isinstance(header_key(text), str)
        assert recognise(text) in (None, *Field)
        assert parse_field(text) in (None, *Field)
    index = find_header_row(rows, mapping)
    assert 0 <= index <= max(len(rows) - 1, 0)
    if rows:
        columns_of(rows[index], mapping)
    read_layout(Table(None, (), tuple(r for r in rows if any(r.cells))), mapping)


@FUZZ
@example(text="2008-W27-1")  # an ISO week date: not a date the export writes, so refused
@given(text=TEXT | st.dates().map(lambda d: d.strftime("%d/%m/%Y")) | st.dates().map(str))
def test_fuzz_due_dates_and_timescales(text: str) -> None:
    due = _returns_or_refuses(read_due_date, text)
    assert due is None or isinstance(due, date)
    timescale = parse_timescale(text)
    assert timescale.written == text
    assert timescale.due is None or isinstance(timescale.due, date)


@FUZZ
@given(cell=TEXT, others=st.lists(TEXT, max_size=3))
@example(cell="\u00a0", others=[])  # found by this test: a lead with no name
def test_fuzz_lead_name_splitting(cell: str, others: list[str]) -> None:
    directorates = directorate_candidates([cell, *others])
    leads = split_lead_cell(cell, directorates=directorates, known=lambda n: n in others)
    names = [lead.name.casefold() for lead in leads]
    assert len(names) == len(set(names))
    assert all(lead.name.strip() and "/" not in lead.name and ";" not in lead.name
               for lead in leads)  # fmt: skip


@dataclass(frozen=True)
class _Theme:
    name: str
    short_name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class _Section:
    heading: str
    theme: _Theme | None


@FUZZ
@given(
    names=st.lists(TEXT, max_size=6),
    themes=st.lists(st.tuples(TEXT, TEXT, st.lists(TEXT, max_size=2)), max_size=3),
)
def test_fuzz_name_folding_and_section_lookup(names: list[str], themes: list) -> None:  # type: ignore[type-arg]
    for name in names:
        key = name_key(name)
        assert name_key(key) == key and key == key.strip()
    sections = [
        _Section(heading, _Theme(*themes[n % len(themes)][:2], tuple(themes[n % len(themes)][2]))
                 if themes else None)
        for n, heading in enumerate(names)
    ]  # fmt: skip
    found = section_lookup(sections)
    for section in sections:
        assert found[name_key(section.heading)].heading.strip().casefold() is not None


_ESCAPED = re.compile(r"(?<!\\)(?:\\\\)*\\$")


def _unescaped(text: str, index: int) -> bool:
    """True when the character at `index` is not preceded by an escaping backslash."""
    return not _ESCAPED.search(text[:index])


@FUZZ
@given(text=TEXT)
@example(text="www.evil.example or evil@example.com")  # found by this test: live links
def test_fuzz_markdown_plain_leaves_no_link_image_or_html(text: str) -> None:
    shown = plain(text)
    for index, char in enumerate(shown):
        if char in "[]()<>!&`":
            assert not _unescaped(shown, index), (text, shown)
    # A bare web address or e-mail address is a link in GitHub-flavoured Markdown (Streamlit's)
    # unless an invisible word joiner breaks its "://", its "www." or the word before its "@".
    assert not re.search(r"://|(?i:www)\.|[^\s\\\u2060]@", shown), (text, shown)
    readable = shown.replace(WORD_JOINER, "").replace("  \n", "\n").replace("\\", "")
    assert readable == text.replace("\r\n", "\n").replace("\\", "").replace(WORD_JOINER, "")


@FUZZ
@given(values=st.lists(TEXT, min_size=1, max_size=4))
@example(values=[""])  # found by this test: a row of one empty field read back as no row
@example(values=['a;=HYPERLINK("http://evil.example")', "x\t-1"])
def test_fuzz_neutralise_restore_and_the_csv_every_locale_reads(values: list[str]) -> None:
    for value in values:
        assert restore(neutralise(value)) == value
    columns = [f"c{n}" for n in range(len(values))]
    exported = rows_to_csv([dict(zip(columns, values, strict=True))], columns)
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(exported, newline=""), delimiter=delimiter):
            assert not [f for f in row if f.startswith(FORMULA_START)], (delimiter, exported)
    read = list(csv.reader(io.StringIO(exported, newline="")))
    assert [restore(v) for v in read[1]] == values
