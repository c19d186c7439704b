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
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlencode

import pandas as pd

CLASS = "eflg-table"

# Colours for icons, each at least 4.5:1 on white (more than the 3:1 non-text contrast needs).
ICON_COLOURS = {
    "red": "#b3261e",
    "orange": "#8a4b00",
    "green": "#00703c",
    "blue": "#1d70b8",
    "gray": "#505a5f",
}

STYLE = (
    f".{CLASS}{{width:100%;border-collapse:collapse;margin:0 0 1rem;font-size:1rem;"
    "line-height:1.5;}"
    f".{CLASS} th,.{CLASS} td{{border-bottom:1px solid #b1b4b6;padding:0.5rem 1rem 0.5rem 0;"
    "text-align:left;vertical-align:top;overflow-wrap:break-word;}"
    f".{CLASS} th{{font-weight:700;}}"
    f".{CLASS} .eflg-num{{text-align:right;}}"
    f".{CLASS} .eflg-long{{overflow-wrap:anywhere;}}"
    ".eflg-icon{font-family:'Material Symbols Rounded';font-weight:400;font-style:normal;"
    "font-size:1.25em;line-height:1;display:inline-block;vertical-align:-0.25em;"
    "font-feature-settings:'liga';white-space:nowrap;}"
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
    ".stHtml .eflg-section p{margin:0 0 1rem;}"
    ".stHtml p.eflg-lead{font-size:1.25rem;font-weight:600;line-height:1.4;margin:0;}"
    # The progress filters two to a row on a phone (the plan on a row of its own), where
    # Streamlit would stack all four and push the figures below the first screen.
    "@media (max-width:640px){.st-key-eflg-filters [data-testid=stHorizontalBlock]"
    "{flex-wrap:wrap;gap:0 0.75rem;}"
    ".st-key-eflg-filters [data-testid=stColumn]{flex:1 1 calc(50% - 0.75rem)!important;"
    "min-width:calc(50% - 0.75rem)!important;width:auto!important;}"
    ".st-key-eflg-filters [data-testid=stColumn]:first-child{flex-basis:100%!important;}}"
)

_ICON = re.compile(
    r":(?P<colour>[a-z]+)\[:material/(?P<a>[a-z0-9_]+):\]"  # ":red[:material/error:]"
    r"|:material/(?P<b>[a-z0-9_]+):"  # ":material/check_circle:"
)


def _icon(match: re.Match[str]) -> str:
    name = match["a"] or match["b"]
    colour = match["colour"]
    css = "eflg-icon" + (f" eflg-icon-{colour}" if colour in ICON_COLOURS else "")
    return f'<span class="{css}" aria-hidden="true">{name}</span>'


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


def small_print(text: str) -> str:
    """Small print under a heading or figures, as Streamlit's captions look."""
    return f'<p class="eflg-caption">{html.escape(text)}</p>'


def lead_paragraph(text: str) -> str:
    """The sentence that opens a page's findings, larger than the text around it."""
    return f'<p class="eflg-lead">{html.escape(text)}</p>'


def paragraph_link(text: str, address: str) -> str:
    """A link of its own on a line, to one of the app's pages (same tab)."""
    return f'<p class="eflg-link">{link(html.escape(text), address)}</p>'


def paragraph(text: str) -> str:
    """A sentence or two, shown exactly as written."""
    return f"<p>{html.escape(text)}</p>"


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return html.escape(str(value))


_LONG_WORD = re.compile(r"\S{40}")  # a web address, say: may break anywhere rather than overflow


def _td(value: object) -> str:
    text = _cell(value)
    return f'<td class="eflg-long">{text}</td>' if _LONG_WORD.search(text) else f"<td>{text}</td>"


class UnsafeLink(ValueError):
    """A link the app did not make: only its own pages, by a relative address, are linked."""


_PAGE_PATH = re.compile(r"[a-z][a-z0-9_]*")


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
) -> str:
    """One table: a header row of the column names, then one row per row of ``frame``. With
    ``row_headers`` the first column names its row (<th scope="row">), as in a key or a count.
    ``links`` maps a column to one address per row (from `href`; None for no link): that
    column's cell becomes a link to the row's own page."""
    icon_columns = set(icons)
    links = dict(links or {})
    for column, addresses in links.items():
        if column not in frame.columns or len(addresses) != len(frame):
            raise ValueError(f"links for {column!r} do not match the table")
    numeric = {
        column
        for column, kind in frame.dtypes.items()
        if pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind)
    }

    def head(column: str) -> str:
        css = ' class="eflg-num"' if column in numeric else ""
        return f'<th scope="col"{css}>{html.escape(str(column))}</th>'

    rows = []
    for number, values in enumerate(frame.itertuples(index=False, name=None)):
        cells = []
        for position, (column, value) in enumerate(zip(frame.columns, values, strict=True)):
            if row_headers and position == 0:
                cell = f'<th scope="row">{_cell(value)}</th>'
            elif column in icon_columns and isinstance(value, str):
                cell = f"<td>{with_icons(value)}</td>"
            elif column in numeric:
                cell = f'<td class="eflg-num">{_cell(value)}</td>'
            else:
                cell = _td(value)
            address = links[column][number] if column in links else None
            if address:
                opened = cell.index(">") + 1
                closed = cell.rindex("<")
                cell = cell[:opened] + link(cell[opened:closed], address) + cell[closed:]
            cells.append(cell)
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="{CLASS}"><thead><tr>'
        + "".join(head(str(c)) for c in frame.columns)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )
