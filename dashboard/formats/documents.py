"""Word (.docx) and PDF plans read as the same rows of text a sheet gives (sheets.Table), so the
importer reads a council's document as it is.

* Word: the body is read in order. Paragraphs before the first table are title lines; a heading
  (a Heading or Title style, or a short paragraph all in bold) between tables is a theme or
  section row of the rows below it. A table's cell is its paragraphs joined by line breaks (a
  table inside a cell read in place); a cell merged across columns keeps its text once, in its
  first column (so a heading merged across the table is a section row), and a cell merged down
  several rows is copied into each of them, as a workbook's merged cells are. Tables one after
  another are one table: a header they repeat is skipped by the layout.
* PDF (with a text layer): ruled tables are found on each page (else tables whose columns line
  up), and joined across pages; headings and titles above a page's table are rows of their own;
  lines that repeat on every page (running headers, page numbers) are left out.
* A document with no table at all is read as labelled blocks of text (formats.blocks).

Every refusal is an ImportFileError in plain words: a macro-enabled or password-protected
document, a zip archive that expands far past its size, a PDF that is only scanned images, more
pages than any plan has, a damaged file. Each row's place in the document ("table 2, row 3";
"page 4, table 1, row 3") is in Table.places, for problems to name.
"""

import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from dashboard.formats import blocks
from dashboard.formats.sheets import (
    MEGABYTE,
    OLE_MAGIC,
    ZIP_MAGIC,
    ImportFileError,
    Limits,
    Problem,
    Row,
    Table,
    _Collector,
    _mb,
    expanded_size,
)

NO_TABLE = "No table of actions was found in this document."
MACRO_DOCUMENT = (
    "This is a macro-enabled Word document (.docm or .dotm). For safety it cannot be "
    "imported: save it as an ordinary Word document (.docx) and try again."
)
OLD_WORD = (
    "This is an old-style Word file (.doc). Save it as a Word document (.docx) and try again."
)
_WORD_DAMAGED = "The Word document could not be opened; it is damaged or not a valid .docx."
_PDF_DAMAGED = "The PDF file could not be read; it is damaged or not a valid PDF."
_SHORT_HEADING = 120  # a paragraph all in bold up to this long reads as a heading


# ---------------------------------------------------------------- what a document holds


@dataclass
class _Text:
    """A paragraph outside the tables, and where it is."""

    paragraph: blocks.Paragraph
    place: str
    title_style: bool = False  # Word's Title style (never a section)

    @property
    def heading_like(self) -> bool:
        p = self.paragraph
        return bool(p.text) and (
            p.heading is not None or (p.bold and len(p.text) <= _SHORT_HEADING)
        )


@dataclass
class _Grid:
    """One table: its rows of cell text and each row's place."""

    rows: list[list[str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)


def _assemble(items: Sequence[_Text | _Grid], limits: Limits) -> Table:
    """The document's rows: title lines, then the tables' rows with the headings between them.

    A heading directly above the first table, when later tables have headings of their own
    above them or the table has section rows of its own, is the first table's section: it goes
    under the table's header row, where the layout reads a section heading."""
    grids = [i for i, item in enumerate(items) if isinstance(item, _Grid)]
    first = grids[0]
    moved: _Text | None = None
    above = items[first - 1] if first > 0 else None
    if (
        isinstance(above, _Text)
        and above.heading_like
        and not above.title_style
        and first > 1
        and (
            any(isinstance(items[g - 1], _Text) and items[g - 1].heading_like for g in grids[1:])  # type: ignore[union-attr]
            or _has_section_rows(items[first])  # type: ignore[arg-type]
        )
    ):
        moved = above
    out: list[tuple[list[str], str]] = []
    for index, item in enumerate(items):
        if isinstance(item, _Text):
            if item is moved:
                continue
            if index < first or (item.heading_like and index < grids[-1]):
                out.append(([item.paragraph.text], item.place))
            continue
        for position, (cells, place) in enumerate(zip(item.rows, item.places, strict=True)):
            out.append((cells, place))
            if moved is not None and index == first and position == 0:
                out.append(([moved.paragraph.text], moved.place))
    return _table(out, limits)


def _has_section_rows(grid: _Grid) -> bool:
    """Below its first row, a row with only its first cell filled (in a table of more than
    one column): a heading of the rows under it."""
    width = max((len(cells) for cells in grid.rows), default=0)
    return width > 1 and any(
        len(cells) >= 1 and cells[0] and not any(cells[1:]) for cells in grid.rows[1:]
    )


def _table(rows: Sequence[tuple[Sequence[str], str]], limits: Limits) -> Table:
    """Rows numbered 1..N through the document, each cell kept within the limits."""
    collector = _Collector(limits, "")
    kept: list[Row] = []
    places: dict[int, str] = {}
    for cells, place in rows:
        number = len(kept) + 1
        values = {
            i: collector.cell(number, i, text, place or None)
            for i, text in enumerate(cells)
            if text
        }
        row = collector.row(number, values)
        if row is not None:
            kept.append(Row(number, tuple(row)))
            if place:
                places[number] = place
    return Table(None, (), tuple(kept), tuple(collector.notes(places)), places=places)


def _from_paragraphs(paragraphs: Sequence[blocks.Paragraph], limits: Limits) -> Table:
    rows = blocks.rows_from_paragraphs(paragraphs)
    if not rows:
        raise ImportFileError(NO_TABLE)
    return _table([(list(row), "") for row in rows], limits)


# ---------------------------------------------------------------- Word

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)
_TRUE = (None, "1", "true", "on")


