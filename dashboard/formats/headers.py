"""Which column holds what, read by meaning: each header by its words, each column by its cells.

* A header is first looked up among the common wordings (SYNONYMS, compared after `header_key`).
  Otherwise its words are scored (folded, "(s)" and punctuation dropped, simple stems such as
  actions -> action, and word synonyms such as commitment -> action, "by when" -> timescale):
  the word at the head of the phrase counts most ("Final action status" is a status) and words
  with no meaning here weaken the rest ("Noted amendments to the action during ..." is not the
  actions).
* Each column's cells are scored too (`content_scores`): dates and timescales, short repeated
  names (leads), long sentences (actions or notes), short codes such as 1.0, 2.1 or A3 (refs),
  RAG words, characteristic names and status words.
* A clear header wins unless its cells flatly contradict it (a column headed 'Action' holding
  'Action 1' is the refs); an unclear or missing header is decided by its cells. Every column
  says why (`Column.reason`), in plain words, for the preview. The user's mapping wins over all.
* The header row is the best-scoring of the first 30 rows with two or more filled cells.

A file written by `python -m dashboard export` is one more layout: its first header cell is
`plan`, and its headers are the export's own column names (EXPORT_COLUMNS), each one field; the
Excel pack's Issues sheet is the same layout headed in words (EXPORT_HEADINGS).
"""

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dashboard.formats.sheets import Row, column_letter
from dashboard.formats.words import RAG_BY_DATES, RAG_COUNCIL
from dashboard.rules.characteristics import ALL_WORDS, EXTRA_ALIASES
from dashboard.rules.lead_names import is_post_name
from dashboard.rules.progress import Rag
from dashboard.rules.timescale import parse_timescale


class Field(StrEnum):
    """What a column of the plan can be read as (the value is what the user sees)."""

    REF = "Ref"
    THEME = "Theme or section"
    OBJECTIVE = "Objective"
    ISSUE = "Action or issue"
    LEADS = "Lead"
    TIMESCALE = "Timescale or due date"
    MEASURE = "Performance measure"
    CHARACTERISTICS = "Protected characteristics"
    STATUS = "Status"
    RAG = "The council's own RAG rating"
    COMPLETED = "Completed (a date or how)"
    NOTES = "Progress notes"
    PLAN = "Plan (its short name)"
    LEVEL = "Level"
    DUE_DATE = "Due date (a date)"
    DUE_PRECISION = "Due date precision"
    RECURRENCE = "How often"
    IGNORE = "Leave out"


FIELDS: tuple[Field, ...] = tuple(Field)

# Written as found in council plans; compared after `header_key`.
SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.REF: (
        "ref", "ref no", "reference", "no", "number", "item", "item no", "code", "action no",
        "action ref", "id", "#",
    ),
    Field.THEME: (
        "theme", "section", "area", "performance area", "eflg theme", "framework theme",
        "priority area", "strand",
    ),
    Field.OBJECTIVE: ("objective", "objectives", "aim", "priority", "goal"),
    Field.ISSUE: (
        "issue", "issues", "issues which need to be addressed", "action", "actions", "activity",
        "activities", "action target", "action/target", "task", "what we will do",
        "description", "action description", "key actions", "issue action", "what",
    ),
    Field.LEADS: (
        "lead", "leads", "lead service officer", "lead service/officer", "lead officer",
        "lead service", "lead service area", "responsibility", "responsibility delivery lead",
        "responsibility/delivery lead", "responsible officer", "responsible", "delivery lead",
        "owner", "action owner", "who", "service", "lead directorate", "by whom",
    ),
    Field.TIMESCALE: (
        "timescale", "timescales", "date of completion", "completion date", "target date",
        "target date mm yy", "target date (mm/yy)", "due", "due date", "deadline", "by when",
        "when", "date", "timeframe", "time frame", "target completion date", "review date",
    ),
    Field.MEASURE: (
        "performance measure", "performance measures", "how will success be measured",
        "how will success be measured?", "success measure", "success measures", "measure",
        "measures", "measure of success", "success criteria", "outcome measure", "kpi",
        "performance indicator", "target", "expected outcome", "evidence", "desired outcome",
        "desired outcomes",
    ),
    Field.CHARACTERISTICS: (
        "protected characteristics", "protected characteristic", "characteristics",
        "characteristic", "equality strand", "equality strands", "equality group",
        "equality groups", "groups", "strands", "who benefits",
    ),
    Field.STATUS: ("status", "progress", "current status"),
    Field.RAG: ("rag", "rag status", "rag rating", "red amber green", "rating"),
    Field.COMPLETED: ("completed", "date completed", "completion", "done"),
    Field.NOTES: (
        "notes", "note", "comments", "comment", "progress notes", "progress note",
        "progress update", "update", "commentary", "progress to date", "narrative",
    ),
}  # fmt: skip

