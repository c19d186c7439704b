"""Plans written as prose: actions read from labelled blocks of paragraphs, not from a table.

A Word or PDF plan with no table still has a shape a person reads without thinking:

* headings (a larger font, a Word heading style, or a short bold line) group the actions; the
  heading nearest above the actions is their theme, unless it sits straight under another
  heading with nothing between them, when the outer one is the theme and the inner one the
  objective ("Action Ref: A - Cohesive Leadership" > "Issue Identified: 1. Foster ...");
  text between a theme heading and its first numbered block is the objective of its blocks;
  a heading's own label ("Issue Identified:") is left off, a numbered one ("Objective 1:") kept;
* an action is either a numbered block ("Action 1:", "Recommendation 4:", "Target 2:" - the word
  numbered most often in the document) running to the next one, or a run of paragraphs followed
  by labelled lines ("Timescale: 2023", "By when?: Ongoing", "Responsibility: ICT"), or what an
  "Action:" or "Ref:" line begins; a label alone on its line ("Timescale:") takes the paragraph
  below it, or the list below it;
* labels are the column names headers.py recognises (for a label of up to three words, its last
  words when the whole is not: "RBFRS action" is an action); a label whose value is one of the
  dashboard's statuses ("Action: In progress") is the status; a second action text in a block
  that already has one, or a progress label with prose, is the progress notes; in a numbered
  block a paragraph after the progress notes (or a measure) goes on with it;
* labelled lines before the first action under a heading belong to every action under it
  ("Desired outcome(s): ..." as each action's measure); a "Theme:" line names the theme;
* a block with no timescale whose text opens with a date ("By 1 June 2023, chief ...") has
  that as its timescale;
* paragraphs of one action (or one value) are joined with line breaks.

`rows_from_paragraphs` returns rows a Table is made of (title line, header row, theme rows,
action rows), so the usual layout reading and import checks apply; None when fewer than two
blocks are found. `pdf_paragraphs` turns a PDF's text into such paragraphs: wrapped lines
joined, heading levels from font sizes, page headers and footers (the same text at the top
or bottom of at least half the pages, page numbers) left out.
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from dashboard.formats.headers import SYNONYMS, Field, header_key, recognise
from dashboard.rules.timescale import parse_timescale
from models import Status

if TYPE_CHECKING:
    import pdfplumber


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document as its reader found it (Word or PDF)."""

    text: str
    heading: int | None = None  # 1 = largest heading (Word Heading 1/Title; PDF: largest font)
    bold: bool = False
    bullet: bool = False  # a list item (Word numbering/bullet style; PDF line starting with •)
    page: int | None = None  # PDF page number (1-based); None for Word


# The columns written out, in this order: every field a label can name but the theme (which is
# written as a heading row).
_FIRST = (Field.REF, Field.OBJECTIVE, Field.ISSUE)
_COLUMNS = _FIRST + tuple(f for f in SYNONYMS if f not in _FIRST and f is not Field.THEME)
# Values that run on over several paragraphs (other values are a line: a lead, a date).
_PROSE_FIELDS = (Field.NOTES, Field.MEASURE)
MIN_BLOCKS = 2  # fewer than this is not a plan of actions
_MAX_LABEL_WORDS = 5
_MAX_HEADING_WORDS = 12  # a bold line longer than this is body text, not a heading
_BULLET_MARKS = "•▪◦●■‣"
_BULLET_DASHES = "-–—"
# "Action 1:", "Recommendation 4:", "Target 2. To ..." (word, number, colon or full stop).
_NUMBERED = re.compile(
    r"(?P<word>[A-Z][A-Za-z'’]*(?: [A-Za-z][A-Za-z'’]*){0,2}) (?P<num>\d+[A-Za-z]?(?:\.\d+)*)"
    r"\s*[:.](?:\s+(?P<rest>.*)|$)",
    re.DOTALL,
)
# "Timescale: 2023", "By when?: Ongoing", "By when? March 2024" - a label has no digits.
_LABEL = re.compile(
    r"(?P<label>[^\W\d][^\d:?\n]{0,60}?)\s*(?:\?\s*:?|:)(?:\s+(?P<value>.*)|$)", re.DOTALL
)
# "By 1 June 2023, chief fire officers should ..."
_OPENING_DATE = re.compile(r"(?P<when>By\s[^,;:\n]{3,40}?)[,;:]\s")
_STATUS_KEYS = {header_key(s.value): s.value for s in Status}


