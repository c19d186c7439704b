"""Data tables, headline figures and whole page sections as plain, accessible HTML.

Streamlit's `st.table` draws every cell through its Markdown renderer: a 12-row table costs the
browser as much as a dozen paragraphs. These tables are one block of HTML (real <table>, <th
scope="col"> headers), which the browser draws in a fraction of the time (README → Performance).

Cell text is escaped, so whatever someone typed shows exactly as typed. Columns named as
``icons`` may carry the app's own status words with icons written the way the rest of the app
writes them (":material/check_circle: Complete", ":red[:material/error:] Red – overdue"); the icons
become decorative glyphs hidden from screen readers, next to the words that carry the meaning.
"""

import html
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from urllib.parse import urlencode

import pandas as pd

from dashboard.formats import sheets, words
from dashboard.rules.errors import Refused

CLASS = "eflg-table"
PHONE = "(max-width:640px)"  # a phone's screen, for the first screen's own rules
NARROW = "40rem"  # below this width (640 px at the usual text size) tables show rows as cards
# …and so does a table in a space narrower than this (a column of the overview at 1280 px), where
# its columns would otherwise run out of the space and over what is beside it.
NARROW_SPACE = "30rem"

# Colours for icons, each at least 4.5:1 on white (more than the 3:1 non-text contrast needs).
ICON_COLOURS = {
    "red": "#b3261e",
    "orange": "#8a4b00",
    "green": "#00703c",
    "blue": "#1d70b8",
    "gray": "#505a5f",
}

# Each row as a card: the header row is kept for screen readers but not shown, and each value
# sits under its column's name (the cell's data-label, as generated content).
_CARDS = (
    f".{CLASS},.{CLASS} tbody,.{CLASS} tr,.{CLASS} td,.{CLASS} th{{display:block;width:auto;}}"
    f".{CLASS} thead{{position:absolute;width:1px;height:1px;margin:-1px;padding:0;border:0;"
    "overflow:hidden;clip-path:inset(50%);white-space:nowrap;}"
    f".{CLASS} tbody tr{{border-bottom:2px solid #505a5f;padding:0.5rem 0;}}"
    f".{CLASS} tbody td,.{CLASS} tbody th{{border:0;padding:0.125rem 0;text-align:left;"
    "overflow-wrap:anywhere;}"
    f".{CLASS} td.eflg-num{{text-align:left;}}"  # (a number under its name, not at the far side)
    f".{CLASS} [data-label]::before{{content:attr(data-label);display:block;font-size:0.875rem;"
    "font-weight:700;color:#505a5f;}"
)