_NON_WORD = re.compile(r"[^0-9a-z#]+")


_PLURAL_MARK = re.compile(r"\(s\)|\(es\)", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """'  Responsibility/Delivery  Lead ' -> 'responsibility delivery lead'; 'Action(s)' ->
    'action'. (Kept: the layout reader asks again for each row's cells, most of them repeated.)"""
    text = _PLURAL_MARK.sub("", text.replace("\u00a0", " "))
    return _NON_WORD.sub(" ", text.casefold()).strip()


_LOOKUP: dict[str, Field] = {
    header_key(name): field for field, names in SYNONYMS.items() for name in names
}


# The export's columns, in order, and the field each holds: the export writes these headers and
# the importer reads them back (leads joined by " / ", characteristics by "; ", due as ISO date).
EXPORT_COLUMNS: dict[str, Field] = {
    "plan": Field.PLAN,
    "theme": Field.THEME,
    "ref": Field.REF,
    "issue": Field.ISSUE,
    "leads": Field.LEADS,
    "level": Field.LEVEL,
    "status": Field.STATUS,
    "rag": Field.RAG,  # the council's own rating (empty when none)
    "due": Field.DUE_DATE,
    "due_precision": Field.DUE_PRECISION,
    "recurrence": Field.RECURRENCE,
    "timescale": Field.TIMESCALE,
    "measure": Field.MEASURE,
    "characteristics": Field.CHARACTERISTICS,
}
COLUMNS: tuple[str, ...] = tuple(EXPORT_COLUMNS)
EXPORT_REQUIRED = (Field.PLAN, Field.THEME, Field.REF, Field.ISSUE, Field.STATUS)
# The same columns headed in words a person reads, as the Excel pack's Issues sheet heads them;
# an import reads each heading as the export's own name, so that sheet re-imports as the export.
EXPORT_HEADINGS: dict[str, str] = {
    "plan": "Plan",
    "theme": "Theme",
    "ref": "Ref",
    "issue": "Issue",
    "leads": "Leads",
    "level": "Level",
    "status": "Status",
    "rag": RAG_COUNCIL,
    "due": "Due date",
    "due_precision": "Due date precision",
    "recurrence": "How often",
    "timescale": "Timescale as written",
    "measure": "Performance measure",
    "characteristics": "Protected characteristics",
}
LATEST_NOTE = "Latest progress note"
LAST_UPDATED = "Last updated"
# Columns the pack's Issues sheet adds for reading: an import of the sheet leaves them out.
FOR_READING: tuple[str, ...] = (RAG_BY_DATES, LATEST_NOTE, LAST_UPDATED)
_EXPORT_LOOKUP = {
    **{header_key(name): field for name, field in EXPORT_COLUMNS.items()},
    **{header_key(EXPORT_HEADINGS[name]): field for name, field in EXPORT_COLUMNS.items()},
    **{header_key(name): Field.IGNORE for name in FOR_READING},
}


def is_export_header(cells: Sequence[str]) -> bool:
    """True for the header of a file written by `export`: its first cell is 'plan'."""
    return bool(cells) and header_key(cells[0]) == header_key(COLUMNS[0])


def export_name(field: Field) -> str:
    """The export's column name for a field, e.g. 'due' for Field.DUE_DATE."""
    return next(name for name, f in EXPORT_COLUMNS.items() if f is field)


def recognise(header: str, *, exported: bool = False) -> Field | None:
    """The field a header names (in an exported file, by the export's own names), or None:
    a common wording, else the field its words clearly mean."""
    if exported:
        return _EXPORT_LOOKUP.get(header_key(header))
    best = header_meaning(header)
    return best[0][0] if best and best[0][1] >= CLEAR else None


def parse_field(name: str) -> Field | None:
    """A field from what a user typed: its label ('Lead'), a header wording ('due date') or a
    short name ('leads', 'issue', 'due_precision')."""
    key = header_key(name)
    for field in Field:
        if key == header_key(field.value):
            return field
    short = {"text": Field.ISSUE, "action": Field.ISSUE, "due": Field.TIMESCALE, "ignore": None}
    if key in short:
        return short[key] or Field.IGNORE
    if key in _LOOKUP:
        return _LOOKUP[key]
    return next((f for f in Field if key == header_key(f.name)), None)


@dataclass(frozen=True)
class Column:
    """One column of the table: where it is, its header as written, how it will be read and why."""

    index: int
    header: str
    field: Field | None  # None: not recognised and not mapped (left out, with a warning)
    recognised: bool  # True when the header's wording was recognised (not mapped by the user)
    reason: str = ""  # how the column was read, in plain words (shown in the preview)

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def reading(self) -> str:
        """How the column is read, as the preview shows it."""
        if self.field is None or self.field is Field.IGNORE:
            return "Left out"
        return self.field.value


# ---------------------------------------------------------------- headers by their words

CLEAR = 0.5  # a header (or a column's cells) means a field when it scores this much
_MARGIN = 0.15  # ... and beats the next field by this much; else it is unclear
_HEAD, _OTHER = 1.0, 0.7  # weight of the phrase's head word and of its other words
_UNKNOWN = 0.2  # how much each word with no meaning here weakens the rest

_W = dict[Field, float]
# A word (after `_stem`) and what it means; a word may mean more than one field.
WORDS: dict[str, _W] = {
    "ref": {Field.REF: 1}, "reference": {Field.REF: 1}, "no": {Field.REF: 0.8},
    "number": {Field.REF: 0.8}, "item": {Field.REF: 0.6}, "code": {Field.REF: 0.9},
    "id": {Field.REF: 0.9}, "#": {Field.REF: 1},
    "theme": {Field.THEME: 1}, "section": {Field.THEME: 1}, "area": {Field.THEME: 0.8},
    "heading": {Field.THEME: 0.9}, "strand": {Field.THEME: 0.6, Field.CHARACTERISTICS: 0.7},
    "priority": {Field.OBJECTIVE: 0.7, Field.THEME: 0.6},
    "objective": {Field.OBJECTIVE: 1}, "aim": {Field.OBJECTIVE: 0.9},
    "goal": {Field.OBJECTIVE: 0.9}, "outcome": {Field.MEASURE: 0.7, Field.OBJECTIVE: 0.6},
    "action": {Field.ISSUE: 1}, "issue": {Field.ISSUE: 1}, "activity": {Field.ISSUE: 1},
    "task": {Field.ISSUE: 0.9}, "commitment": {Field.ISSUE: 0.9},
    "recommendation": {Field.ISSUE: 0.9}, "description": {Field.ISSUE: 0.8},
    "initiative": {Field.ISSUE: 0.8}, "what": {Field.ISSUE: 0.7}, "step": {Field.ISSUE: 0.7},
    "lead": {Field.LEADS: 1}, "responsible": {Field.LEADS: 1}, "owner": {Field.LEADS: 1},
    "who": {Field.LEADS: 0.9}, "whom": {Field.LEADS: 1}, "officer": {Field.LEADS: 0.9},
    "manager": {Field.LEADS: 0.8}, "accountable": {Field.LEADS: 0.9},
    "service": {Field.LEADS: 0.7}, "directorate": {Field.LEADS: 0.7},
    "timescale": {Field.TIMESCALE: 1}, "timetable": {Field.TIMESCALE: 1},
    "timeframe": {Field.TIMESCALE: 1}, "deadline": {Field.TIMESCALE: 1},
    "due": {Field.TIMESCALE: 1}, "when": {Field.TIMESCALE: 0.9}, "date": {Field.TIMESCALE: 0.9},
    "milestone": {Field.TIMESCALE: 0.8},
    "measure": {Field.MEASURE: 1}, "measured": {Field.MEASURE: 1}, "kpi": {Field.MEASURE: 1},
    "pi": {Field.MEASURE: 0.9}, "indicator": {Field.MEASURE: 1}, "success": {Field.MEASURE: 0.9},
    "criteria": {Field.MEASURE: 0.9}, "evidence": {Field.MEASURE: 0.8},
    "target": {Field.MEASURE: 0.6, Field.TIMESCALE: 0.5}, "output": {Field.MEASURE: 0.7},
    "result": {Field.MEASURE: 0.7},
    "characteristic": {Field.CHARACTERISTICS: 1}, "protected": {Field.CHARACTERISTICS: 0.9},
    "group": {Field.CHARACTERISTICS: 0.7},
    "status": {Field.STATUS: 1}, "progress": {Field.STATUS: 0.8, Field.NOTES: 0.8},
    "rag": {Field.RAG: 1}, "rating": {Field.RAG: 0.9},
    "completed": {Field.COMPLETED: 1}, "done": {Field.COMPLETED: 0.9},
    "achieved": {Field.COMPLETED: 0.8},
    "note": {Field.NOTES: 1}, "comment": {Field.NOTES: 1}, "update": {Field.NOTES: 0.9},
    "commentary": {Field.NOTES: 1}, "narrative": {Field.NOTES: 0.9}, "remark": {Field.NOTES: 1},
    "amendment": {Field.NOTES: 0.6}, "observation": {Field.NOTES: 0.8},
}  # fmt: skip
# Phrases read as one word (after `_stem`), longest first.
PHRASES: dict[tuple[str, ...], _W] = {
    ("by", "when"): {Field.TIMESCALE: 1}, ("target", "date"): {Field.TIMESCALE: 1},
    ("completion", "date"): {Field.TIMESCALE: 1}, ("date", "completed"): {Field.COMPLETED: 1},
    ("action", "by"): {Field.LEADS: 1}, ("by", "whom"): {Field.LEADS: 1},
    ("action", "owner"): {Field.LEADS: 1}, ("action", "ref"): {Field.REF: 1},
    ("action", "no"): {Field.REF: 1}, ("action", "number"): {Field.REF: 1},
    ("action", "item"): {Field.ISSUE: 1}, ("progress", "to", "date"): {Field.NOTES: 1},
    ("success", "criteria"): {Field.MEASURE: 1}, ("red", "amber", "green"): {Field.RAG: 1},
    ("who", "benefit"): {Field.CHARACTERISTICS: 1}, ("expected", "outcome"): {Field.MEASURE: 1},
    ("equality", "strand"): {Field.CHARACTERISTICS: 1},
    ("equality", "group"): {Field.CHARACTERISTICS: 1},
}  # fmt: skip
_STEMS = {
    "responsibility": "responsible", "responsibilities": "responsible", "whose": "whose",
    "characterstic": "characteristic", "characterstics": "characteristic",
    "timescales": "timescale", "criterion": "criteria", "activities": "activity",
    "progress": "progress", "status": "status", "completion": "completion",
}  # fmt: skip
# Words that carry no meaning in a header ("equality" is in nearly every header of a plan).
_QUIET = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "be",
        "is",
        "are",
        "we",
        "will",
        "it",
        "this",
        "that",
        "which",
        "with",
        "and",
        "or",
        "&",
        "listed",
        "below",
        "above",
        "state",
        "please",
        "mm",
        "yy",
        "yyyy",
        "dd",
        "equality",
        "s",
        "e",
        "g",
        "eg",
    ]
)
_BREAKS = frozenset(
    ["as", "to", "from", "during", "for", "of", "in", "on", "with", "by"]
)  # end the head phrase