def _open_docx(data: bytes, limits: Limits) -> None:
    """Refuse a file that is not a plain Word document before python-docx opens it: a password
    (an OLE file), macros, or a zip archive that expands far past its size."""
    if data.startswith(OLE_MAGIC):
        raise ImportFileError(
            "This Word document is password-protected (or saved in the old .doc format), so it "
            "could not be opened. Remove the password, or save it as a Word document (.docx), "
            "and try again."
        )
    if not data.startswith(ZIP_MAGIC):
        raise ImportFileError(_WORD_DAMAGED)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename.lower() for m in members}
            types = b""
            if "[content_types].xml" in names:
                item = next(m for m in members if m.filename.lower() == "[content_types].xml")
                if item.file_size > limits.max_uncompressed_bytes:
                    raise ImportFileError(_WORD_DAMAGED)
                types = archive.read(item)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError) as exc:
        raise ImportFileError(_WORD_DAMAGED) from exc
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroenabled" in types.lower():
        raise ImportFileError(
            "This Word document contains macros. For safety it cannot be imported: save it as "
            "an ordinary Word document (.docx) without macros and try again."
        )
    if "word/document.xml" not in names:
        raise ImportFileError(
            "The file could not be opened as a Word document; it is not a .docx file."
        )
    text_part = next(m for m in members if m.filename.lower() == "word/document.xml")
    if text_part.file_size > limits.max_document_text_bytes:
        raise ImportFileError(
            f"The Word document's text expands to {_mb(text_part.file_size)} when opened, far "
            "more than a plan needs. It was not opened; split the plan into smaller files."
        )
    total = expanded_size(members, len(data), limits)
    if total is not None:
        raise ImportFileError(
            f"The Word document expands to {_mb(total)} from {_mb(len(data))} when opened, "
            "which is far more than a plan needs (it may be a 'zip bomb'). It was not opened."
        )


def read_docx(data: bytes, limits: Limits) -> Table:
    """A Word document's rows, in the order the body holds them."""
    _open_docx(data, limits)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        styles = _Styles(document)
        items = list(_word_items(document.element.body, styles, limits))
    except ImportFileError:
        raise
    except Exception as exc:  # python-docx and lxml raise many kinds on damaged parts
        raise ImportFileError(_WORD_DAMAGED) from exc
    if not any(isinstance(i, _Grid) for i in items):
        table = _from_paragraphs([i.paragraph for i in items if isinstance(i, _Text)], limits)
    else:
        table = _assemble(items, limits)
    hidden = any(_hidden_run(r) for r in document.element.body.iter(f"{_W}r"))
    if hidden:
        table = replace(table, notes=(*table.notes, Problem(None, None, None, HIDDEN_TEXT)))
    return table