STYLE = (
    f".{CLASS}{{width:100%;border-collapse:collapse;margin:0 0 1rem;font-size:1rem;"
    "line-height:1.5;}"
    f".{CLASS} th,.{CLASS} td{{border-bottom:1px solid #b1b4b6;padding:0.5rem 1rem 0.5rem 0;"
    "text-align:left;vertical-align:top;overflow-wrap:break-word;}"
    f".{CLASS} th{{font-weight:700;}}"
    f".{CLASS} .eflg-num{{text-align:right;}}"
    f".{CLASS} .eflg-long{{overflow-wrap:anywhere;}}"
    # On a narrow screen (a phone, or 1280 px at 400 % zoom: WCAG 1.4.10 reflow), and in a
    # narrow space (each HTML block holding a table is a container whose width is asked), each
    # row is a card. Nothing runs off the side.
    f"@media (max-width:{NARROW}){{{_CARDS}}}"
    f".stHtml:has(.{CLASS}){{container-type:inline-size;}}"
    f"@container (max-width:{NARROW_SPACE}){{{_CARDS}}}"
    # An icon is drawn from its name by the icon font, as generated content: copying a table or
    # a figure copies its words only, never "check_circle" (and screen readers skip it).
    ".eflg-icon{font-family:'Material Symbols Rounded';font-weight:400;font-style:normal;"
    "font-size:1.25em;line-height:1;display:inline-block;vertical-align:-0.25em;"
    "font-feature-settings:'liga';white-space:nowrap;}"
    ".eflg-icon::before{content:attr(data-icon);}"
    + "".join(f".eflg-icon-{name}{{color:{colour};}}" for name, colour in ICON_COLOURS.items())
    # Headline figures: label above a large number, side by side, wrapping on narrow screens.
    # (".stHtml dl" outweighs Streamlit's own indent for lists inside HTML blocks.)
    + ".stHtml dl.eflg-figures{display:grid;gap:0.5rem 1rem;margin:0 0 1rem;padding:0;"
    "grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));}"
    # (numbers in one row line up even when a label runs to two lines)
    ".eflg-figures>div{display:flex;flex-direction:column;}"
    ".eflg-figures dt{font-size:0.875rem;line-height:1.5;margin:0 0 0.25rem;}"
    ".eflg-figures dd{font-size:2.25rem;line-height:1.2;margin:auto 0 0;}"
    ".eflg-compact dd{font-size:1.75rem;}.stHtml dl.eflg-compact{margin-bottom:0.5rem;}"
    # Sections drawn as one block look like Streamlit's own headers and captions.
    ".stHtml .eflg-h2{font-size:2.25rem;font-weight:600;line-height:1.2;letter-spacing:-0.005em;"
    "padding:1rem 0;margin:0;}"
    ".stHtml .eflg-h3{font-size:1.75rem;font-weight:600;line-height:1.2;letter-spacing:-0.005em;"
    "padding:0.75rem 0 1rem;margin:0;}"
    ".stHtml .eflg-caption{font-size:0.875rem;line-height:1.6;color:#505a5f;margin:0 0 1rem;}"
    ".stHtml .eflg-caption.eflg-tight{margin:0;}"
    ".stHtml .eflg-section p{margin:0 0 1rem;}"
    ".stHtml p.eflg-lead{font-size:1.25rem;font-weight:600;line-height:1.4;margin:0;}"
    # The progress filters two to a row on a phone (the plan on a row of its own), where
    # Streamlit would stack all four and push the figures below the first screen.
    f"@media {PHONE}{{.st-key-eflg-filters [data-testid=stHorizontalBlock]"
    "{flex-wrap:wrap;gap:0 0.75rem;}"
    ".st-key-eflg-filters [data-testid=stColumn]{flex:1 1 calc(50% - 0.75rem)!important;"
    "min-width:calc(50% - 0.75rem)!important;width:auto!important;}"
    ".st-key-eflg-filters [data-testid=stColumn]:first-child{flex-basis:100%!important;}"
    # A phone's first screen holds the answer: the page title and the opening sentence a size
    # smaller there (a title of two lines and a sentence of four pushed the bars off it).
    "[data-testid=stMain] h1{font-size:2rem!important;padding-top:0.5rem!important;}"
    ".stHtml p.eflg-lead{font-size:1.0625rem;}"
    ".stHtml dl.eflg-compact{gap:0.25rem 1rem;}.eflg-compact dd{font-size:1.5rem;}}"
)

_ICON = re.compile(
    r":(?P<colour>[a-z]+)\[:material/(?P<a>[a-z0-9_]+):\]"  # ":red[:material/error:]"
    r"|:material/(?P<b>[a-z0-9_]+):"  # ":material/check_circle:"
)


def _icon(match: re.Match[str]) -> str:
    name = match["a"] or match["b"]
    colour = match["colour"]
    css = "eflg-icon" + (f" eflg-icon-{colour}" if colour in ICON_COLOURS else "")
    return f'<span class="{css}" data-icon="{name}" aria-hidden="true"></span>'


def with_icons(text: str) -> str:
    """The app's own label (words plus ":material/…:" icons) as HTML; everything else escaped."""
    out, last = [], 0
    for match in _ICON.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(_icon(match))
        last = match.end()
        if text.startswith(" ", last):  # the icon stays on the line of the word after it
            out.append("&nbsp;")
            last += 1
    out.append(html.escape(text[last:]))
    return "".join(out)