def _stem(word: str) -> str:
    if word in _STEMS:
        return _STEMS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _tokens(header: str) -> list[str]:
    return [_stem(w) for w in header_key(header).split() if not w.isdigit()]


def header_meaning(header: str) -> list[tuple[Field, float]]:
    """What a header's words mean, best first: [(field, score 0-1)]. A common wording scores 1."""
    key = header_key(header)
    if not key:
        return []
    if key in _LOOKUP:
        found = [(_LOOKUP[key], 1.0)]
        found += [(f, s) for f, s in _AMBIGUOUS.get(key, ()) if f is not found[0][0]]
        return found
    words = _tokens(header)
    concepts: list[tuple[str, _W | None]] = []  # each word or phrase, with what it means
    i = 0
    while i < len(words):
        for phrase in sorted(PHRASES, key=len, reverse=True):
            if tuple(words[i : i + len(phrase)]) == phrase:
                concepts.append((" ".join(phrase), PHRASES[phrase]))
                i += len(phrase)
                break
        else:
            concepts.append((words[i], WORDS.get(words[i])))
            i += 1
    content = [(w, m) for w, m in concepts if m is not None or w not in _QUIET | _BREAKS]
    if not content:
        return []
    head = len(content) - 1
    for n, (word, meaning) in enumerate(concepts):
        if meaning is None and word in _BREAKS and n > 0:
            prior = [c for c in concepts[:n] if c in content]
            if prior:
                head = content.index(prior[-1])
                break
    unknown = sum(1 for _, m in content if m is None)
    scores: dict[Field, float] = {}
    for n, (_, meaning) in enumerate(content):
        for which, weight in (meaning or {}).items():
            score = weight * (_HEAD if n == head else _OTHER) / (1 + _UNKNOWN * unknown)
            scores[which] = max(scores.get(which, 0.0), score)
    return sorted(scores.items(), key=lambda fs: -fs[1])