def _header_word(which: Field) -> str:
    """The header wording written for a field: its own name when headers.py knows it as a
    wording, else its first wording ('Issue')."""
    names = SYNONYMS[which]
    own = next((n for n in names if header_key(n) == header_key(which.value)), names[0])
    return own[:1].upper() + own[1:]


def label_field(label: str) -> Field | None:
    """The field a label names: the whole label as a header wording, else its last two words or
    its last word ('RBFRS action' -> Field.ISSUE); None for any other label."""
    if len(label.split()) > _MAX_LABEL_WORDS:
        return None
    found = recognise(label)
    if found is not None:
        return found
    words = header_key(label).split()
    for tail in (words[-2:], words[-1:]):
        if 0 < len(tail) < len(words) <= 3 and (found := recognise(" ".join(tail))) is not None:
            return found
    return None


def _labelled(text: str) -> tuple[Field, str] | None:
    """('Timescale: 2023-2027') -> (Field.TIMESCALE, '2023-2027'); ('Timescale:') ->
    (Field.TIMESCALE, '') when the value is in the paragraphs after it; None when not labelled."""
    match = _LABEL.fullmatch(text)
    if not match or (not match["value"] and not text.rstrip().endswith(":")):
        return None
    which = label_field(match["label"])
    return (which, (match["value"] or "").strip()) if which is not None else None


def _numbered(text: str) -> tuple[str, str, str] | None:
    """('Action 1: We will ...') -> ('action', 'Action 1', 'We will ...')."""
    match = _NUMBERED.fullmatch(text.strip())
    if not match:
        return None
    return header_key(match["word"]), f"{match['word']} {match['num']}", (match["rest"] or "")


def _status_word(value: str) -> str | None:
    """One of the dashboard's statuses, as the dashboard writes it, when `value` is one."""
    return _STATUS_KEYS.get(header_key(value))


def _heading_text(text: str) -> str:
    """A heading without its own label ('Issue Identified: 1. Foster ...' -> '1. Foster ...');
    a numbered label ('Objective 1: ...') is part of the heading's name and kept."""
    text = " ".join(text.split())
    match = re.fullmatch(r"(?P<label>[^\W\d][^\d:]{0,60}?):\s+(?P<rest>.+)", text)
    if match and len(match["label"].split()) <= 4:
        text = match["rest"]
    return text.rstrip(":").rstrip()


def _clean(paragraph: Paragraph) -> str:
    text = paragraph.text.strip()
    marks = _BULLET_MARKS + (_BULLET_DASHES if paragraph.bullet else "")
    if text[:1] and text[0] in marks and (len(text) == 1 or text[1].isspace()):
        text = text[1:].lstrip()
    return text


@dataclass
class _Heading:
    level: int
    text: str
    own: bool  # the heading of one block ("Recommendation 4" over "Recommendation 4:")
    direct_child: bool | None = None  # another heading came straight after it
    prose: list[str] = field(default_factory=list)
    defaults: dict[Field, str] = field(default_factory=dict)


@dataclass
class _Block:
    ref: str | None
    chain: list[_Heading]
    text: list[str] = field(default_factory=list)
    values: dict[Field, str] = field(default_factory=dict)
    last: Field | None = None  # the field the last labelled line filled