def figures(items: Iterable[tuple[str, object]], *, compact: bool = False) -> str:
    """Headline figures as a description list: each label (the app's own words, icons allowed)
    with its figure under it. A screen reader reads each pair together, as "Issues: 32".
    ``compact`` figures are a size smaller, for a first screen that must hold more."""
    pairs = "".join(
        f"<div><dt>{with_icons(label)}</dt><dd>{html.escape(str(value))}</dd></div>"
        for label, value in items
    )
    css = "eflg-figures eflg-compact" if compact else "eflg-figures"
    return f'<dl class="{css}">{pairs}</dl>'


def section(
    title: str,
    *,
    subtitle: str | None = None,
    caption: str | None = None,
    body: str = "",
    level: int = 2,
) -> str:
    """A page section as one block: its heading (h2, or h3 with ``level=3``), a subheading (h3),
    a caption in small print, then ``body`` (HTML from `to_html` or `paragraph`). The words are
    escaped."""
    parts = [f'<h{level} class="eflg-h{level}">{html.escape(title)}</h{level}>']
    if subtitle:
        parts.append(f'<h3 class="eflg-h3">{html.escape(subtitle)}</h3>')
    if caption:
        parts.append(small_print(caption))
    return '<div class="eflg-section">' + "".join(parts) + body + "</div>"


def small_print(text: str, *, tight: bool = False) -> str:
    """Small print under a heading or figures, as Streamlit's captions look; ``tight`` without
    the space below it (the element's own gap is enough)."""
    css = "eflg-caption eflg-tight" if tight else "eflg-caption"
    return f'<p class="{css}">{html.escape(text)}</p>'


def lead_paragraph(text: str) -> str:
    """The sentence that opens a page's findings, larger than the text around it."""
    return f'<p class="eflg-lead">{html.escape(text)}</p>'


def paragraph_link(text: str, address: str) -> str:
    """A link of its own on a line, to one of the app's pages (same tab)."""
    return f'<p class="eflg-link">{link(html.escape(text), address)}</p>'


def paragraph(text: str) -> str:
    """A sentence or two, shown exactly as written."""
    return f"<p>{html.escape(text)}</p>"


def _blank(value: object) -> bool:
    """A missing value (None, NaN, NA, NaT), shown as an empty cell."""
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and math.isnan(value))
    )