# Common wordings that name two fields: the cells decide, the first when they do not.
_AMBIGUOUS: dict[str, tuple[tuple[Field, float], ...]] = {
    "progress": ((Field.STATUS, 1.0), (Field.NOTES, 1.0)),
}


# ---------------------------------------------------------------- columns by their cells

_REF_CELL = re.compile(r"(?:[A-Za-z]{1,10}\.?\s?)?\d{1,3}(?:\.\d{1,3})*[a-z]?\.?|[A-Z]{1,3}")
_RAG_WORDS = frozenset(
    {r.value.casefold() for r in (Rag.RED, Rag.AMBER, Rag.GREEN)}
    | {"r", "a", "g", "red/amber", "amber/green", "amber/red", "green/amber"}
)
_CHARACTERISTIC_WORDS = frozenset(
    {w for code in EXTRA_ALIASES for w in code.split("_")}
    | {w for aliases in EXTRA_ALIASES.values() for a in aliases for w in a.split()}
    | {w for phrase in ALL_WORDS for w in phrase.split()}
    | {"gender", "ethnicity", "ethnic", "belief", "trans", "disabled", "lgbtq+"}
) - {"and", "of", "the", "all", "health", "learning", "mental"}
_SAMPLE = 60


@dataclass(frozen=True)
class Contents:
    """What a column's cells look like: a score 0-1 for each field they suggest, and a few
    examples for the reason shown to the user."""

    scores: dict[Field, float]
    examples: tuple[str, ...]
    long_text: float  # share of cells that are sentences of seven words or more
    distinct: float = 1.0  # share of cells unlike any other cell of the column
    mean_words: float = 0.0  # how many words a cell has, on average