class _Styles:
    """Each paragraph style's heading level, boldness and list-ness (through the styles it is
    based on)."""

    def __init__(self, document: Any) -> None:
        self.level: dict[str, int] = {}
        self.title: set[str] = set()
        self.bold: set[str] = set()
        self.listed: set[str] = set()
        for style in document.styles:
            style_id = getattr(style, "style_id", None)
            if not style_id:
                continue
            chain: list[str] = []
            current, bold = style, None
            while current is not None and len(chain) < 20:
                chain.append(str(current.name or ""))
                font = getattr(current, "font", None)
                if bold is None and font is not None:
                    bold = font.bold
                current = getattr(current, "base_style", None)
            for name in chain:
                found = _HEADING_NAME.fullmatch(name.strip())
                if found:
                    self.level.setdefault(style_id, int(found[1]))
                elif name.strip().lower() in ("title",):
                    self.level.setdefault(style_id, 1)
                    self.title.add(style_id)
                if name.strip().lower().startswith("list"):
                    self.listed.add(style_id)
            if bold:
                self.bold.add(style_id)


# What a paragraph holds that Word does not show as its text: deleted (tracked) text, text
# moved away, a drawing's fallback copy, and the paragraph's and runs' formatting.
_UNSEEN = (f"{_W}del", f"{_W}moveFrom", f"{_MC}Fallback", f"{_W}pPr", f"{_W}rPr")


def _paragraph_text(p: Any) -> str:
    """A paragraph's text as Word shows it: runs (in hyperlinks, fields and insertions too),
    tabs and line breaks; deleted text, field codes and a drawing's fallback copy left out."""
    parts: list[str] = []

    def walk(element: Any) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == f"{_W}t":
                parts.append(child.text or "")
            elif tag == f"{_W}tab":
                parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
            elif tag not in _UNSEEN and not (tag == f"{_W}r" and _hidden_run(child)):
                walk(child)

    walk(p)
    return "".join(parts)


def _hidden_run(run: Any) -> bool:
    """A run formatted as hidden text (Word shows it only when asked to)."""
    vanish = run.find(f"{_W}rPr/{_W}vanish")
    return vanish is not None and vanish.get(f"{_W}val") in _TRUE


HIDDEN_TEXT = (
    "Some of the document's text is formatted as hidden (Word shows it only when asked to), "
    "so it was left out."
)


def _style_id(p: Any) -> str:
    style = p.find(f"{_W}pPr/{_W}pStyle")
    return str(style.get(f"{_W}val", "")) if style is not None else ""