def _cell(value: object) -> str:
    if _blank(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return html.escape(str(value))


_LONG_WORD = re.compile(r"\S{40}")  # a web address, say: may break anywhere rather than overflow


def _td(value: object, label: str) -> str:
    text = _cell(value)
    css = ' class="eflg-long"' if _LONG_WORD.search(text) else ""
    return f'<td role="cell" {label}{css}>{text}</td>'


class UnsafeLink(Refused):
    """A link the app did not make: only its own pages, by a relative address, are linked."""


# A page of the app ("issue"), or a published version's folder ("published/3/").
_PAGE_PATH = re.compile(r"[a-z][a-z0-9_]*(?:/[0-9]+/)?")


def href(page: str, params: Mapping[str, object] | None = None) -> str:
    """The address of one of the app's own pages (its url path, "issue", "themes") with its
    query, relative so the app works behind a proxy under a path of its own. Values are
    percent-encoded; a page name that is not a plain path is refused (UnsafeLink)."""
    if not _PAGE_PATH.fullmatch(page):
        raise UnsafeLink(f"not a page of the app: {page!r}")
    query = urlencode({k: str(v) for k, v in (params or {}).items() if v is not None})
    return page + (f"?{query}" if query else "")


def safe_href(address: str) -> str:
    """``address`` if it is a relative address of the app's own (as `href` makes), else
    UnsafeLink: no scheme, no host, no "//" or backslash, nothing a person typed."""
    page = address.split("?", 1)[0]
    if not _PAGE_PATH.fullmatch(page) or any(c in address for c in "\\\"'<> \n\r\t"):
        raise UnsafeLink(f"not an address of the app: {address!r}")
    return address


def link(text: str, address: str) -> str:
    """A link to one of the app's pages; the words escaped, the address checked."""
    return f'<a href="{html.escape(safe_href(address))}" target="_self">{text}</a>'


def to_html(
    frame: pd.DataFrame,
    *,
    icons: Iterable[str] = (),
    row_headers: bool = False,
    links: Mapping[str, Sequence[str | None]] | None = None,
    sort: str | None = None,
    descending: bool = False,
    keys: Mapping[str, Sequence[object]] | None = None,
) -> str:
    """One table: a header row of the column names, then one row per row of ``frame``. With
    ``row_headers`` the first column names its row (<th scope="row">), as in a key or a count.
    ``links`` maps a column to one address per row (from `href`; None for no link): that
    column's cell becomes a link to the row's own page.

    With ``sort`` (a column name) the rows are shown in that column's order (`sort_order`:
    numbers as numbers, dates as dates, percentages by value, blanks last), ``descending`` for
    largest or latest first, and the column's header says so to screen readers (aria-sort).
    ``keys`` gives a column hidden values to sort by instead of its words (one per row).

    Every cell carries its column's name (data-label): on a narrow screen (a phone, or 400 %
    zoom) each row is shown as a card, each value under its column's name (see STYLE)."""
    icon_columns = set(icons)
    links = dict(links or {})
    for column, addresses in links.items():
        if column not in frame.columns or len(addresses) != len(frame):
            raise ValueError(f"links for {column!r} do not match the table")
    if sort is not None:
        order = sort_order(frame, sort, descending=descending, keys=keys)
        frame = frame.iloc[order]
        links = {column: [addresses[i] for i in order] for column, addresses in links.items()}
    numeric = numeric_columns(frame)

    def head(column: str) -> str:
        css = ' class="eflg-num"' if column in numeric else ""
        if column == sort:
            css += f' aria-sort="{"descending" if descending else "ascending"}"'
        return f'<th scope="col" role="columnheader"{css}>{html.escape(str(column))}</th>'

    labels = [html.escape(str(column), quote=True) for column in frame.columns]
    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None)):
        cells = []
        for position, (column, value) in enumerate(zip(frame.columns, values, strict=True)):
            label = f'data-label="{labels[position]}"'
            if row_headers and position == 0:
                cell = f'<th scope="row" role="rowheader" {label}>{_cell(value)}</th>'
            elif column in icon_columns and isinstance(value, str):
                cell = f'<td role="cell" {label}>{with_icons(value)}</td>'
            elif column in numeric:
                cell = f'<td role="cell" {label} class="eflg-num">{_cell(value)}</td>'
            else:
                cell = _td(value, label)
            address = links[column][number] if column in links else None
            if address:
                opened = cell.index(">") + 1
                closed = cell.rindex("<")
                cell = cell[:opened] + link(cell[opened:closed], address) + cell[closed:]
            cells.append(cell)
        rows.append('<tr role="row">' + "".join(cells) + "</tr>")
    # (The roles repeat what the elements say: a narrow screen shows the rows as cards, and some
    # browsers forget a table is a table once its parts are no longer laid out as one.)
    return (
        f'<table class="{CLASS}" role="table"><thead role="rowgroup"><tr role="row">'
        + "".join(head(str(c)) for c in frame.columns)
        + '</tr></thead><tbody role="rowgroup">'
        + "".join(rows)
        + "</tbody></table>"
    )


def numeric_columns(frame: pd.DataFrame) -> set[str]:
    """The columns holding numbers (not yes/no): right-aligned, and numbers in a download."""
    return {
        str(column)
        for column, kind in frame.dtypes.items()
        if pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)
    }