def _short(cell: str) -> str:
    text = " ".join(cell.split())
    return text if len(text) <= 30 else text[:27] + "..."


def content_scores(
    cells: Sequence[str], *, is_status: Callable[[str], bool] | None = None
) -> Contents:
    """Score a column by a sample of its filled cells."""
    sample = [c.strip() for c in cells if c and c.strip()][:_SAMPLE]
    if not sample:
        return Contents({}, (), 0.0, 0.0)
    n = len(sample)

    def share(test: Callable[[str], bool]) -> float:
        return sum(1 for c in sample if test(c)) / n

    def dated(cell: str) -> bool:
        reading = parse_timescale(cell)
        return len(cell) <= 80 and (bool(reading.milestones) or reading.recurrence is not None)

    def words(cell: str) -> int:
        return len(cell.split())

    distinct = len({c.casefold() for c in sample}) / n
    long_text = share(lambda c: words(c) >= 7)
    dates = share(dated)
    refs = share(lambda c: bool(_REF_CELL.fullmatch(c)))
    rag = share(lambda c: c.casefold().rstrip(".") in _RAG_WORDS)

    def lead_like(cell: str) -> bool:
        if words(cell) > 8 or len(cell) > 80 or dated(cell) or _REF_CELL.fullmatch(cell):
            return False
        lines = [line.strip(" -\u2022") for line in cell.splitlines() if line.strip(" -\u2022")]
        return any(is_post_name(p) for line in lines for p in re.split(r"[/,;]", line)) or (
            distinct <= 0.7 and not cell.rstrip().endswith(".")
        )

    def characteristic_like(cell: str) -> bool:
        found = {w.strip(",;.()") for w in cell.casefold().replace("/", " ").split()}
        return words(cell) <= 12 and bool(found & _CHARACTERISTIC_WORDS)

    scores: dict[Field, float] = {
        Field.TIMESCALE: dates,
        Field.REF: refs,
        Field.RAG: rag,
        Field.LEADS: share(lead_like) * (1 - rag),
        Field.ISSUE: long_text,
        Field.NOTES: long_text,
        Field.CHARACTERISTICS: share(characteristic_like),
    }
    if is_status is not None:
        scores[Field.STATUS] = share(is_status) * (1 - rag * 0.5)
    examples = tuple(dict.fromkeys(_short(c) for c in sample))[:2]
    return Contents(scores, examples, long_text, distinct, sum(map(words, sample)) / n)