class _Reader:
    """Reads paragraphs in order, keeping the open headings and the block being read."""

    def __init__(self, block_word: str | None, refs: set[str]) -> None:
        self.numbered = block_word is not None
        self.refs = refs
        self.stack: list[_Heading] = []
        self.blocks: list[_Block] = []
        self.current: _Block | None = None
        self.top_defaults: dict[Field, str] = {}

    # -- headings -------------------------------------------------------------------------
    def _pop(self, level: int) -> None:
        while self.stack and self.stack[-1].level >= level:
            self.stack.pop()

    def _mark_followed(self, by_heading: bool) -> None:
        if self.stack and self.stack[-1].direct_child is None:
            self.stack[-1].direct_child = by_heading

    def heading(self, level: int, text: str) -> None:
        self.close()
        self._pop(level)
        self._mark_followed(True)
        own = header_key(text) in self.refs
        self.stack.append(_Heading(level, _heading_text(text), own))

    def lead_in(self) -> None:
        """A short bold line ending in a colon ('Actions embedding:'): not an action's text."""
        self._mark_followed(False)
        if not self.numbered:
            self.close()

    # -- blocks ---------------------------------------------------------------------------
    def start(self, ref: str | None, level: int | None, first: list[str]) -> None:
        self.close()
        if level is not None:
            self._pop(level)
        self._mark_followed(False)
        self.current = _Block(ref, list(self.stack), text=first)

    def close(self) -> None:
        block, self.current = self.current, None
        if block is None or not block.text:
            return
        if not self.numbered and block.last is None:
            return  # prose with no labelled line after it: an introduction, not an action
        self.blocks.append(block)

    def text(self, text: str) -> None:
        block = self.current
        if block is None and self.numbered:  # before the first block: the heading's own text
            self._mark_followed(False)
            if self.stack:
                self.stack[-1].prose.append(text)
        elif block is None or (not self.numbered and block.last is not None):
            self.start(None, None, [text])  # labelled lines ended the last action
        elif self.numbered and block.last is not None:
            if block.last in _PROSE_FIELDS:  # progress or a measure told in paragraphs
                block.values[block.last] += "\n" + text
            # after a short value (a lead, a date) the block has ended: closing text is left out
        else:
            block.text.append(text)

    def label(self, which: Field, value: str) -> None:
        block = self.current
        if _status_word(value) is not None and which in (Field.ISSUE, Field.STATUS, Field.NOTES):
            which = Field.STATUS  # 'Action: Complete'
        elif which is Field.STATUS:
            which = Field.NOTES  # progress told in words rather than a status
        elif which is Field.ISSUE:
            if block is not None and not block.text:
                block.text.append(value)
                return
            if block is None or not self.numbered:
                self.start(None, None, [value])  # 'Action: ...' begins an action
                return
            which = Field.NOTES  # a second action text in a block: what was done about it
        elif which is Field.REF and not self.numbered:
            if block is None or block.text or block.ref:
                self.start(value, None, [])  # 'Ref: A1' names the action that follows
            else:
                block.ref = value
            return
        if block is None:  # before the first action under a heading: true of all of them
            self._mark_followed(False)
            target = self.stack[-1].defaults if self.stack else self.top_defaults
            target.setdefault(which, value)
            return
        if which in block.values:
            block.values[which] += "\n" + value
        else:
            block.values[which] = value
        if which is not Field.THEME:
            block.last = which

    # -- what was read --------------------------------------------------------------------
    def placed(self, block: _Block) -> tuple[str | None, str | None]:
        """The theme and objective of a block, from the headings it sits under."""
        chain = [h for h in block.chain if not h.own]
        if not chain:
            return None, None
        inner = chain[-1]
        if len(chain) >= 2 and chain[-2].direct_child:
            return chain[-2].text, inner.text
        objective = "\n".join(inner.prose) if self.numbered else ""
        return inner.text, objective or None

    def values(self, block: _Block) -> dict[Field, str]:
        values: dict[Field, str] = {}
        for source in [self.top_defaults] + [h.defaults for h in block.chain]:
            values.update(source)
        values.update(block.values)
        values[Field.ISSUE] = "\n".join(block.text)
        if block.ref:
            values[Field.REF] = block.ref
        if Field.TIMESCALE not in values:
            opening = _OPENING_DATE.match(block.text[0])
            if opening and parse_timescale(opening["when"]).milestones:
                values[Field.TIMESCALE] = opening["when"]
        return values