# Sorting: what a cell's words stand for, so that "9%" comes before "10%", "2 Dec 2026" after
# "30 Nov 2026" and ref "4.2" before "4.10".
_PERCENT = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s?%")
_MONTHS = {name.casefold(): n for names in (words._SHORT, words._FULL) for n, name in
           enumerate(names, start=1)}  # fmt: skip
_DAY = re.compile(
    r"(?:(?P<hour>\d{1,2}):(?P<minute>\d{2}) on )?(?:(?P<day>\d{1,2}) )?"
    r"(?P<month>[A-Za-z]{3,9}) (?P<year>\d{4})"
)
_DIGITS = re.compile(r"(\d+)")
SortKey = tuple[int, float] | tuple[int, tuple[tuple[int, int | str], ...]]


def sort_key(value: object) -> SortKey | None:
    """What a cell sorts by: a number (numbers, "12", "33%", "33% (2 of 6)"), then a date
    ("23 Nov 2026", "14:05 on 23 Nov 2026", "June 2008"), then words in natural order (digits as
    numbers, case ignored; icons left out). None for a blank cell (blanks go last)."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return (2, ((1, str(value)),))
    if isinstance(value, int | float):
        return (0, float(value))
    if isinstance(value, datetime | date):
        moment = value if isinstance(value, datetime) else datetime.combine(value, time())
        return (1, moment.toordinal() + (moment.hour * 60 + moment.minute) / 1440)
    text = plain_words(str(value))
    if not text:
        return None
    if percent := _PERCENT.match(text):
        return (0, float(percent[1]))
    if (day := _DAY.fullmatch(text)) and day["month"].casefold() in _MONTHS:
        try:
            moment = datetime(
                int(day["year"]),
                _MONTHS[day["month"].casefold()],
                int(day["day"] or 1),
                int(day["hour"] or 0),
                int(day["minute"] or 0),
            )
        except ValueError:
            pass
        else:
            return (1, moment.toordinal() + (moment.hour * 60 + moment.minute) / 1440)
    parts = tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in _DIGITS.split(text.casefold())
        if part
    )
    return (2, parts)


def sort_order(
    frame: pd.DataFrame,
    column: str,
    *,
    descending: bool = False,
    keys: Mapping[str, Sequence[object]] | None = None,
) -> list[int]:
    """The row positions of ``frame`` in ``column``'s order (`sort_key`, or the column's hidden
    ``keys``), rows of equal value kept as they were, blank cells last either way."""
    values = list((keys or {}).get(column, frame[column].tolist()))
    if len(values) != len(frame):
        raise ValueError(f"sort keys for {column!r} do not match the table")
    ranked = [(sort_key(v), i) for i, v in enumerate(values)]
    filled = [(k, i) for k, i in ranked if k is not None]
    filled.sort(key=lambda pair: pair[0], reverse=descending)  # (stable, either way)
    return [i for _, i in filled] + [i for k, i in ranked if k is None]


def plain_words(text: str) -> str:
    """The app's own label without its icons: the words a person reads ("Red – overdue")."""
    return _ICON.sub("", text).replace("\xa0", " ").strip()


def column_param(column: str) -> str:
    """A column's name as it is written in the address bar: "Due by" → "due-by"."""
    return re.sub(r"[^a-z0-9]+", "-", column.casefold()).strip("-") or "column"


# Downloads: exactly the table shown, as words (no icons, no markup), formula-like cells
# neutralised (sheets.neutralise, the rule the plan export uses).


def _shown_rows(frame: pd.DataFrame, icons: Iterable[str]) -> list[list[object]]:
    icon_columns = set(icons)
    rows: list[list[object]] = []
    for values in frame.itertuples(index=False, name=None):
        row: list[object] = []
        for column, value in zip(frame.columns, values, strict=True):
            if _blank(value):
                row.append("")
            elif isinstance(value, float) and value.is_integer():
                row.append(int(value))
            elif isinstance(value, str):
                row.append(plain_words(value) if column in icon_columns else value)
            else:
                row.append(value)
        rows.append(row)
    return rows