# How a column's cells are described in a reason, by the field they suggest.
_LOOKS_LIKE = {
    Field.TIMESCALE: "dates or timescales",
    Field.REF: "refs",
    Field.RAG: "RAG ratings",
    Field.LEADS: "short names of leads",
    Field.ISSUE: "long sentences",
    Field.NOTES: "long sentences",
    Field.CHARACTERISTICS: "protected characteristics",
    Field.STATUS: "status words",
}
_TEXT_FIELDS = frozenset(
    {Field.ISSUE, Field.NOTES, Field.MEASURE, Field.THEME, Field.OBJECTIVE, Field.LEADS}
)
_CONTRADICTS = 0.8  # cells this clearly refs or RAG words overrule a header of text


@dataclass
class _Choice:
    """A column's candidate readings, best first, and the words to explain each."""

    index: int
    header: str
    ranked: list[tuple[Field, float, str]]  # (field, strength, reason)
    mapped: bool = False
    exact: bool = False
    # the reading its cells flatly give instead of its header's (used when another column can
    # take the header's field: see `_overrule`)
    contradicted: tuple[Field, float, str] | None = None


def _described(contents: Contents, which: Field) -> str:
    examples = ", ".join(contents.examples)
    return f"its cells look like {_LOOKS_LIKE[which]} ({examples})"


# What a column read as each field holds, as a reason says it.
_NOUNS: dict[Field, str] = {
    Field.REF: "the refs", Field.THEME: "the theme or section", Field.OBJECTIVE: "the objective",
    Field.ISSUE: "the actions", Field.LEADS: "the leads", Field.TIMESCALE: "a timescale",
    Field.MEASURE: "the performance measure", Field.CHARACTERISTICS: "protected characteristics",
    Field.STATUS: "a status", Field.RAG: "the council's own RAG rating",
    Field.COMPLETED: "when or how it was completed", Field.NOTES: "progress notes",
}  # fmt: skip


def _label(which: Field) -> str:
    return _NOUNS.get(which, which.value[0].lower() + which.value[1:])


def _choose(
    index: int, header: str, contents: Contents, mapping: Mapping[str, Field], exported: bool
) -> _Choice:
    key = header_key(header)
    for source, mapped in mapping.items():
        if header_key(source) == key:
            reason = (
                "you chose to leave it out"
                if mapped is Field.IGNORE
                else f"you chose to read it as {_label(mapped)}"
            )
            return _Choice(index, header, [(mapped, 9.0, reason)], mapped=True)
    if exported:
        field = _EXPORT_LOOKUP.get(key)
        if field is None:
            return _Choice(index, header, [])
        reason = f"its header '{header}' is the export's column for {_label(field)}"
        if field is Field.IGNORE:
            reason = (
                f"its header '{header}' is a column the pack adds for reading, so it is left out"
            )
        return _Choice(index, header, [(field, 9.0, reason)], exact=True)
    meaning = [(f, s) for f, s in header_meaning(header) if s >= CLEAR]
    cells = sorted(contents.scores.items(), key=lambda fs: -fs[1])
    best_cells = [(f, s) for f, s in cells if s >= 0.6]
    named = f"its header '{header}'" if header else "no header"
    if meaning:
        top, strength = meaning[0]
        others = [(f, s) for f, s in meaning[1:] if strength - s < _MARGIN]
        if (
            best_cells
            and best_cells[0][1] >= _CONTRADICTS
            and best_cells[0][0] in (Field.REF, Field.RAG)
            and top in _TEXT_FIELDS | {Field.STATUS}
            and best_cells[0][0] is not top
        ):
            found = best_cells[0][0]
            reason = (f"{named} would mean {_label(top)}, but {_described(contents, found)}: "
                      f"read as {_label(found)}")  # fmt: skip
            return _Choice(index, header, [(top, 1.0 + strength, f"{named} means {_label(top)}")],
                           exact=strength >= 1.0, contradicted=(found, 2.0, reason))  # fmt: skip
        if others:
            candidates = [top] + [f for f, _ in others]
            decided = max(candidates, key=lambda f: contents.scores.get(f, 0.0))
            said = " or ".join(_label(f) for f in candidates)
            if contents.scores.get(decided, 0.0) >= 0.5 and decided in _LOOKS_LIKE:
                cause = _described(contents, decided)
                reason = f"{named} could be {said}: {cause}, read as {_label(decided)}"
            else:
                decided = top
                reason = f"{named} could be {said}: read as {_label(top)}"
            rest = [(f, s, "") for f, s in meaning if f is not decided]
            return _Choice(index, header, [(decided, 1.0 + strength, reason)] + rest,
                           exact=strength >= 1.0)  # fmt: skip
        ranked = [(top, 1.0 + strength, f"{named} {_means(strength)} {_label(top)}")]
        ranked += [(f, s, f"{named} could also mean {_label(f)}") for f, s in meaning[1:]]
        return _Choice(index, header, ranked, exact=strength >= 1.0)
    if best_cells:
        ranked = [
            (f, s, f"{named}: {_described(contents, f)}")
            for f, s in best_cells
            if f not in (Field.NOTES,)
        ]
        if header:
            ranked = [(f, s, f"its header '{header}' does not say what it holds, but "
                       f"{_described(contents, f)}") for f, s, _ in ranked]  # fmt: skip
        return _Choice(index, header, ranked)
    return _Choice(index, header, [])