def _block_word(paragraphs: Sequence[tuple[Paragraph, str]]) -> str | None:
    """The word numbered most often ('action' for 'Action 1:' ... 'Action 5:'), at least twice;
    of two as frequent, the one first used later (the inner one)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for index, (_, text) in enumerate(paragraphs):
        found = _numbered(text)
        if found:
            counts[found[0]] += 1
            first.setdefault(found[0], index)
    best = max(counts, key=lambda w: (counts[w], first[w]), default=None)
    return best if best is not None and counts[best] >= MIN_BLOCKS else None


def rows_from_paragraphs(paragraphs: Sequence[Paragraph]) -> list[tuple[str, ...]] | None:
    """Header row first, then one row per action, read from labelled blocks; None when the
    text has none.

    A title line (the document's first paragraph, when it is its largest heading) comes before
    the header row, and a one-cell theme row before the first action of each theme."""
    cleaned = [(p, _clean(p)) for p in paragraphs]
    cleaned = [(p, t) for p, t in cleaned if t]
    if not cleaned:
        return None
    levels = [p.heading for p, _ in cleaned if p.heading is not None]
    title: str | None = None
    if levels and cleaned[0][0].heading == min(levels):
        title = " ".join(cleaned[0][1].split())
        cleaned = cleaned[1:]
    word = _block_word(cleaned)
    refs = set()
    for _, text in cleaned:
        found = _numbered(text)
        if found and found[0] == word:
            refs.add(header_key(found[1]))
    reader = _Reader(word, refs)
    bold_level = max(levels, default=0) + 1  # a short bold line: below every sized heading
    waiting: Field | None = None  # a label on a line of its own ('Timescale:'), and its list
    listed: Field | None = None
    for paragraph, text in cleaned:
        numbered = _numbered(text)
        labelled = _labelled(text) if paragraph.heading is None else None
        if listed is not None and not (paragraph.bullet and labelled is None and not numbered):
            listed = None
        if numbered and numbered[0] == word:
            reader.start(numbered[1], paragraph.heading, [numbered[2]] if numbered[2] else [])
        elif paragraph.heading is not None:
            reader.heading(paragraph.heading, text)
        elif labelled is not None and not labelled[1]:
            waiting = labelled[0]
            continue
        elif labelled is not None:
            reader.label(*labelled)
        elif listed is Field.ISSUE:
            reader.text(text)  # the next item of an 'Action:' list
        elif listed is not None:
            reader.label(listed, text)
        elif waiting is not None:
            reader.label(waiting, text)
            listed = waiting if paragraph.bullet else None
        elif paragraph.bold and len(text.split()) <= _MAX_HEADING_WORDS:
            if text.endswith(":"):
                reader.lead_in()
            else:
                reader.heading(bold_level, text)
        else:
            reader.text(text)
        waiting = None
    reader.close()
    if len(reader.blocks) < MIN_BLOCKS:
        return None
    read: list[tuple[str | None, dict[Field, str]]] = []
    for block in reader.blocks:
        theme, objective = reader.placed(block)
        values = reader.values(block)
        theme = values.pop(Field.THEME, None) or theme  # a 'Theme:' line says it outright
        if objective:
            values.setdefault(Field.OBJECTIVE, objective)
        read.append((theme, values))
    columns = [c for c in _COLUMNS if c in (Field.REF, Field.ISSUE) or any(c in v for _, v in read)]
    rows: list[tuple[str, ...]] = [(title,)] if title else []
    rows.append(tuple(_header_word(c) for c in columns))
    theme_now: str | None = None
    for theme, values in read:
        if theme and theme != theme_now:
            rows.append((theme.rstrip(":").rstrip(),))
        theme_now = theme or theme_now
        rows.append(tuple(values.get(c, "") for c in columns))
    return rows


# -- PDF ----------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–]", re.I
)
_MARGIN = 0.12  # the top and bottom of a page where running headers and footers sit
_FULL_LINE = 0.9  # a line reaching this share of the text's width was wrapped, not ended
_PARAGRAPH_GAP = 1.6  # a line further below the last than this many font sizes starts a paragraph


@dataclass
class _Line:
    page: int
    top: float
    x0: float
    x1: float
    size: float
    bold: bool
    bullet: bool
    text: str
    in_margin: bool


def _is_bold(fontname: str) -> bool:
    name = fontname.split("+")[-1].casefold()
    return any(w in name for w in ("bold", "black", "heavy"))


def _lines(page: Any) -> list[_Line]:
    words = page.extract_words(extra_attrs=["size", "fontname"])
    words.sort(key=lambda w: (w["top"], w["x0"]))
    grouped: list[list[dict[str, Any]]] = []
    for word in words:
        if grouped and abs(grouped[-1][0]["top"] - word["top"]) <= 0.4 * word["size"]:
            grouped[-1].append(word)
        else:
            grouped.append([word])
    lines = []
    height = float(page.height) or 1.0
    for group in grouped:
        group.sort(key=lambda w: w["x0"])
        bullet = False
        if group[0]["text"] in _BULLET_MARKS + _BULLET_DASHES and len(group) > 1:
            bullet = True
            group = group[1:]
        sizes: Counter[float] = Counter()
        for w in group:
            sizes[round(float(w["size"]) * 2) / 2] += len(w["text"])
        top = min(float(w["top"]) for w in group)
        bottom = max(float(w["bottom"]) for w in group)
        lines.append(
            _Line(
                page=int(page.page_number),
                top=top,
                x0=float(group[0]["x0"]),
                x1=float(group[-1]["x1"]),
                size=sizes.most_common(1)[0][0],
                bold=all(_is_bold(str(w["fontname"])) for w in group),
                bullet=bullet,
                text=" ".join(str(w["text"]) for w in group),
                in_margin=top < _MARGIN * height or bottom > (1 - _MARGIN) * height,
            )
        )
    return lines


def _is_page_number(line: _Line) -> bool:
    """'Page 3', 'Page 3 of 12'; or '3', '3 of 12', '3/12', '- 3 -' on page 3."""
    if not _PAGE_NUMBER.fullmatch(line.text):
        return False
    first = int(re.findall(r"\d+", line.text)[0])
    return line.text[:1] in "Pp" or first == line.page


def _without_running_text(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Page numbers and running headers and footers (the same text in the same size at the top
    or bottom of at least half the pages) left out."""
    seen: Counter[tuple[str, float]] = Counter()
    for lines in pages:
        seen.update({(ln.text, ln.size) for ln in lines if ln.in_margin})
    repeated = {key for key, n in seen.items() if n >= 2 and n * 2 >= len(pages)}
    return [
        [
            ln
            for ln in lines
            if not (ln.in_margin and ((ln.text, ln.size) in repeated or _is_page_number(ln)))
        ]
        for lines in pages
    ]


def _starts_paragraph(line: _Line, previous: _Line, indent: float, right: float) -> bool:
    """Whether `line` begins a paragraph rather than going on with the one that ends in
    `previous` (whose lines after the first start at `indent`; the text's right edge at
    `right`)."""
    if line.bullet or line.size != previous.size or line.bold != previous.bold:
        return True
    if _labelled(line.text) is not None or _numbered(line.text) is not None:
        return True
    if line.x0 < indent - 2:
        return True
    if line.page != previous.page:  # a paragraph goes on over the page if its line was full
        if previous.text.rstrip()[-1:] in ".:;?!":
            return True
        return not (line.text[:1].islower() or previous.x1 >= _FULL_LINE * right)
    return line.top - previous.top > _PARAGRAPH_GAP * previous.size


def pdf_paragraphs(pdf: "pdfplumber.PDF") -> list[Paragraph]:
    """The text of a PDF as paragraphs with heading levels from font sizes."""
    pages = _without_running_text([_lines(page) for page in pdf.pages])
    lines = [ln for page in pages for ln in page]
    if not lines:
        return []
    weight: Counter[float] = Counter()
    for ln in lines:
        weight[ln.size] += len(ln.text)
    body = weight.most_common(1)[0][0]
    larger = sorted({ln.size for ln in lines if ln.size > body + 0.5}, reverse=True)
    level = {size: n for n, size in enumerate(larger, start=1)}
    right = max(ln.x1 for ln in lines)
    paragraphs: list[Paragraph] = []
    group: list[_Line] = []

    def flush() -> None:
        if group:
            first = group[0]
            paragraphs.append(
                Paragraph(
                    " ".join(ln.text for ln in group),
                    heading=level.get(first.size),
                    bold=first.bold,
                    bullet=first.bullet,
                    page=first.page,
                )
            )

    for line in lines:
        if group and not _starts_paragraph(line, group[-1], group[0].x0, right):
            group.append(line)
            continue
        flush()
        group = [line]
    flush()
    return paragraphs