def _word_paragraph(p: Any, styles: _Styles) -> tuple[blocks.Paragraph, bool]:
    text = " ".join(_paragraph_text(p).split())
    style = _style_id(p)
    level = styles.level.get(style)
    outline = p.find(f"{_W}pPr/{_W}outlineLvl")
    if level is None and outline is not None:
        value = str(outline.get(f"{_W}val", ""))
        level = int(value) + 1 if value.isdigit() and int(value) < 9 else None
    runs = [r for r in p.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    bold = bool(runs) and all(_run_bold(r, style in styles.bold) for r in runs)
    bullet = p.find(f"{_W}pPr/{_W}numPr") is not None or style in styles.listed
    return blocks.Paragraph(text, heading=level, bold=bold, bullet=bullet), style in styles.title


def _run_bold(run: Any, style_bold: bool) -> bool:
    b = run.find(f"{_W}rPr/{_W}b")
    if b is None:
        return style_bold
    return b.get(f"{_W}val") in _TRUE


def _body_children(element: Any) -> Iterator[Any]:
    """The paragraphs and tables of a body (or cell) in order, through content controls."""
    for child in element:
        tag = child.tag
        if tag in (f"{_W}p", f"{_W}tbl"):
            yield child
        elif tag in (f"{_W}sdt", f"{_W}customXml", f"{_W}sdtContent", f"{_W}ins"):
            yield from _body_children(child)


def _word_items(body: Any, styles: _Styles, limits: Limits) -> Iterator[_Text | _Grid]:
    tables = paragraphs = 0
    for child in _body_children(body):
        if child.tag == f"{_W}p":
            paragraph, title = _word_paragraph(child, styles)
            if paragraph.text:
                paragraphs += 1
                yield _Text(paragraph, f"paragraph {paragraphs}", title)
            continue
        tables += 1
        grid = _Grid()
        for number, cells in enumerate(_word_table(child, limits), start=1):
            grid.rows.append(cells)
            grid.places.append(f"table {tables}, row {number}")
        yield grid


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs joined by line breaks; a table inside it read row by row."""
    lines: list[str] = []
    for child in _body_children(tc):
        if child.tag == f"{_W}p":
            text = _paragraph_text(child).strip()
            if text:
                lines.append(text)
        else:
            for tr in child.iter(f"{_W}tr"):
                inner = [t for t in (_cell_text(c) for c in tr.findall(f"{_W}tc")) if t]
                if inner:
                    lines.append(" ".join(inner))
    return "\n".join(lines)


def _int(value: Any, default: int) -> int:
    try:
        return max(int(str(value)), 0)
    except (TypeError, ValueError):
        return default


def _word_table(tbl: Any, limits: Limits) -> Iterator[list[str]]:
    """Each row of a table as its cells' text by grid column: a cell spanning columns keeps its
    text in its first column; a cell continuing a vertical merge has the text of the merge's
    first cell. Cells right of the last column a plan may have are left out (one is kept past
    it, so the reading notes that some were)."""
    above: dict[int, str] = {}  # grid column -> text of the vertical merge it is in
    for tr in tbl.iterchildren(f"{_W}tr"):
        values: dict[int, str] = {}
        before = tr.find(f"{_W}trPr/{_W}gridBefore")
        column = _int(before.get(f"{_W}val"), 0) if before is not None else 0
        for tc in tr.iterchildren(f"{_W}tc"):
            if column >= limits.max_columns and limits.max_columns in values:
                break
            props = tc.find(f"{_W}tcPr")
            span = 1
            merge = None
            if props is not None:
                grid_span = props.find(f"{_W}gridSpan")
                span = max(_int(grid_span.get(f"{_W}val"), 1), 1) if grid_span is not None else 1
                merge = props.find(f"{_W}vMerge")
                h_merge = props.find(f"{_W}hMerge")
                if h_merge is not None and h_merge.get(f"{_W}val") != "restart":
                    column += span  # covered by the cell on its left
                    continue
            if merge is not None and merge.get(f"{_W}val") != "restart":
                text = above.get(column, "")
            else:
                text = _cell_text(tc)
                if merge is not None:
                    above[column] = text
                else:
                    above.pop(column, None)
            if text:
                values.setdefault(min(column, limits.max_columns), text)
            column += span
        width = max(values, default=-1) + 1
        yield [values.get(i, "") for i in range(width)]


# ---------------------------------------------------------------- PDF

_PDF_MAGIC = b"%PDF-"
_LINES = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_PAGE_NUMBER = re.compile(r"(page\s*)?\d+(\s*(of|/)\s*\d+)?", re.IGNORECASE)
_LINE_GAP = 3.0  # points: words this close vertically are on one line


def read_pdf(data: bytes, limits: Limits) -> Table:
    """A PDF's tables as rows, with the titles and headings above them."""
    start = data.find(_PDF_MAGIC, 0, 1024)
    if start < 0:
        raise ImportFileError(_PDF_DAMAGED)
    if b"%%EOF" not in data[-2048:]:
        raise ImportFileError(
            "The PDF file is incomplete (its end is missing), perhaps cut short while it was "
            "copied or downloaded. Save or download it again and try again."
        )
    _check_streams(data, limits)
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    encrypted = b"/Encrypt" in data
    password = (
        "This PDF is protected by a password, so it could not be read. Save a copy without "
        "the password (or print it to a new PDF) and try again."
    )
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ImportFileError(password) from exc
    except Exception as exc:  # pdfminer raises many kinds on a damaged file
        raise ImportFileError(password if encrypted else _PDF_DAMAGED) from exc
    try:
        with pdf:
            _check_pages(pdf, limits)
            return _read_pdf_pages(pdf, limits)
    except ImportFileError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ImportFileError(password) from exc
    except Exception as exc:
        raise ImportFileError(password if encrypted else _PDF_DAMAGED) from exc


_STREAM = re.compile(rb"stream\r?\n")
_FLATE = re.compile(rb"/(FlateDecode|Fl)\b")


def _check_streams(data: bytes, limits: Limits) -> None:
    """Refuse a PDF whose compressed parts expand far past its size (a 'PDF bomb'), by
    expanding each a piece at a time and counting, before pdfminer expands any in full."""
    import zlib

    total = 0
    position = 0
    while (found := _STREAM.search(data, position)) is not None:
        start = found.end()
        end = data.find(b"endstream", start)
        if end < 0:
            break
        position = end + 9
        if not _FLATE.search(data, max(found.start() - 400, 0), found.start()):
            continue
        expander = zlib.decompressobj()
        pending = data[start:end]
        try:
            while pending:
                total += len(expander.decompress(pending, MEGABYTE))
                pending = expander.unconsumed_tail
                if _too_expanded(total, len(data), limits):
                    raise ImportFileError(
                        f"The PDF expands to more than {_mb(total)} from {_mb(len(data))} when "
                        "read, far more than a plan needs (it may be a 'PDF bomb'). It was not "
                        "read."
                    )
        except zlib.error:
            continue  # a damaged part: pdfminer reads around it, or the PDF is refused later


def _too_expanded(total: int, size: int, limits: Limits) -> bool:
    squeezed = total > limits.ratio_checked_above and total / max(size, 1) > (
        limits.max_compression_ratio
    )
    return total > limits.max_uncompressed_bytes or squeezed


def _check_pages(pdf: Any, limits: Limits) -> None:
    """Refuse more pages than any plan has, by the count the PDF states (before its pages are
    read) and by the pages it holds."""
    from pdfminer.pdftypes import resolve1

    try:
        stated = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:
        stated = 0
    count = stated if stated > limits.max_pages else len(pdf.pages)
    if count > limits.max_pages:
        raise ImportFileError(
            f"The PDF has {count:,} pages; the most that can be imported is "
            f"{limits.max_pages:,}. Split the plan into smaller files."
        )
    if count == 0:
        raise ImportFileError("The PDF has no pages.")


@dataclass
class _Line:
    text: str
    top: float
    size: float
    bold: bool


def _lines(words: Sequence[dict[str, Any]]) -> list[_Line]:
    """Words grouped into lines, top to bottom."""
    found: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if found and abs(word["top"] - found[-1][0]["top"]) <= _LINE_GAP:
            found[-1].append(word)
        else:
            found.append([word])
    lines = []
    for group in found:
        group.sort(key=lambda w: w["x0"])
        lines.append(
            _Line(
                " ".join(w["text"] for w in group),
                min(w["top"] for w in group),
                max(float(w.get("size", 0)) for w in group),
                all("bold" in str(w.get("fontname", "")).lower() for w in group),
            )
        )
    return lines


def _inside(word: dict[str, Any], box: Sequence[float]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _cell_lines(words: Sequence[dict[str, Any]]) -> list[tuple[str, float, float, float]]:
    """A cell's lines: text, left edge, right edge and the width of its first word."""
    out = []
    for group in _line_words(words):
        text = " ".join(w["text"] for w in group)
        out.append((text, group[0]["x0"], group[-1]["x1"], group[0]["x1"] - group[0]["x0"]))
    return out


def _joined(lines: list[tuple[str, float, float, float]], edge: float, space: float) -> str:
    """A cell's lines as its text: a line the next line's first word would have fitted on
    ended where the writer broke it (a line break); any other was wrapped (a space)."""
    text = ""
    for index, (line, _left, _right, first_word) in enumerate(lines):
        if index:
            fits = lines[index - 1][2] + space + first_word <= edge - 0.5
            # a line wrapped after a slash or a word's hyphen ("Service/", "make-") goes on
            # with no space
            joined = not fits and re.search(r"(/|\w-)$", text) is not None
            text += "\n" if fits else "" if joined else " "
        text += line
    return text


@dataclass
class _Found:
    """A table found on a page: where it is and its rows of cell text."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str]]


def _read_pdf_pages(pdf: Any, limits: Limits) -> Table:
    pages: list[tuple[int, list[dict[str, Any]]]] = []
    found: list[list[_Found]] = []
    any_text = False
    for number, page in enumerate(pdf.pages, start=1):
        words = page.extract_words(extra_attrs=["size", "fontname"])
        any_text = any_text or bool(words) or bool(page.chars)
        pages.append((number, words))
        found.append([
            _Found(t.bbox, _pdf_rows(t, [w for w in words if _inside(w, t.bbox)]))
            for t in page.find_tables(_LINES)
        ])  # fmt: skip
        page.close()  # what pdfplumber kept of the page is let go: memory follows one page
    if not any_text:
        raise ImportFileError(
            "This PDF has no text in it: it looks like a scanned image; the dashboard can only "
            "read a PDF with text in it. Import the plan from the document it was made from "
            "(Word or Excel), or save it from there as a PDF, and try again."
        )
    if not any(found):
        found = [_unruled_tables(words) for _page, words in pages]
    if not any(found):
        return _from_paragraphs(blocks.pdf_paragraphs(pdf), limits)
    body = _body_size(pages)
    repeated = _repeated_lines(pages, found)
    seen: set[str] = set()
    items: list[_Text | _Grid] = []
    for number, ((_page, words), tables) in enumerate(zip(pages, found, strict=True), start=1):
        boxes = [t.bbox for t in tables]
        outside = [w for w in words if not any(_inside(w, b) for b in boxes)]
        placed: list[tuple[float, _Text | _Grid]] = []
        for line in _lines(outside):
            key = _key(line.text)
            if key in seen or _PAGE_NUMBER.fullmatch(line.text.strip()):
                continue  # a running header or footer (kept where it is first)
            if key in repeated:
                seen.add(key)
            heading = 1 if line.size > body * 1.15 else None
            paragraph = blocks.Paragraph(line.text, heading=heading, bold=line.bold, page=number)
            placed.append((line.top, _Text(paragraph, f"page {number}")))
        for position, table in enumerate(tables, start=1):
            grid = _Grid()
            for row_number, cells in enumerate(table.rows, start=1):
                grid.rows.append(cells)
                grid.places.append(f"page {number}, table {position}, row {row_number}")
            placed.append((table.bbox[1], grid))
        placed.sort(key=lambda p: p[0])
        items.extend(item for _top, item in placed)
    return _assemble(items, limits)


@dataclass
class _Segment:
    """Words of one line standing together, apart from the next by a column's gap."""

    text: str
    x0: float
    x1: float
    first: float  # the width of its first word


def _segments(words: Sequence[dict[str, Any]]) -> list[_Segment]:
    out: list[_Segment] = []
    for word in words:
        size = float(word.get("size", 10)) or 10.0
        if out and word["x0"] - out[-1].x1 <= size * 0.9:
            last = out[-1]
            out[-1] = _Segment(last.text + " " + word["text"], last.x0, word["x1"], last.first)
        else:
            out.append(_Segment(word["text"], word["x0"], word["x1"], word["x1"] - word["x0"]))
    return out


def _line_words(words: Sequence[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    groups: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if groups and abs(word["top"] - groups[-1][0]["top"]) <= _LINE_GAP:
            groups[-1].append(word)
        else:
            groups.append([word])
    for group in groups:
        group.sort(key=lambda w: w["x0"])
    return groups


def _unruled_tables(words: Sequence[dict[str, Any]]) -> list[_Found]:
    """Tables with no lines drawn, whose columns line up: a line of two segments or more (the
    header) and the lines under it whose segments each start where a column starts. A line
    close under the one before (no row's spacing) goes on that row's cells."""
    lines = _line_words(words)
    tables: list[_Found] = []
    index = 0
    while index < len(lines):
        header = _segments(lines[index])
        if len(header) < 2:
            index += 1
            continue
        starts = [s.x0 for s in header]
        size = max(float(w.get("size", 10)) for w in lines[index]) or 10.0
        rows: list[list[str]] = [[s.text for s in header]]
        ends = [0.0] * len(starts)  # where each column's last line ends, in the row being read
        tops = [min(w["top"] for w in lines[index])]  # each row's top
        bottom = max(w["bottom"] for w in lines[index])
        right = max(s.x1 for s in header)
        last = index
        for following in range(index + 1, len(lines)):
            line = lines[following]
            gap = min(w["top"] for w in line) - bottom
            placed = _in_columns(line, starts, size)
            if gap > size * 3 or placed is None:
                break
            cells = [" ".join(w["text"] for w in column) for column in placed]
            first = placed[0][0] if placed[0] else None
            # A line goes on the row above when its first column is empty, or when the first
            # column's line above was wrapped (this line's first word would not have fitted).
            wrapped = (
                first is not None
                and len(rows) > 1
                and gap < size * 0.5
                and (ends[0] + size / 3 + (first["x1"] - first["x0"]) > starts[1] - size * 0.5)
            )
            if len(rows) > 1 and (first is None or wrapped):
                rows[-1] = [(a + " " + b).strip() for a, b in zip(rows[-1], cells, strict=True)]
            else:
                rows.append(cells)
                tops.append(min(w["top"] for w in line))
                ends = [0.0] * len(starts)
            for column, found_words in enumerate(placed):
                if found_words:
                    ends[column] = found_words[-1]["x1"]
            bottom = max(w["bottom"] for w in line)
            right = max(right, max(w["x1"] for w in line))
            last = following
        while len(rows) > 1 and sum(1 for c in rows[-1] if c) <= 1:
            # a line of one cell under the table (a note, a signature) is not a row of it
            rows.pop()
            bottom = tops.pop() - 0.5
        filled = sum(1 for row in rows if sum(1 for c in row if c) >= 2)
        if len(rows) >= 3 and filled * 2 > len(rows):
            top = min(w["top"] for w in lines[index])
            tables.append(_Found((starts[0] - 1, top - 1, right + 1, bottom + 1), rows))
            index = last + 1
        else:
            index += 1
    return tables


def _in_columns(
    line: Sequence[dict[str, Any]], starts: Sequence[float], size: float
) -> list[list[dict[str, Any]]] | None:
    """A line's words by the column they fall in; None when the line does not line up with the
    columns (a column's first word not starting where the column does: prose, not a row)."""
    placed: list[list[dict[str, Any]]] = [[] for _ in starts]
    for word in line:
        column = max((i for i, x in enumerate(starts) if x <= word["x0"] + size * 0.6), default=-1)
        if column < 0:
            return None
        if not placed[column] and abs(word["x0"] - starts[column]) > size * 0.6:
            return None
        placed[column].append(word)
    return placed


def _pdf_rows(table: Any, words: Sequence[dict[str, Any]]) -> list[list[str]]:
    """Each row's cells as text: a cell merged across columns has its text in its first; a
    cell merged down several rows is copied into each (as a workbook's merged cells are)."""
    out = []
    above: dict[int, tuple[Any, str]] = {}  # column -> the last cell read there and its text
    for row in table.rows:
        cells = []
        bottom = row.bbox[3]
        for column, box in enumerate(row.cells):
            if box is None:
                spanning = above.get(column)
                down = spanning is not None and spanning[0][3] >= bottom - 1
                cells.append(spanning[1] if down and spanning is not None else "")
                continue
            inside = [w for w in words if _inside(w, box)]
            lines = _cell_lines(inside)
            text = ""
            if lines:
                # the text wraps at the cell's right edge less its padding (as on its left)
                padding = max(min(line[1] for line in lines) - box[0], 0.0)
                text = _joined(lines, box[2] - padding, _space_width(inside))
            above[column] = (box, text)
            cells.append(text)
        out.append(cells)
    return out


def _space_width(words: Sequence[dict[str, Any]]) -> float:
    """The width of a space between the words of a cell: the narrowest gap between two words
    on one line, else a third of the font size."""
    gaps = [
        b["x0"] - a["x1"]
        for a, b in zip(words, words[1:], strict=False)
        if abs(a["top"] - b["top"]) <= _LINE_GAP and b["x0"] > a["x1"]
    ]
    return min(gaps) if gaps else max(float(words[0].get("size", 10)) / 3, 1.0)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _repeated_lines(pages: Sequence[tuple[Any, Any]], found: Sequence[Sequence[Any]]) -> set[str]:
    """Lines outside the tables that are on most pages (running headers and footers)."""
    if len(pages) < 2:
        return set()
    counts: dict[str, int] = {}
    for (_page, words), tables in zip(pages, found, strict=True):
        boxes = [t.bbox for t in tables]
        outside = [w for w in words if not any(_inside(w, b) for b in boxes)]
        for key in {_key(line.text) for line in _lines(outside)}:
            counts[key] = counts.get(key, 0) + 1
    return {key for key, n in counts.items() if n >= 2 and n * 2 >= len(pages)}


def _body_size(pages: Sequence[tuple[Any, Sequence[dict[str, Any]]]]) -> float:
    """The commonest font size of the document's words (its body text)."""
    counts: dict[float, int] = {}
    for _page, words in pages:
        for word in words:
            size = round(float(word.get("size", 0)), 1)
            counts[size] = counts.get(size, 0) + len(word["text"])
    return max(counts, key=lambda s: counts[s]) if counts else 0.0