def _means(strength: float) -> str:
    """'means' for a header whose words are clear, 'most likely means' for one only just so."""
    return "means" if strength >= 0.75 else "most likely means"


def _not_read(choice: _Choice) -> str:
    if choice.header:
        return f"not read: its header '{choice.header}' and its cells do not say what it holds"
    return "not read: it has no header and its cells do not say what it holds"


def header_score(cells: Sequence[str]) -> int:
    """How many cells of a row are recognised header names."""
    return sum(1 for c in cells if c and recognise(c) is not None)


def _row_score(cells: Sequence[str], mapping: Mapping[str, Field]) -> float:
    keys = {header_key(h) for h in mapping}
    total, fields = 0.0, set()
    for cell in cells:
        if not cell:
            continue
        if header_key(cell) in keys:
            total += 1.0
            fields.add(mapping_field(cell, mapping))
            continue
        meaning = header_meaning(cell) if len(cell) <= 80 else []
        if meaning and meaning[0][1] >= CLEAR:
            total += meaning[0][1]
            fields.add(meaning[0][0])
    if total and Field.ISSUE in fields:
        total += 0.5
    return total if len(fields) >= 1 else 0.0


_NEAR_BEST = 0.8  # the first row scoring this share of the best is the header


def find_header_row(rows: Sequence[Row], mapping: Mapping[str, Field], scan: int = 30) -> int:
    """Index (in `rows`) of the header row among the first `scan` rows: of the rows with two or
    more filled cells whose headers mean something, the first scoring nearly as well as the
    best (a later row of action text that happens to use header words does not win). Title
    rows - one filled cell, or long text - never count. Else the first row naming a field;
    else 0."""
    scores: list[tuple[int, float]] = []
    fallback = -1
    for index, row in enumerate(rows[:scan]):
        score = _row_score(row.cells, mapping)
        if score and fallback < 0:
            fallback = index
        if score and sum(1 for c in row.cells if c) >= 2:
            scores.append((index, score))
    if scores:
        best = max(score for _, score in scores)
        return next(index for index, score in scores if score >= best * _NEAR_BEST)
    return max(fallback, 0)


def mapping_field(
    header: str, mapping: Mapping[str, Field], *, exported: bool = False
) -> Field | None:
    """The user's mapping for a header (compared case- and space-insensitively), else the
    recognised wording."""
    key = header_key(header)
    for source, field in mapping.items():
        if header_key(source) == key:
            return field
    return recognise(header, exported=exported)


