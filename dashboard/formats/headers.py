"""Which column holds what: header names recognised by their common wordings, plus the user's
own mapping for the rest. Case, spacing and punctuation are ignored when comparing.

A file written by `python -m dashboard export` is one more layout: its first header cell is
`plan`, and its headers are the export's own column names (EXPORT_COLUMNS), each one field.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dashboard.formats.sheets import Row, column_letter


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
    Field.OBJECTIVE: ("objective", "objectives", "outcome", "aim", "priority", "goal"),
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
        "desired outcomes", "desired outcome(s)",
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


def header_key(text: str) -> str:
    """'  Responsibility/Delivery  Lead ' -> 'responsibility delivery lead'."""
    return _NON_WORD.sub(" ", text.replace("\u00a0", " ").casefold()).strip()


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
    "due": Field.DUE_DATE,
    "due_precision": Field.DUE_PRECISION,
    "recurrence": Field.RECURRENCE,
    "timescale": Field.TIMESCALE,
    "measure": Field.MEASURE,
    "characteristics": Field.CHARACTERISTICS,
}
COLUMNS: tuple[str, ...] = tuple(EXPORT_COLUMNS)
EXPORT_REQUIRED = (Field.PLAN, Field.THEME, Field.REF, Field.ISSUE, Field.STATUS)
_EXPORT_LOOKUP = {header_key(name): field for name, field in EXPORT_COLUMNS.items()}


def is_export_header(cells: Sequence[str]) -> bool:
    """True for the header of a file written by `export`: its first cell is 'plan'."""
    return bool(cells) and header_key(cells[0]) == header_key(COLUMNS[0])


def export_name(field: Field) -> str:
    """The export's column name for a field, e.g. 'due' for Field.DUE_DATE."""
    return next(name for name, f in EXPORT_COLUMNS.items() if f is field)


def recognise(header: str, *, exported: bool = False) -> Field | None:
    """The field a header names (in an exported file, by the export's own names), or None."""
    return (_EXPORT_LOOKUP if exported else _LOOKUP).get(header_key(header))


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
    """One column of the table: where it is, its header as written and how it will be read."""

    index: int
    header: str
    field: Field | None  # None: not recognised and not mapped (left out, with a warning)
    recognised: bool  # True when the header's wording was recognised (not mapped by the user)

    @property
    def letter(self) -> str:
        return column_letter(self.index)


def header_score(cells: Sequence[str]) -> int:
    """How many cells of a row are recognised header names."""
    return sum(1 for c in cells if c and recognise(c) is not None)


def find_header_row(rows: Sequence[Row], mapping: Mapping[str, Field], scan: int = 30) -> int:
    """Index (in `rows`) of the header row among the first `scan` rows: the first naming the
    action column and one other known column; else the first naming two known columns; else 0."""
    fallback = -1
    for index, row in enumerate(rows[:scan]):
        known = [f for f in (mapping_field(c, mapping) for c in row.cells if c) if f is not None]
        if Field.ISSUE in known and len(known) >= 2:
            return index
        if fallback < 0 and len(known) >= 2:
            fallback = index
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
    header: Row, mapping: Mapping[str, Field], *, exported: bool = False
) -> list[Column]:
    """Each non-blank header cell as a Column, mapped by the user's mapping first.

    A field claimed by two columns is kept for the first and left out for the second (the
    caller warns), so that one cell never overwrites another."""
    columns: list[Column] = []
    taken: set[Field] = set()
    for index, text in enumerate(header.cells):
        if not text:
            continue
        field = mapping_field(text, mapping, exported=exported)
        recognised = field is not None and header_key(text) not in {header_key(h) for h in mapping}
        if field is not None and field is not Field.IGNORE and field in taken:
            field = None
        if field is not None and field is not Field.IGNORE:
            taken.add(field)
        columns.append(Column(index, text, field, recognised))
    return columns
