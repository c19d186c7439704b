"""Read the app's HTML tables back as a person (or a screen reader) meets them.

Pages draw tables with `widgets.table` as one block of HTML; these helpers turn each block back
into a DataFrame of the text shown: decorative icons (aria-hidden) are left out, right-aligned
number cells come back as numbers.
"""

import re
from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[object]]]] = []
        self._cell: list[str] | None = None
        self._number = False
        self._hidden = 0
        self._row: list[object] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if self._hidden or attributes.get("aria-hidden") == "true":
            self._hidden += 1
        elif tag == "table":
            self.tables.append(([], []))
        elif tag == "tr":
            self._row = []
        elif tag in ("th", "td"):
            self._cell = []
            self._number = "eflg-num" in (attributes.get("class") or "")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden -= 1
            return
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell).replace("\xa0", " ").strip()
            value: object = text
            if self._number and tag == "td" and text:
                value = float(text) if "." in text else int(text)
            self._row.append(value)
            self._cell = None
        elif tag == "tr":
            header, rows = self.tables[-1]
            if header:
                rows.append(self._row)
            else:
                header.extend(str(v) for v in self._row)

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def read_tables(markup: str) -> list[pd.DataFrame]:
    reader = _Reader()
    reader.feed(markup)
    return [pd.DataFrame(rows, columns=header) for header, rows in reader.tables]


def tables(at: AppTest) -> list[pd.DataFrame]:
    """Every table on the page, top to bottom."""
    return [t for block in at.html if "<table" in block.value for t in read_tables(block.value)]


class _TextReader(HTMLParser):
    """The words of HTML blocks as read aloud (aria-hidden icons left out), their headings and
    their headline figures (<dt> label → <dd> figure)."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.figures: dict[str, str] = {}
        self._hidden = 0
        self._open: str | None = None  # a heading, dt or dd being read
        self._words: list[str] = []
        self._label = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden or dict(attrs).get("aria-hidden") == "true":
            self._hidden += 1
        elif re.fullmatch(r"h[1-6]|dt|dd", tag):
            self._open, self._words = tag, []

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden -= 1
            return
        if tag != self._open:
            return
        words = " ".join("".join(self._words).split())
        if tag == "dt":
            self._label = words
        elif tag == "dd":
            self.figures[self._label] = words
        else:
            self.headings.append((int(tag[1]), words))
        self._open = None

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            text = data.replace("\xa0", " ")
            self.text.append(text)
            if self._open is not None:
                self._words.append(text)


def _read_blocks(at: AppTest) -> _TextReader:
    reader = _TextReader()
    for block in at.html:
        reader.feed(block.value + " ")
    return reader


def html_text(at: AppTest) -> str:
    """Every word shown in the page's HTML blocks (sections, tables, figures)."""
    return " ".join(" ".join(_read_blocks(at).text).split())


def figures(at: AppTest) -> dict[str, str]:
    """The page's headline figures, label (its words) → figure as shown."""
    return _read_blocks(at).figures


def html_headings(at: AppTest, level: int) -> list[str]:
    """The headings of one level (2 for h2, …) inside the page's HTML blocks, top to bottom."""
    return [text for n, text in _read_blocks(at).headings if n == level]


def words(label: str) -> str:
    """An app label such as ":green[:material/check_circle:] Green – on track" as a table cell
    reads: the words, without the decorative icon."""
    return re.sub(r"(:[a-z]+\[)?:material/[a-z0-9_]+:\]?\s*", "", label)