def columns_of(
    header: Row,
    mapping: Mapping[str, Field],
    *,
    exported: bool = False,
    body: Sequence[Row] = (),
    is_status: Callable[[str], bool] | None = None,
) -> list[Column]:
    """Each column as a Column: by the user's mapping first, then by its header's words and
    its cells (`body`, the rows under the header), each with the reason in plain words.

    Each field is read from one column only: the strongest reading keeps it (the first column
    of equals), and the other column takes its next reading or is left out (the caller warns),
    so that one cell never overwrites another. A column that loses the actions to a column of
    longer sentences to its right is the objective those actions sit under; when no column
    names the actions, the first column of text whose cells differ row by row is read as them."""
    width = max([len(header.cells)] + [len(r.cells) for r in body[:_SAMPLE]])
    choices: list[_Choice] = []
    contents: dict[int, Contents] = {}
    for index in range(width):
        text = header.cells[index] if index < len(header.cells) else ""
        column_cells = [r.cells[index] for r in body if index < len(r.cells)]
        found = content_scores(column_cells, is_status=is_status)
        contents[index] = found
        if not text and (exported or not found.examples):
            continue
        choices.append(_choose(index, text, found, mapping, exported))
    if not exported:
        _overrule(choices, contents)
        _share_out_actions(choices, contents)
    taken: dict[Field, _Choice] = {}
    result: dict[int, tuple[Field | None, str]] = {}
    order = sorted(
        ((c.ranked[0][1] if c.ranked else 0.0, -c.index, c) for c in choices),
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )
    for _, _, choice in order:
        reading: tuple[Field | None, str] = (None, _not_read(choice))
        for n, (which, strength, reason) in enumerate(choice.ranked):
            if which is Field.IGNORE:
                reading = (which, reason)
                break
            if which in taken:
                if n == 0:
                    twin = taken[which]
                    said = f"{reason}, but " if reason else ""
                    reading = (None, f"not read: {said}the column {column_letter(twin.index)} "
                               f"is already read as {_label(which)}")  # fmt: skip
                continue
            if n > 0 and (strength < CLEAR or choice.mapped or choice.exact):
                continue
            said = reason or f"it could also hold {_label(which)}"
            if n > 0:
                first = choice.ranked[0][0]
                other = taken.get(first)
                where = f"the column {column_letter(other.index)}" if other else "another column"
                said += f" ({where} is already read as {_label(first)})"
            reading = (which, said)
            taken[which] = choice
            break
        result[choice.index] = reading
    columns = []
    for choice in choices:
        read_as, reason = result[choice.index]
        if not choice.header and read_as is None:
            continue  # a column with neither header nor meaning is not a column
        recognised = read_as is not None and not choice.mapped
        columns.append(Column(choice.index, choice.header, read_as, recognised, reason))
    return columns


def _overrule(choices: list[_Choice], contents: Mapping[int, Contents]) -> None:
    """A header whose cells flatly contradict it (refs or RAG words under 'Action') is read by
    its cells when another column can take the header's field and no header claims the cells'
    field: 'Action' holding 'Action 1' beside 'Action Description' is the refs."""
    for choice in choices:
        if choice.contradicted is None or not choice.ranked:
            continue
        wanted, found = choice.ranked[0][0], choice.contradicted[0]
        others = [c for c in choices if c is not choice]
        claimed = any(c.ranked and c.ranked[0][0] is found and c.exact for c in others)
        stand_in = any(
            any(f is wanted for f, s, _ in c.ranked if s >= CLEAR)
            or (wanted is Field.ISSUE and contents[c.index].long_text >= 0.5)
            for c in others
        )
        if stand_in and not claimed:
            choice.ranked.insert(0, choice.contradicted)


def _share_out_actions(choices: list[_Choice], contents: Mapping[int, Contents]) -> None:
    """Two columns reading as the actions: the one of longer sentences keeps them and the one to
    its left is the objective. No column reading as the actions: the first column of text
    whose cells differ row by row (a theme-like or unread header) is read as them."""
    actions = [c for c in choices if c.ranked and c.ranked[0][0] is Field.ISSUE and not c.mapped]
    if len(actions) >= 2 and not any(c.ranked[0][0] is Field.OBJECTIVE for c in choices):
        actions.sort(key=lambda c: contents[c.index].mean_words, reverse=True)
        keeper, other = actions[0], actions[1]
        if other.index < keeper.index and not other.exact:
            reason = (f"its header '{other.header}' could name the actions, but the column "
                      f"{column_letter(keeper.index)} holds the longer sentences: read as the "
                      "objective each action sits under")  # fmt: skip
            other.ranked.insert(0, (Field.OBJECTIVE, other.ranked[0][1], reason))
            keeper.ranked[0] = (Field.ISSUE, keeper.ranked[0][1] + 0.5, keeper.ranked[0][2])
    if any(c.ranked and c.ranked[0][0] is Field.ISSUE for c in choices):
        return
    for choice in sorted(choices, key=lambda c: c.index):
        if choice.mapped:
            continue
        top = choice.ranked[0][0] if choice.ranked else None
        found = contents[choice.index]
        if top not in (None, Field.THEME, Field.OBJECTIVE, Field.MEASURE, Field.ISSUE):
            continue
        if found.scores.get(Field.REF, 0) >= 0.5 or found.scores.get(Field.TIMESCALE, 0) >= 0.5:
            continue
        if not found.examples or found.distinct < 0.9:
            continue
        named = f"its header '{choice.header}'" if choice.header else "no header"
        said = f" would mean {_label(top)}, but" if top else ""
        reason = (f"{named}{said} no column names the actions and its cells differ on every "
                  "row: read as the actions")  # fmt: skip
        choice.ranked.insert(0, (Field.ISSUE, 1.5, reason))
        return