def to_csv(frame: pd.DataFrame, *, icons: Iterable[str] = ()) -> bytes:
    """The table as CSV (UTF-8 with the mark Excel looks for, so "–" and "£" open as written):
    its column names, then each row's words as shown; cells neutralised (sheets.rows_to_csv)."""
    columns = [str(c) for c in frame.columns]
    rows = [
        {c: _csv_text(v) for c, v in zip(columns, row, strict=True)}
        for row in _shown_rows(frame, icons)
    ]
    return sheets.rows_to_csv(rows, columns).encode("utf-8-sig")


def _csv_text(value: object) -> str:
    if isinstance(value, datetime):
        return words.time_text(value)
    if isinstance(value, date):
        return words.day_text(value)
    return str(value)


_NUMBER_TEXT = re.compile(r"-?\d+(?:\.\d+)?")
_WIDEST = 60  # characters: a longer cell wraps in a column this wide


def to_xlsx(frame: pd.DataFrame, *, icons: Iterable[str] = (), title: str = "Table") -> bytes:
    """The table as a workbook of one sheet: bold, frozen column names with a filter on them,
    columns as wide as their words (up to 60 characters, longer text wrapped), numbers stored
    as numbers, "33%" as the number 0.33 shown as a percentage, dates as dates; text cells
    neutralised so that none runs as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = re.sub(r"[\\/*?:\[\]]", " ", title)[:31] or "Table"
    columns = [str(c) for c in frame.columns]
    sheet.append(columns)
    widths = [len(c) for c in columns]
    shown_rows = _shown_rows(frame, icons)
    # A column of written numbers ("12") is stored as numbers, unless one of them would change
    # (a ref such as "4.10" is words, not the number 4.1).
    numbers = [
        all(_number_text(row[position]) for row in shown_rows if row[position] != "")
        for position in range(len(columns))
    ]
    for row in shown_rows:
        made = [_xlsx_cell(value, numbers[n]) for n, value in enumerate(row)]
        sheet.append([value for value, _, _ in made])
        for cell, (_, number_format, _words) in zip(sheet[sheet.max_row], made, strict=True):
            if number_format:
                cell.number_format = number_format
        widths = [max(w, len(shown)) for w, (_, _, shown) in zip(widths, made, strict=True)]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for position, width in enumerate(widths, start=1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = min(width, _WIDEST) + 2
        if width > _WIDEST:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=position, max_col=position):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number_text(value: object) -> bool:
    """Whether ``value`` is a number, or a number written as words that reads back the same."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    text = str(value)
    if not _NUMBER_TEXT.fullmatch(text):
        return False
    return str(float(text) if "." in text else int(text)) == text


def _xlsx_cell(value: object, numbers: bool) -> tuple[object, str | None, str]:
    """A cell's value in a workbook, its number format (None for the usual) and its words."""
    if isinstance(value, bool):
        return ("Yes" if value else "No"), None, "Yes"
    if isinstance(value, int | float):
        return value, None, str(value)
    if isinstance(value, datetime):
        local = words.uk_time(value).replace(tzinfo=None)
        return local, "hh:mm d mmm yyyy", words.time_text(value)
    if isinstance(value, date):
        return value, "d mmm yyyy", words.day_text(value)
    text = str(value)
    if numbers and _number_text(text):
        return (float(text) if "." in text else int(text)), None, text
    if percent := _PERCENT.fullmatch(text):
        number = float(percent[1]) / 100
        return number, ("0%" if number * 100 == int(number * 100) else "0.0%"), text
    day = _DAY.fullmatch(text)
    if day and day["day"] and not day["hour"] and day["month"].casefold() in _MONTHS:
        try:
            return (
                date(int(day["year"]), _MONTHS[day["month"].casefold()], int(day["day"])),
                "d mmm yyyy",
                text,
            )
        except ValueError:
            pass
    return sheets.neutralise(text), None, text
