"""Preview and apply the import of a plan file: one function, all or nothing, for every kind.

`run_import(..., dry_run=True)` is the preview: every row is checked and the whole change is
worked out in the database, then rolled back. With `dry_run=False` the same change is committed
in one transaction, or nothing is written at all when any row has an error.

Both kinds of file come through here: a council's plan in its own layout, and a file written by
`python -m dashboard export` (its first column `plan`). The exported file names each row's plan,
and is held to the dashboard's own words: an unknown theme, status, level or characteristic in it
is an error rather than something new, as is a row without its ref, theme, status or issue text.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import Table as SqlTable
from sqlalchemy import func, insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, col, select

from dashboard.formats.headers import EXPORT_REQUIRED, Column, Field, export_name, recognise
from dashboard.formats.layout import Layout, SourceIssue, read_layout
from dashboard.formats.plan_title import organisation_in, suggest_title
from dashboard.formats.sheets import (
    ImportFileError,
    Limits,
    Problem,
    Table,
    file_name_shown,
    read_table,
    shorten_file_name,
    without_controls,
)
from dashboard.formats.words import plural
from dashboard.rules.characteristics import CharacteristicMatcher
from dashboard.rules.lead_names import LeadName, directorate_candidates, split_lead_cell
from dashboard.rules.names import name_key, section_lookup, split_leads
from dashboard.rules.permissions import Actor, require_admin
from dashboard.rules.timescale import (
    DueDateUnreadable,
    Precision,
    Recurrence,
    parse_timescale,
    read_due_date,
)
from dashboard.store.db import begin_write
from dashboard.store.seed import ensure_protected_characteristics
from dashboard.writes.levels import PlanLevelRefused, find_framework_level
from models import (
    Characteristic,
    DueDateChange,
    FrameworkVersion,
    Issue,
    IssueCharacteristic,
    IssueLead,
    Lead,
    LeadAlias,
    LeadKind,
    Level,
    Organisation,
    OwnRag,
    Plan,
    RatingSource,
    Section,
    Status,
    StatusChange,
    pk,
    utcnow,
)

Progress = Callable[[float, str], None]

DEFAULT_SECTION = "Actions"


_STATUS_COLUMNS = frozenset({Field.STATUS, Field.COMPLETED, Field.RAG})
WORDS_TAGGED = (
    "No column names the protected characteristics, so each action is tagged with those its "
    "row and its heading name (for example 'disabled people' is Disability). Check the "
    "tags on each issue's page after importing."
)


def column_length(model: type[SQLModel], name: str) -> int:
    """The most characters a text column holds, as its model says (the limit is written once,
    there, and enforced here the same on SQLite and PostgreSQL)."""
    length = model.__table__.c[name].type.length  # type: ignore[attr-defined]
    assert isinstance(length, int), f"{model.__name__}.{name} has no length"
    return length


MAX_REF = column_length(Issue, "ref")
MAX_LEAD = column_length(Lead, "name")
MAX_HEADING = column_length(Section, "heading")
MAX_TITLE = column_length(Plan, "title")
MAX_ORGANISATION = column_length(Organisation, "name")
MAX_SOURCE = column_length(Organisation, "source")
MAX_SOURCE_DOCUMENT = column_length(Plan, "source_document")
# A ref a person wrote names its action with at least one letter or digit ("1.1", "R3", "A").
_REF_WORD = re.compile(r"\w")

_STATUS_WORDS: dict[str, Status] = {}
for _status, _words in {
    Status.NOT_STARTED: "not started|not yet started|to do|todo|planned|not begun|grey|gray",
    Status.IN_PROGRESS: "in progress|started|ongoing|on going|on track|underway|under way|"
    "in hand|green|amber|red|delayed|behind|behind schedule|at risk|partially complete|"
    "partly complete|progressing",
    Status.COMPLETE: "complete|completed|done|achieved|finished|closed|met|blue",
    Status.EMBEDDED: "embedded|business as usual|mainstreamed",
    Status.NOT_APPLICABLE: "not applicable|n a|na|withdrawn|no longer applicable|deleted|"
    "cancelled|superseded",
}.items():
    for _word in _words.split("|"):
        _STATUS_WORDS[_word] = _status


def read_status(text: str) -> Status | None:
    """A status, progress or RAG cell as a Status; None when the wording is not known."""
    return _STATUS_WORDS.get(re.sub(r"[^a-z]+", " ", text.casefold()).strip())


def leading_status(text: str) -> Status | None:
    """The status word a narrative cell opens with ("Delayed: Data collection ..." -> In
    progress; "Ongoing - review in 2016"), else None."""
    return read_status(re.split(r"[-:;,.(\n\u2013\u2014]", text.strip(), maxsplit=1)[0])


def read_completed(text: str) -> tuple[Status, str]:
    """A 'Completed' cell as a status and the note that goes with it: a date alone
    ("15/10/2015", "February 15") is Complete, and so is any other text ("Presented to CMT on
    19/10/2015"); words that say the work goes on ("Ongoing", "In progress ...") are In
    progress. The cell is kept as written as the note (the import records when it ran; the
    council's own date stays in its words). Never Not started."""
    written = text.strip()
    said = read_status(written) or leading_status(written)
    if said in (Status.IN_PROGRESS, Status.NOT_APPLICABLE, Status.EMBEDDED):
        return said, written
    return Status.COMPLETE, written


_OWN_RAG_WORDS = {"red": OwnRag.RED, "r": OwnRag.RED, "amber": OwnRag.AMBER, "a": OwnRag.AMBER,
                  "green": OwnRag.GREEN, "g": OwnRag.GREEN}  # fmt: skip
_WORST_FIRST = (OwnRag.RED, OwnRag.AMBER, OwnRag.GREEN)


def read_own_rag(text: str) -> OwnRag | None:
    """A council's RAG cell as its own rating: Red, Amber or Green, or R, A or G (case, spacing
    and punctuation ignored); a cell between two ratings ("Amber/Green") is the worse of them.
    None when the cell is not a RAG rating."""
    words = re.sub(r"[^a-z]+", " ", text.casefold()).split()
    found = {_OWN_RAG_WORDS.get(word) for word in words}
    if not words or None in found:
        return None
    return next(rating for rating in _WORST_FIRST if rating in found)


_GOES_ON = re.compile(
    r"\b(?:ongoing|on-going|continu\w*|will|planned|plans? to|due to|to commence|underway|"
    r"under way|in progress|being)\b",
    re.IGNORECASE,
)
_DONE = re.compile(
    r"(?:^\s*(?:completed?|done|achieved|finished)\b|\b(?:has|have) been (?:\w+ly )?"
    r"(?:completed|modified|introduced|implemented|achieved|established|published|delivered|"
    r"adopted|approved|agreed|launched|put in place|set up|created|revised|updated|"
    r"incorporated|rolled out|carried out)\b)",
    re.IGNORECASE,
)


def progress_status(note: str) -> Status | None:
    """A status read from a progress note when no column gives one: Complete where the note
    says the work has been done ("Introduction Day has been modified and now includes ..."),
    else In progress (work is reported: "Awareness sessions have commenced ... Progress
    ongoing"); None for an empty note. Words that say the work goes on win over words of
    work done."""
    if not note.strip():
        return None
    if _DONE.search(note) and not _GOES_ON.search(note):
        return Status.COMPLETE
    return Status.IN_PROGRESS


NOTES_READ = (
    "No column gives each action's status, so an action with a progress note is In progress, "
    "or Complete where its note says the work has been done ('has been introduced'); an action "
    "with no note is Not started. Check the statuses in the preview."
)


_Word = TypeVar("_Word", bound=StrEnum)


def _own_word(words: type[_Word], text: str) -> _Word | None:
    """One of the dashboard's own words as export writes it (case and spacing ignored)."""
    return next((w for w in words if name_key(w.value) == name_key(text)), None)


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose: the sheet, their column mapping and which plan the rows go into."""

    sheet: str | None = None
    mapping: Mapping[str, Field] = field(default_factory=lambda: MappingProxyType({}))
    plan_slug: str | None = None  # update this plan ...
    new_plan_title: str | None = None  # ... or create a new one with this title
    organisation: str | None = None  # the new plan's organisation (found by name, or created)
    framework: str | None = None  # the new plan's framework version (code or name) ...
    level: str | None = None  # ... and the level it works towards (both, or neither)
    limits: Limits = field(default_factory=Limits)
    include_hidden: bool = False  # read hidden sheets, rows and columns too (left out by default)


@dataclass(frozen=True)
class IssueLine:
    row: int
    ref: str
    theme: str
    text: str
    changes: tuple[str, ...] = ()
    plan: str = ""  # the plan's short name ("" for a plan this import creates)


@dataclass
class ImportPreview:
    """What an import would do (or did): the lists the preview screen and the CLI show."""

    filename: str
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_row: int | None = None
    columns: list[Column] = field(default_factory=list)
    plan_title: str = ""  # several plans' titles joined by "; " when the file names its plans
    plan_slug: str | None = None  # the one plan's short name (None for several)
    new_plan: bool = False
    organisation: str = ""
    plan_slugs: list[str] = field(default_factory=list)  # every plan the rows go into
    new_sections: list[str] = field(default_factory=list)
    new: list[IssueLine] = field(default_factory=list)
    updated: list[IssueLine] = field(default_factory=list)
    unchanged: list[IssueLine] = field(default_factory=list)
    new_leads: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def several_plans(self) -> bool:
        return len(self.plan_slugs) > 1

    def column_lines(self) -> list[str]:
        """How each column was read and why, as the preview shows it: "  A 'By when': a
        timescale (its header 'By when' means a timescale)."""
        if not self.columns:
            return []
        where = f" (header on row {self.header_row})" if self.header_row else ""
        lines = [f"Columns{where}:"]
        for c in self.columns:
            header = f"'{c.header}'" if c.header else "(no header)"
            lines.append(f"  {c.letter} {header}: {c.reading} ({c.reason}).")
        return lines

    def summary(self) -> str:
        """Plain text for the command line."""
        columns = self.column_lines()
        if self.errors:
            found = plural(len(self.errors), "problem")
            lines = [f"Nothing was imported from {self.filename}: {found} found."]
            lines += [f"  {p}" for p in self.errors]
            lines += columns
            if self.warnings:
                lines.append(f"Warnings ({len(self.warnings)}):")
                lines += [f"  {p}" for p in self.warnings]
            return "\n".join(lines)
        verb = "Imported" if self.applied else "Dry run (nothing written)"
        if self.several_plans:
            where = f"{len(self.plan_slugs)} plans ({', '.join(self.plan_slugs)})"
        else:
            kind = "new plan" if self.new_plan else "plan"
            where = f"{kind} '{self.plan_title}' ({self.organisation})"
        issues = plural(len(self.unchanged), "issue").split(" ", 1)[1]
        lines = [
            f"{verb} into {where}: {len(self.new)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged {issues}.",
            *columns,
        ]
        if self.new_sections:
            lines.append("New themes or sections: " + "; ".join(self.new_sections))
        if self.new_leads:
            lines.append("New leads: " + "; ".join(self.new_leads))
        for line in self.updated:
            ref = f"{line.plan} {line.ref}" if self.several_plans else line.ref
            lines.append(f"  Updated {ref}: " + ", ".join(line.changes))
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines += [f"  {p}" for p in self.warnings]
        return "\n".join(lines)


def inspect_file(data: bytes, filename: str, options: ImportOptions) -> tuple[Table, Layout]:
    """Read the file and find its layout (no database). Raises ImportFileError, its message
    naming the file."""
    try:
        table = read_table(
            data,
            filename,
            sheet=options.sheet,
            limits=options.limits,
            include_hidden=options.include_hidden,
        )
    except ImportFileError as exc:
        raise type(exc)(f"{file_name_shown(filename)}: {exc}") from None
    return table, read_layout(table, options.mapping, is_status=_is_status)


def _is_status(text: str) -> bool:
    return read_status(text) is not None


def _where(column: Column | None) -> str | None:
    return f"{column.letter} '{column.header}'" if column else None


# ---------------------------------------------------------------- what the file says


@dataclass
class _Planned:
    source: SourceIssue
    section: str
    ref: str
    leads: list[LeadName] | None  # None: the file has no lead column
    values: dict[str, Any]
    characteristic_codes: list[str] | None  # None: the file has no characteristics column
    status: Status | None
    note: str | None


@dataclass
class _Target:
    plan: Plan | None
    organisation: Organisation | None
    title: str
    organisation_name: str
    framework: FrameworkVersion | None = None  # a new plan's framework and level
    level: Level | None = None

    @classmethod
    def existing(cls, plan: Plan) -> "_Target":
        return cls(plan, plan.organisation, plan.title, plan.organisation.name, plan.framework)


class _Ticker:
    """Reports progress every 200 rows, as a share between `start` and `start + span`."""

    def __init__(self, report: Progress, total: int, start: float, span: float, words: str):
        self.report, self.total, self.start, self.span = report, max(total, 1), start, span
        self.words, self.count = words, 0

    def __call__(self, row: int) -> None:
        self.count += 1
        if self.count % 200 == 0:
            self.report(self.start + self.span * self.count / self.total, f"{self.words} {row}")


class ImportRaced(ImportFileError):
    """Someone else changed the plan while it was being imported; nothing was written. (A kind
    of ImportFileError, so every caller that shows why a file was not imported shows this.)"""


RACED = (
    "Someone updated the plan while it was being imported; nothing was changed. "
    "Please import again."
)


def run_import(
    session: Session,
    data: bytes,
    filename: str,
    *,
    actor: Actor,
    options: ImportOptions,
    dry_run: bool = True,
    progress: Progress | None = None,
) -> ImportPreview:
    """Check every row, then write the whole plan (or each plan the file names) in one
    transaction, or for a dry run work it out and roll back. Errors in any row mean nothing is
    written. Raises ImportFileError when the file cannot be read, PermissionDenied for anyone
    but an admin, and ImportRaced when others' saves kept getting in the way (tried twice).

    Officers may be saving updates to the same plan meanwhile: the import holds the plan's
    issues from the moment it reads them until it ends (SQLite: the database's write lock;
    PostgreSQL: their rows, locked as read), so it works on what it read and their saves wait
    for it, then find the issue changed as they would after any other save."""
    require_admin(actor, "import plans")
    report = progress or (lambda _share, _text: None)
    report(0.0, "Reading the file")
    name = file_name_shown(filename)
    table, layout = inspect_file(data, filename, options)
    for attempt in (1, 2):
        try:
            preview = _run(session, table, layout, name, actor, options, dry_run, report)
            return _placed(preview, table)
        except BaseException as exc:
            session.rollback()
            if not _raced(exc):
                raise
            if attempt == 2:
                raise ImportRaced(RACED) from None
    raise AssertionError("unreachable")


def _placed(preview: ImportPreview, table: Table) -> ImportPreview:
    """Each problem on a document's row named by its place there ("table 2, row 3")."""
    for problems in (preview.errors, preview.warnings):
        problems[:] = [replace(p, place=table.places.get(p.row or 0, p.place)) for p in problems]
    return preview


# SQLSTATEs of a transaction PostgreSQL gave up because of another: serialization failure,
# deadlock, lock not available.
_RACE_STATES = frozenset({"40001", "40P01", "55P03"})


def _raced(exc: BaseException) -> bool:
    """True when `exc` says another transaction got in the way (worth one more try)."""
    if isinstance(exc, StaleDataError):
        return True
    if isinstance(exc, DBAPIError):
        state = getattr(exc.orig, "sqlstate", None)
        words = str(exc.orig).lower()
        return state in _RACE_STATES or "database is locked" in words or "busy" in words
    return False


def _run(
    session: Session,
    table: Table,
    layout: Layout,
    name: str,
    actor: Actor,
    options: ImportOptions,
    dry_run: bool,
    report: Progress,
) -> ImportPreview:
    """One attempt at the import, in one transaction (committed, or rolled back for a dry run)."""
    begin_write(session)  # SQLite: the write lock from the first read, so no save slips in
    preview = ImportPreview(
        filename=name,
        sheet=table.sheet,
        sheets=table.sheets,
        header_row=layout.header_row,
        columns=layout.columns,
        warnings=list(table.notes),
    )
    _check_columns(layout, preview)
    groups = _groups(session, layout, name, options, preview)
    if preview.errors or not groups:
        session.rollback()
        return preview
    _describe(preview, [target for target, _issues in groups])
    checking = _Ticker(report, len(layout.issues), 0.05, 0.6, "Checking row")
    planned = [
        (target, _plan_rows(session, layout, target, issues, preview, checking))
        for target, issues in groups
    ]
    if preview.errors:
        session.rollback()
        return preview
    saving = _Ticker(report, len(layout.issues), 0.65, 0.33, "Saving row")
    for target, rows in planned:
        _apply(session, target, rows, preview, actor, name, saving)
    if dry_run:
        session.rollback()  # worked out in full, then thrown away
    else:
        session.commit()
        preview.applied = True
    report(1.0, "Done")
    return preview


def _check_columns(layout: Layout, preview: ImportPreview) -> None:
    header = layout.header_row
    missing = [export_name(f) for f in EXPORT_REQUIRED if layout.column(f) is None]
    if layout.exported and missing:
        preview.errors.append(
            Problem(header, None, None, "the header is missing the column"
                    + ("s" if len(missing) > 1 else "") + ": " + ", ".join(missing) + ".")
        )  # fmt: skip
    elif layout.column(Field.ISSUE) is None:
        named = ", ".join(f"{c.letter} '{c.header}'" for c in layout.columns) or "none"
        preview.errors.append(
            Problem(
                header,
                None,
                None,
                "no column was recognised as the actions. Choose which column holds the "
                f"actions ('{Field.ISSUE.value}'). The columns found are: {named}.",
            )
        )
    for column in layout.columns:
        if column.field is not None:
            continue
        twin = next((c for c in layout.columns if c.field and c.field is recognise(
                     column.header, exported=layout.exported) and c.index < column.index),
                    None)  # fmt: skip
        message = (
            f"the column {twin.letter} is already read as '{twin.field}', so this one "
            "will be left out."
            if twin and twin.field
            else "this column was not recognised, so it will be left out. "
            "Choose what it holds to include it."
        )
        preview.warnings.append(Problem(header, _where(column), None, message))
    issue_column = _where(layout.column(Field.ISSUE))
    for number in layout.blank_action_rows:
        if layout.exported:
            preview.errors.append(Problem(number, issue_column, None, "the issue text is missing."))
        else:
            left_out = "this row has no action text, so it was left out."
            preview.warnings.append(Problem(number, issue_column, None, left_out))
    if not layout.issues and not preview.errors:
        preview.errors.append(
            Problem(header, None, None, "the file has a header but no actions under it.")
        )


def _groups(
    session: Session, layout: Layout, filename: str, options: ImportOptions, preview: ImportPreview
) -> list[tuple[_Target, list[SourceIssue]]]:
    """The plan (or plans) the rows go into, each with its rows. A file with a plan column
    (as `export` writes) names each row's plan by its short name; a blank cell means the plan
    chosen. Without one, every row goes into the plan chosen, or into a new plan."""
    plan_column = layout.column(Field.PLAN)
    chose = bool(options.plan_slug or options.new_plan_title)
    chosen = (
        _target(session, layout, filename, options, preview) if chose or not plan_column else None
    )
    if plan_column is None:
        return [] if chosen is None else [(chosen, layout.issues)]
    if chose and chosen is None:
        return []
    known: dict[str, _Target | None] = {}
    groups: dict[int | None, tuple[_Target, list[SourceIssue]]] = {}
    for source in layout.issues:
        slug = source.get(Field.PLAN).strip()
        target, refused = _row_target(session, slug, chosen, known)
        if target is None:
            preview.errors.append(Problem(source.row, _where(plan_column), slug or None, refused))
            continue
        groups.setdefault(target.plan.id if target.plan else None, (target, []))[1].append(source)
    return list(groups.values())


def _row_target(
    session: Session, slug: str, chosen: _Target | None, known: dict[str, _Target | None]
) -> tuple[_Target | None, str]:
    """The plan a row's plan cell names (`known` remembers those looked up), or why not."""
    if not slug:
        missing = "the plan is missing: give its short name, or choose the plan to import into."
        return chosen, "" if chosen else missing
    if chosen is not None and chosen.plan is None:
        return None, "the rows are going into a new plan, so leave this column blank."
    if chosen is not None and chosen.plan is not None:
        if chosen.plan.slug == slug:
            return chosen, ""
        return None, f"this row belongs to another plan, not '{chosen.plan.slug}'."
    if slug not in known:
        plan = session.exec(_plan_named(slug)).first()
        known[slug] = _Target.existing(plan) if plan else None
    return known[slug], "" if known[slug] else "there is no plan with this short name."


def _plan_named(slug: str) -> Any:
    """The plan with this short name, locked until the import ends (PostgreSQL), so two imports
    into one plan take turns."""
    return select(Plan).where(Plan.slug == slug).with_for_update()


def _describe(preview: ImportPreview, targets: list[_Target]) -> None:
    preview.plan_title = "; ".join(t.title for t in targets)
    preview.organisation = "; ".join(dict.fromkeys(t.organisation_name for t in targets))
    preview.new_plan = len(targets) == 1 and targets[0].plan is None
    preview.plan_slugs = [t.plan.slug for t in targets if t.plan is not None]
    preview.plan_slug = preview.plan_slugs[0] if len(targets) == 1 and preview.plan_slugs else None


def _target(
    session: Session, layout: Layout, filename: str, options: ImportOptions, preview: ImportPreview
) -> _Target | None:
    if options.plan_slug and options.new_plan_title:
        preview.errors.append(
            Problem(None, None, None, "choose either a plan to update or a new plan's title, "
                                      "not both.")
        )  # fmt: skip
        return None
    if options.plan_slug:
        plan = session.exec(_plan_named(options.plan_slug)).first()
        if plan is None:
            preview.errors.append(
                Problem(None, None, options.plan_slug, "there is no plan with this short name.")
            )
            return None
        return _Target.existing(plan)
    suggested = suggest_new_plan(session, layout, filename)
    title = " ".join(without_controls(options.new_plan_title or "").split()) or suggested.title
    if len(title) > MAX_TITLE:
        preview.errors.append(
            Problem(None, None, title, f"the plan title is longer than {MAX_TITLE} characters.")
        )
    org_name = " ".join(without_controls(options.organisation or "").split())
    org_name = org_name or suggested.organisation
    if not org_name:
        preview.errors.append(
            Problem(None, None, None, "the file does not name its organisation: say which "
                                      "organisation (council) the new plan belongs to.")
        )  # fmt: skip
        return None
    if len(org_name) > MAX_ORGANISATION:
        preview.errors.append(
            Problem(None, None, org_name, "the organisation's name is longer than "
                                          f"{MAX_ORGANISATION} characters.")
        )  # fmt: skip
        return None
    organisation = next(
        (
            o
            for o in session.exec(select(Organisation)).all()
            if name_key(o.name) == name_key(org_name)
        ),
        None,
    )
    target = _Target(None, organisation, title, organisation.name if organisation else org_name)
    if options.framework or options.level:
        try:
            if not (options.framework and options.level):
                raise PlanLevelRefused("give both the framework version and the level.")
            target.framework, target.level = find_framework_level(
                session, options.framework, options.level
            )
        except PlanLevelRefused as exc:
            preview.errors.append(Problem(None, None, None, str(exc)))
            return None
    return target


@dataclass(frozen=True)
class NewPlanDefaults:
    """What a new plan is called and whose it is, as the file suggests ("" when it cannot)."""

    title: str
    organisation: str
    organisation_known: bool  # an organisation the dashboard has already


def suggest_new_plan(
    session: Session, layout: Layout, filename: str, last_organisation: str | None = None
) -> NewPlanDefaults:
    """The new plan's title from the file's title lines (else its name), and its organisation:
    one the title lines name (matched to a known one by name), else the one the person last
    imported into, else "" (they are asked); never an organisation the file does not name."""
    known = organisation_names(session)
    title = suggest_title(layout.title_lines, filename, MAX_TITLE)
    named = organisation_in(layout.title_lines, known) or last_organisation or ""
    named = " ".join(named.split())
    match = next((k for k in known if name_key(k) == name_key(named)), None) if named else None
    return NewPlanDefaults(title, match or named, match is not None)


class _Directory:
    """The organisation's leads by folded name and alias, plus those this import adds."""

    def __init__(self, session: Session, organisation: Organisation | None) -> None:
        self.leads: dict[str, Lead] = {}
        self.created: set[int] = set()
        if organisation is None or organisation.id is None:
            return
        for lead in session.exec(select(Lead).where(Lead.organisation_id == organisation.id)):
            self.leads[name_key(lead.name)] = lead
        for alias in session.exec(
            select(LeadAlias).where(LeadAlias.organisation_id == organisation.id)
        ):
            self.leads.setdefault(alias.alias_key, alias.lead)

    def knows(self, name: str) -> bool:
        return name_key(name) in self.leads


@dataclass
class _Reader:
    """What one plan's rows are checked against: its sections, levels, leads and refs so far."""

    layout: Layout
    target: _Target
    preview: ImportPreview
    directory: _Directory
    matcher: CharacteristicMatcher
    directorates: set[str]
    sections: dict[str, tuple[int, str]]
    levels: dict[str, Level]
    has_objectives: bool
    existing_refs: frozenset[str] = frozenset()  # the refs the plan has already
    counters: dict[str, int] = field(default_factory=dict)
    seen_refs: dict[str, int] = field(default_factory=dict)
    new_leads: dict[str, str] = field(default_factory=dict)


def _plan_rows(
    session: Session,
    layout: Layout,
    target: _Target,
    issues: list[SourceIssue],
    preview: ImportPreview,
    tick: Callable[[int], None],
) -> list[_Planned]:
    directory = _Directory(session, target.organisation)
    ensure_protected_characteristics(session)  # an empty database still knows the nine
    plan = target.plan
    sections = section_lookup(plan.sections) if plan is not None else {}
    levels = target.framework.levels if target.framework is not None else []
    reader = _Reader(
        layout=layout,
        target=target,
        preview=preview,
        directory=directory,
        matcher=CharacteristicMatcher(
            (c.code, c.name, c.protected, list(c.aliases))
            for c in session.exec(select(Characteristic)).all()
        ),
        directorates=directorate_candidates(i.get(Field.LEADS) for i in issues)
        | {lead.name for lead in directory.leads.values() if lead.kind == LeadKind.SERVICE.value},
        sections={key: (s.position, s.heading) for key, s in sections.items()},
        levels={name_key(level.name): level for level in levels},
        has_objectives=layout.column(Field.OBJECTIVE) is not None
        or any(i.objective for i in issues),
        existing_refs=frozenset(
            session.exec(select(Issue.ref).where(Issue.plan_id == plan.id)).all()
            if plan is not None
            else ()
        ),
    )
    planned = []
    for source in issues:
        tick(source.row)
        planned.append(_read_row(reader, source))
    if not _STATUS_COLUMNS & set(layout.fields()) and any(row.status for row in planned):
        preview.warnings.append(Problem(None, None, None, NOTES_READ))
    if (
        any(row.characteristic_codes for row in planned)
        and layout.column(Field.CHARACTERISTICS) is None
    ):
        preview.warnings.append(Problem(None, None, None, WORDS_TAGGED))
    for name in reader.new_leads.values():
        if name not in preview.new_leads:
            preview.new_leads.append(name)
    return planned


def _read_row(reader: _Reader, source: SourceIssue) -> _Planned:
    """One row as the change it asks for, its problems added to the preview."""
    layout, exported = reader.layout, reader.layout.exported

    def problem(which: Field, message: str, *, warn: bool = False) -> None:
        cell = source.cells.get(which)
        found = Problem(source.row, _where(cell.column if cell else layout.column(which)),
                        cell.value if cell else None, message)  # fmt: skip
        (reader.preview.warnings if warn else reader.preview.errors).append(found)

    heading = " ".join(
        (source.get(Field.THEME) or source.section or _only_section(reader.sections)).split()
    )
    if exported and not source.get(Field.THEME):
        problem(Field.THEME, "the theme or section is missing.")
    elif len(heading) > MAX_HEADING:
        problem(Field.THEME, f"the theme or section heading is longer than {MAX_HEADING} "
                             "characters.")  # fmt: skip
    key = name_key(heading)
    if exported and reader.target.plan is not None and key not in reader.sections:
        problem(Field.THEME, f"not a theme or section of the plan '{reader.target.plan.slug}'.")
    reader.sections.setdefault(key, (len(reader.sections) + 1, heading))
    reader.counters[key] = reader.counters.get(key, 0) + 1
    written = source.get(Field.REF).strip()
    ref = written.rstrip(".").strip()
    numbered = f"{reader.sections[key][0]}.{reader.counters[key]}"
    if written and not _REF_WORD.search(ref):
        problem(Field.REF, "this is not a ref: a ref needs at least one letter or number, for "
                           "example 1.1. Write the action's ref.")  # fmt: skip
    elif not ref and exported:
        problem(Field.REF, "the ref is missing.")
    elif not ref and layout.column(Field.REF) is not None and numbered in reader.existing_refs:
        problem(Field.REF, f"the ref is missing, and the number it would be given ({numbered}) "
                           "is already an action of the plan, which it would overwrite. Write "
                           "the ref of the action this row is for.")  # fmt: skip
    ref = ref or numbered
    if len(ref) > MAX_REF:
        problem(Field.REF, f"a ref can be at most {MAX_REF} characters long.")
    elif ref in reader.seen_refs:
        problem(Field.REF, f"the ref {ref} is already used on row {reader.seen_refs[ref]}; "
                           "each action needs its own ref.")  # fmt: skip
    else:
        reader.seen_refs[ref] = source.row
    leads = _leads(reader, source, problem)
    values: dict[str, Any] = {"text": source.get(Field.ISSUE)}
    if layout.column(Field.LEADS) is not None and not exported:
        values["lead_text"] = source.get(Field.LEADS) or None  # as written (export has none)
    if reader.has_objectives:
        values["objective"] = source.get(Field.OBJECTIVE) or source.objective
    if layout.column(Field.MEASURE) is not None:
        values["measure"] = source.get(Field.MEASURE) or None
    if layout.column(Field.LEVEL) is not None:
        level = None
        if source.get(Field.LEVEL):
            level = reader.levels.get(name_key(source.get(Field.LEVEL)))
            if level is None:
                problem(Field.LEVEL, "not a level of this plan's framework.")
        values["level_id"] = level.id if level else None
    values.update(_due(layout, source, problem))
    codes: list[str] | None = None
    if layout.column(Field.CHARACTERISTICS) is not None:
        reading = reader.matcher.read(source.get(Field.CHARACTERISTICS))
        codes = list(reading.codes)
        for word in reading.unknown:
            problem(Field.CHARACTERISTICS, f"'{word}' is not a protected characteristic this "
                    "dashboard knows" + ("." if exported else "; it was left out."),
                    warn=not exported)  # fmt: skip
    elif reader.target.plan is None and not exported:  # a new plan: tagged by its own words
        codes = list(reader.matcher.named_in(
            source.get(Field.ISSUE), values.get("objective"), heading, source.get(Field.MEASURE),
            source.get(Field.NOTES)))  # fmt: skip
    status, note = None, source.get(Field.NOTES) or None
    if source.get(Field.COMPLETED) and not source.get(Field.STATUS):
        status, done = read_completed(source.get(Field.COMPLETED))
        note = f"{note}\n{done}" if note else done
    elif source.get(Field.STATUS):
        text = source.get(Field.STATUS)
        status = _own_word(Status, text) if exported else read_status(text)
        if status is None and not exported and (status := leading_status(text)) is not None:
            note = note or text  # "Delayed: Data collection ..." is the progress, kept whole
        if status is None:
            problem(Field.STATUS, "this status is not one the dashboard knows. Use one of: "
                                  + ", ".join(s.value for s in Status) + ".")  # fmt: skip
    elif exported:
        problem(Field.STATUS, "the status is missing.")
    if source.get(Field.RAG):
        own_rag = read_own_rag(source.get(Field.RAG))
        if own_rag is None:
            problem(Field.RAG, "not a RAG rating (Red, Amber or Green); it was left out.",
                    warn=True)  # fmt: skip
        else:
            values["own_rag"] = own_rag.value
            if (
                status is None
                and layout.column(Field.STATUS) is None
                and (ref not in reader.existing_refs)
            ):
                status = Status.IN_PROGRESS  # a new action the council rates has started
    if (
        status is None
        and note
        and reader.target.plan is None  # a plan already kept keeps its officers' statuses
        and not exported
        and not _STATUS_COLUMNS & set(layout.fields())
    ):
        status = progress_status(note)
    return _Planned(source, heading, ref, leads, values, codes, status, note)


def _leads(
    reader: _Reader, source: SourceIssue, problem: Callable[[Field, str], None]
) -> list[LeadName] | None:
    """The row's leads: an exported cell is names joined by " / " (kept as they are); a
    council's cell is read by the lead-name rules. New names are noted for the preview."""
    if reader.layout.column(Field.LEADS) is None:
        return None
    cell, directory = source.get(Field.LEADS), reader.directory
    if reader.layout.exported:
        leads = [LeadName(name) for name in split_leads(cell)]
    else:
        leads = split_lead_cell(cell, directorates=reader.directorates, known=directory.knows)
    for lead in leads:
        for lead_name in (lead.parent, lead.name):
            if lead_name and len(lead_name) > MAX_LEAD:
                problem(Field.LEADS, f"a lead's name is longer than {MAX_LEAD} characters.")
            elif lead_name and not directory.knows(lead_name):
                reader.new_leads.setdefault(name_key(lead_name), lead_name)
        if lead.parent and not directory.knows(lead.name):
            reader.new_leads[name_key(lead.name)] = f"{lead.name} (in {lead.parent})"
    return leads


def _due(layout: Layout, source: SourceIssue, problem: Callable[..., None]) -> dict[str, Any]:
    """Timescale, due date, precision and recurrence. The timescale as written gives them all;
    a due-date, precision or recurrence column (as `export` writes) says them exactly instead."""
    has = {f: layout.column(f) is not None for f in
           (Field.TIMESCALE, Field.DUE_DATE, Field.DUE_PRECISION, Field.RECURRENCE)}  # fmt: skip
    values: dict[str, Any] = {}
    due: date | None = None
    precision: Precision | None = None
    recurrence: Recurrence | None = None
    if has[Field.TIMESCALE]:
        written = source.get(Field.TIMESCALE)
        timescale = parse_timescale(written)
        if timescale.warning and written and not has[Field.DUE_DATE]:
            problem(Field.TIMESCALE, timescale.warning, warn=True)
        values["timescale"] = written or None
        due, precision, recurrence = timescale.due, timescale.precision, timescale.recurrence
    if has[Field.DUE_DATE]:
        due = precision = None
        if source.get(Field.DUE_DATE):
            try:
                due, precision = read_due_date(source.get(Field.DUE_DATE)), Precision.DAY
            except DueDateUnreadable:
                problem(Field.DUE_DATE, "must be a date written as YYYY-MM-DD, for example "
                                        "2008-06-30.")  # fmt: skip
    if has[Field.DUE_PRECISION] and source.get(Field.DUE_PRECISION):
        given = _own_word(Precision, source.get(Field.DUE_PRECISION))
        if given is None:
            problem(Field.DUE_PRECISION, "must be one of: " + ", ".join(Precision) + ".")
        elif due is not None:
            precision = given
    if has[Field.RECURRENCE]:
        recurrence = None
        if source.get(Field.RECURRENCE):
            recurrence = _own_word(Recurrence, source.get(Field.RECURRENCE))
            if recurrence is None:
                problem(Field.RECURRENCE, "must be one of: " + ", ".join(Recurrence) + ".")
    if has[Field.TIMESCALE] or has[Field.DUE_DATE]:
        values["due_date"] = due
        values["due_precision"] = precision.value if precision else None
    if has[Field.TIMESCALE] or has[Field.RECURRENCE]:
        values["recurrence"] = recurrence.value if recurrence else None
    return values


def _only_section(sections: dict[str, tuple[int, str]]) -> str:
    """The plan's one section (however many names it answers to), else DEFAULT_SECTION."""
    only = set(sections.values())
    return only.pop()[1] if len(only) == 1 else DEFAULT_SECTION


# ---------------------------------------------------------------- writing


def _slug(session: Session, title: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")[:70].strip("-") or "plan"
    taken = set(session.exec(select(Plan.slug).where(col(Plan.slug).startswith(base))).all())
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(
    session: Session,
    target: _Target,
    planned: list[_Planned],
    preview: ImportPreview,
    actor: Actor,
    filename: str,
    tick: Callable[[int], None],
) -> None:
    organisation = target.organisation
    if organisation is None:
        source = "Import of " + shorten_file_name(filename, MAX_SOURCE - len("Import of "))
        organisation = Organisation(name=target.organisation_name, source=source)
        session.add(organisation)
        session.flush()
    plan = target.plan
    if plan is None:
        plan = Plan(
            slug=_slug(session, target.title),
            title=target.title,
            organisation_id=pk(organisation),
            framework_id=target.framework.id if target.framework else None,
            level_id=target.level.id if target.level else None,
            source_document=shorten_file_name(filename, MAX_SOURCE_DOCUMENT),
        )
        if any("own_rag" in row.values for row in planned):  # the plan's figures are its own
            plan.rating_source = RatingSource.COUNCIL.value
        session.add(plan)
        session.flush()
        preview.plan_slug = plan.slug
        preview.plan_slugs.append(plan.slug)
    directory = _Directory(session, organisation)
    sections = section_lookup(plan.sections)
    characteristics = {c.code: pk(c) for c in session.exec(select(Characteristic)).all()}
    # Locked as read (PostgreSQL; SQLite's write lock is already held), fresh from the database:
    # an officer's save cannot move an issue's version on between this read and its update.
    issues = {
        i.ref: i
        for i in session.exec(
            select(Issue)
            .where(Issue.plan_id == plan.id)
            .order_by(col(Issue.id))
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
    }
    last_notes = _last_notes(session, [pk(i) for i in issues.values()])
    position = session.exec(select(func.max(Issue.position)).where(Issue.plan_id == plan.id)).one()
    position = position or 0
    new_issues: list[tuple[_Planned, int, int, list[int], list[int]]] = []
    for row in planned:
        tick(row.source.row)
        section = sections.get(name_key(row.section))
        if section is None:
            section = Section(plan_id=pk(plan), position=len({pk(s) for s in sections.values()})
                              + 1, heading=row.section)  # fmt: skip
            session.add(section)
            session.flush()
            sections[name_key(row.section)] = section
            preview.new_sections.append(row.section)
        lead_ids = _lead_ids(session, directory, organisation, row.leads or [])
        char_ids = (
            None
            if row.characteristic_codes is None
            else [characteristics[c] for c in row.characteristic_codes]
        )
        line = IssueLine(row.source.row, row.ref, section.heading, row.values["text"],
                         plan=plan.slug)  # fmt: skip
        issue = issues.get(row.ref)
        if issue is None:
            position += 1
            new_issues.append((row, pk(section), position, lead_ids, char_ids or []))
            preview.new.append(line)
            continue
        changes = _update(session, issue, section, row, lead_ids, char_ids, actor, filename,
                          last_notes.get(pk(issue)))  # fmt: skip
        if changes:
            preview.updated.append(replace(line, changes=changes))
        else:
            preview.unchanged.append(line)
    session.flush()
    _insert_new(session, plan, new_issues, actor, filename)


def _insert_new(
    session: Session,
    plan: Plan,
    new_issues: list[tuple[_Planned, int, int, list[int], list[int]]],
    actor: Actor,
    filename: str,
) -> None:
    """Write new issues, their links and first history entries as a few batched INSERTs (a
    10,000-row plan in seconds, not minutes of one-by-one ORM saves)."""
    if not new_issues:
        return
    now = utcnow()
    issue_table = _table(Issue)
    rows = [
        {"plan_id": pk(plan), "section_id": section_id, "ref": row.ref, "position": position,
         "level_id": plan.level_id, "status": (row.status or Status.NOT_STARTED).value,
         "version": 1, "created_at": now, "updated_at": now, "updated_by": actor.name,
         "objective": None, "lead_text": None, "timescale": None, "due_date": None,
         "due_precision": None, "recurrence": None, "measure": None, "own_rag": None,
         **row.values}
        for row, section_id, position, _leads, _chars in new_issues
    ]  # fmt: skip
    ids: list[int] = []
    for start in range(0, len(rows), _BATCH):
        result = session.execute(
            insert(issue_table).returning(issue_table.c.id, sort_by_parameter_order=True),
            rows[start : start + _BATCH],
        )
        ids.extend(r[0] for r in result)
    leads, chars, history = [], [], []
    for issue_id, (row, _section, _position, lead_ids, char_ids) in zip(
        ids, new_issues, strict=True
    ):
        leads += [
            {"issue_id": issue_id, "lead_id": lead_id, "position": n}
            for n, lead_id in enumerate(dict.fromkeys(lead_ids))
        ]
        chars += [{"issue_id": issue_id, "characteristic_id": c} for c in dict.fromkeys(char_ids)]
        if row.status not in (None, Status.NOT_STARTED) or row.note:
            history.append(
                {"issue_id": issue_id, "from_status": None,
                 "to_status": (row.status or Status.NOT_STARTED).value,
                 "note": row.note or f"Status set by importing {filename}.", "by": actor.name,
                 "by_user_id": actor.user_id, "at": now}
            )  # fmt: skip
    for model, values in ((IssueLead, leads), (IssueCharacteristic, chars),
                          (StatusChange, history)):  # fmt: skip
        for start in range(0, len(values), _BATCH):
            session.execute(insert(_table(model)), values[start : start + _BATCH])


_BATCH = 5_000


def _table(model: type[SQLModel]) -> SqlTable:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


_LABELS = {
    "text": "action text",
    "lead_text": "lead",
    "objective": "objective",
    "measure": "measure",
    "timescale": "timescale",
    "due_date": "due date",
    "due_precision": "due date",
    "recurrence": "how often",
    "level_id": "level",
    "own_rag": "council's RAG rating",
}


def _update(
    session: Session,
    issue: Issue,
    section: Section,
    row: _Planned,
    lead_ids: list[int],
    char_ids: list[int] | None,
    actor: Actor,
    filename: str,
    last_note: str | None,
) -> tuple[str, ...]:
    changes: list[str] = []
    if issue.section_id != section.id:
        issue.section_id = pk(section)
        changes.append("theme")
    old_due, old_precision = issue.due_date, issue.due_precision
    for key, value in row.values.items():
        if getattr(issue, key) != value:
            setattr(issue, key, value)
            if _LABELS[key] not in changes:
                changes.append(_LABELS[key])
    if (old_due, old_precision) != (issue.due_date, issue.due_precision):
        session.add(
            DueDateChange(
                issue_id=pk(issue),
                from_due=old_due,
                to_due=issue.due_date,
                from_precision=old_precision,
                to_precision=issue.due_precision,
                reason=f"Changed by importing {filename}.",
                by=actor.name,
                by_user_id=actor.user_id,
            )
        )
    if row.leads is not None and [link.lead_id for link in issue.lead_links] != lead_ids:
        changes.append("leads")
    chars_changed = char_ids is not None and sorted(
        link.characteristic_id for link in issue.characteristic_links
    ) != sorted(set(char_ids))
    if chars_changed:
        changes.append("characteristics")
    status_changed = row.status is not None and row.status.value != issue.status
    note_changed = row.note is not None and row.note != last_note
    if status_changed or note_changed:
        _status_change(session, issue, issue.status, row, actor, filename)
        if status_changed and row.status is not None:
            issue.status = row.status.value
            changes.append("status")
        if note_changed:
            changes.append("progress note")
    if not changes:
        return ()
    if "leads" in changes:
        for link in list(issue.lead_links):
            session.delete(link)
    if chars_changed:
        for clink in list(issue.characteristic_links):
            session.delete(clink)
    session.flush()
    session.refresh(issue)
    _set_links(
        issue,
        lead_ids if "leads" in changes else [],
        (char_ids or []) if chars_changed else [],
    )
    issue.updated_at = utcnow()
    issue.updated_by = actor.name
    session.add(issue)
    return tuple(changes)


def _status_change(
    session: Session,
    issue: Issue,
    from_status: str | None,
    row: _Planned,
    actor: Actor,
    filename: str,
) -> None:
    to_status = row.status.value if row.status else issue.status
    issue.status_changes.append(
        StatusChange(
            issue_id=pk(issue),
            from_status=from_status,
            to_status=to_status,
            note=row.note or f"Status set by importing {filename}.",
            by=actor.name,
            by_user_id=actor.user_id,
        )
    )


def _last_notes(session: Session, issue_ids: list[int]) -> dict[int, str | None]:
    if not issue_ids:
        return {}
    latest = (
        select(StatusChange.issue_id, func.max(StatusChange.id).label("last"))
        .where(col(StatusChange.issue_id).in_(issue_ids))
        .group_by(col(StatusChange.issue_id))
        .subquery()
    )
    rows = session.exec(
        select(StatusChange.issue_id, StatusChange.note).join(
            latest, col(StatusChange.id) == latest.c.last
        )
    ).all()
    return dict(rows)


def _lead_ids(
    session: Session, directory: _Directory, organisation: Organisation, leads: list[LeadName]
) -> list[int]:
    """Ids of the cell's leads, creating the new ones; a new role written "Role, Directorate"
    becomes an officer whose parent is the directorate (a service). Existing leads are kept
    as they are."""
    ids: list[int] = []
    for lead in leads:
        found = _lead(session, directory, organisation, lead.name)
        if lead.parent and pk(found) in directory.created and found.parent_id is None:
            parent = _lead(session, directory, organisation, lead.parent)
            if parent.id != found.id:
                found.parent_id = parent.id
                found.kind = LeadKind.OFFICER.value
                session.add(found)
        if pk(found) not in ids:
            ids.append(pk(found))
    return ids


def _lead(session: Session, directory: _Directory, organisation: Organisation, name: str) -> Lead:
    key = name_key(name)
    lead = directory.leads.get(key)
    if lead is None:
        lead = Lead(
            organisation_id=pk(organisation),
            name=" ".join(name.split()),
            kind=LeadKind.SERVICE.value,
        )
        session.add(lead)
        session.flush()
        directory.leads[key] = lead
        directory.created.add(pk(lead))
    return lead


def _set_links(issue: Issue, lead_ids: list[int], char_ids: list[int]) -> None:
    """Attach leads (in order, first = primary) and characteristics; saved with the issue."""
    for position, lead_id in enumerate(dict.fromkeys(lead_ids)):
        issue.lead_links.append(IssueLead(issue_id=pk(issue), lead_id=lead_id, position=position))
    for char_id in dict.fromkeys(char_ids):
        issue.characteristic_links.append(
            IssueCharacteristic(issue_id=pk(issue), characteristic_id=char_id)
        )


def organisation_names(session: Session) -> list[str]:
    """Every organisation's name, alphabetical (for choosing a new plan's organisation)."""
    return list(session.exec(select(Organisation.name).order_by(col(Organisation.name))).all())
