"""Preview and apply the import of a council's plan: one function, all or nothing.

`run_import(..., dry_run=True)` is the preview: every row is checked and the whole change is
worked out in the database, then rolled back. With `dry_run=False` the same change is committed
in one transaction, or nothing is written at all when any row has an error.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from types import MappingProxyType
from typing import Any

from sqlalchemy import Table as SqlTable
from sqlalchemy import func, insert
from sqlmodel import Session, SQLModel, col, select

from dashboard.formats.headers import Column, Field, recognise
from dashboard.formats.layout import Layout, SourceIssue, read_layout
from dashboard.formats.sheets import Limits, Table, read_table
from dashboard.rules.characteristics import CharacteristicMatcher
from dashboard.rules.lead_names import LeadName, directorate_candidates, split_lead_cell
from dashboard.rules.names import name_key
from dashboard.rules.permissions import Actor, require_admin
from dashboard.rules.timescale import parse_timescale
from models import (
    Characteristic,
    DueDateChange,
    Issue,
    IssueCharacteristic,
    IssueLead,
    Lead,
    LeadAlias,
    LeadKind,
    Organisation,
    Plan,
    Section,
    Status,
    StatusChange,
    pk,
    utcnow,
)

Progress = Callable[[float, str], None]

DEFAULT_SECTION = "Actions"
MAX_REF = 20
MAX_LEAD = 200
MAX_HEADING = 300
MAX_TITLE = 300
MAX_ORGANISATION = 200

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


@dataclass(frozen=True)
class ImportOptions:
    """What the user chose: the sheet, their column mapping and which plan the rows go into."""

    sheet: str | None = None
    mapping: Mapping[str, Field] = field(default_factory=lambda: MappingProxyType({}))
    plan_slug: str | None = None  # update this plan ...
    new_plan_title: str | None = None  # ... or create a new one with this title
    organisation: str | None = None  # the new plan's organisation (found by name, or created)
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class Problem:
    """An error or warning, placed as a spreadsheet would show it."""

    row: int | None
    column: str | None  # e.g. "C 'Lead service/officer'"
    value: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
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
class IssueLine:
    row: int
    ref: str
    theme: str
    text: str
    changes: tuple[str, ...] = ()


@dataclass
class ImportPreview:
    """What an import would do (or did): the lists the preview screen and the CLI show."""

    filename: str
    sheet: str | None = None
    sheets: tuple[str, ...] = ()
    header_row: int | None = None
    columns: list[Column] = field(default_factory=list)
    plan_title: str = ""
    plan_slug: str | None = None
    new_plan: bool = False
    organisation: str = ""
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

    def summary(self) -> str:
        """Plain text for the command line."""
        if self.errors:
            lines = [f"Nothing was imported: {len(self.errors)} problem(s) found."]
            lines += [f"  {p}" for p in self.errors]
            if self.warnings:
                lines.append(f"Warnings ({len(self.warnings)}):")
                lines += [f"  {p}" for p in self.warnings]
            return "\n".join(lines)
        verb = "Imported" if self.applied else "Dry run (nothing written)"
        where = "new plan" if self.new_plan else "plan"
        lines = [
            f"{verb} into {where} '{self.plan_title}' ({self.organisation}): "
            f"{len(self.new)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged issue(s)."
        ]
        if self.new_sections:
            lines.append("New themes or sections: " + "; ".join(self.new_sections))
        if self.new_leads:
            lines.append("New leads: " + "; ".join(self.new_leads))
        for line in self.updated:
            lines.append(f"  Updated {line.ref}: " + ", ".join(line.changes))
        if self.warnings:
            lines.append(f"Warnings ({len(self.warnings)}):")
            lines += [f"  {p}" for p in self.warnings]
        return "\n".join(lines)


def inspect_file(data: bytes, filename: str, options: ImportOptions) -> tuple[Table, Layout]:
    """Read the file and find its layout (no database). Raises ImportFileError."""
    table = read_table(data, filename, sheet=options.sheet, limits=options.limits)
    return table, read_layout(table, options.mapping)


def _where(column: Column | None) -> str | None:
    return f"{column.letter} '{column.header}'" if column else None


# ---------------------------------------------------------------- what the file says


@dataclass
class _Planned:
    source: SourceIssue
    section: str
    ref: str
    leads: list[LeadName]
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
    """Check every row, then write the whole plan in one transaction (or, for a dry run, work
    it out and roll back). Errors in any row mean nothing is written. Raises ImportFileError
    when the file cannot be read and PermissionDenied for anyone but an admin."""
    require_admin(actor, "import plans")
    report = progress or (lambda _share, _text: None)
    report(0.0, "Reading the file")
    table, layout = inspect_file(data, filename, options)
    name = PurePath(filename).name
    preview = ImportPreview(
        filename=name,
        sheet=table.sheet,
        sheets=table.sheets,
        header_row=layout.header_row,
        columns=layout.columns,
    )
    _check_columns(layout, preview)
    target = _target(session, layout, name, options, preview)
    if preview.errors or target is None:
        return preview
    preview.plan_title = target.title
    preview.organisation = target.organisation_name
    preview.new_plan = target.plan is None
    preview.plan_slug = target.plan.slug if target.plan else None
    planned = _plan_rows(session, layout, target, preview, report)
    if preview.errors:
        return preview
    try:
        _apply(session, layout, target, planned, preview, actor, name, report)
    except BaseException:
        session.rollback()
        raise
    if dry_run:
        session.rollback()  # worked out in full, then thrown away
    else:
        session.commit()
        preview.applied = True
    report(1.0, "Done")
    return preview


def _check_columns(layout: Layout, preview: ImportPreview) -> None:
    header = layout.header_row
    if layout.column(Field.ISSUE) is None:
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
        twin = next((c for c in layout.columns if c.field and c.field is recognise(column.header)
                     and c.index < column.index), None)  # fmt: skip
        message = (
            f"the column {twin.letter} is already read as '{twin.field}', so this one "
            "will be left out."
            if twin and twin.field
            else "this column was not recognised, so it will be left out. "
            "Choose what it holds to include it."
        )
        preview.warnings.append(Problem(header, _where(column), None, message))
    if not layout.issues and not preview.errors:
        preview.errors.append(
            Problem(header, None, None, "the file has a header but no actions under it.")
        )
    for number in layout.blank_action_rows:
        preview.warnings.append(
            Problem(number, _where(layout.column(Field.ISSUE)), None,
                    "this row has no action text, so it was left out.")
        )  # fmt: skip


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
        plan = session.exec(select(Plan).where(Plan.slug == options.plan_slug)).first()
        if plan is None:
            preview.errors.append(
                Problem(None, None, options.plan_slug, "there is no plan with this short name.")
            )
            return None
        return _Target(plan, plan.organisation, plan.title, plan.organisation.name)
    title = " ".join((options.new_plan_title or "").split())
    if not title:
        title = " ".join(layout.title_lines[0].split()) if layout.title_lines else ""
    title = title or PurePath(filename).stem.replace("_", " ").strip() or "Imported plan"
    if len(title) > MAX_TITLE:
        preview.errors.append(
            Problem(None, None, title, f"the plan title is longer than {MAX_TITLE} characters.")
        )
    org_name = " ".join((options.organisation or "").split())
    if not org_name:
        preview.errors.append(
            Problem(None, None, None, "say which organisation (council) the new plan belongs to.")
        )
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
    return _Target(None, organisation, title, organisation.name if organisation else org_name)


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


def _plan_rows(
    session: Session, layout: Layout, target: _Target, preview: ImportPreview, report: Progress
) -> list[_Planned]:
    directory = _Directory(session, target.organisation)
    lead_column = layout.column(Field.LEADS)
    lead_cells = [i.get(Field.LEADS) for i in layout.issues]
    directorates = directorate_candidates(lead_cells) | {
        lead.name for lead in directory.leads.values() if lead.kind == LeadKind.SERVICE.value
    }
    matcher = CharacteristicMatcher(
        (c.code, c.name, c.protected, list(c.aliases))
        for c in session.exec(select(Characteristic)).all()
    )
    sections = _section_order(target.plan)
    counters: dict[str, int] = {}
    seen_refs: dict[str, int] = {}
    planned: list[_Planned] = []
    new_leads: dict[str, str] = {}
    has_objectives = layout.column(Field.OBJECTIVE) is not None or any(
        i.objective for i in layout.issues
    )
    total = len(layout.issues)
    for count, source in enumerate(layout.issues, start=1):
        if count % 200 == 0:
            report(0.05 + 0.6 * count / total, f"Checking row {source.row}")

        def problem(which: Field | None, message: str, *, warn: bool = False,
                    source: SourceIssue = source) -> None:  # fmt: skip
            cell = source.cells.get(which) if which else None
            found = Problem(source.row, _where(cell.column) if cell else None,
                            cell.value if cell else None, message)  # fmt: skip
            (preview.warnings if warn else preview.errors).append(found)

        heading = source.get(Field.THEME) or source.section or _only_section(sections)
        heading = " ".join(heading.split())
        if len(heading) > MAX_HEADING:
            problem(Field.THEME, f"the theme or section heading is longer than {MAX_HEADING} "
                                 "characters.")  # fmt: skip
        key = name_key(heading)
        sections.setdefault(key, (len(sections) + 1, heading))
        counters[key] = counters.get(key, 0) + 1
        ref = source.get(Field.REF).strip().rstrip(".").strip()
        if not ref:
            ref = f"{sections[key][0]}.{counters[key]}"
        if len(ref) > MAX_REF:
            problem(Field.REF, f"a ref can be at most {MAX_REF} characters long.")
        elif ref in seen_refs:
            problem(Field.REF, f"the ref {ref} is already used on row {seen_refs[ref]}; "
                               "each action needs its own ref.")  # fmt: skip
        else:
            seen_refs[ref] = source.row
        leads = split_lead_cell(
            source.get(Field.LEADS), directorates=directorates, known=directory.knows
        )
        for lead in leads:
            for lead_name in (lead.parent, lead.name):
                if lead_name and len(lead_name) > MAX_LEAD:
                    problem(Field.LEADS, f"a lead's name is longer than {MAX_LEAD} characters.")
                elif lead_name and not directory.knows(lead_name):
                    new_leads.setdefault(name_key(lead_name), lead_name)
            if lead.parent and not directory.knows(lead.name):
                new_leads[name_key(lead.name)] = f"{lead.name} (in {lead.parent})"
        values: dict[str, Any] = {"text": source.get(Field.ISSUE)}
        if lead_column is not None:
            values["lead_text"] = source.get(Field.LEADS) or None
        if has_objectives:
            values["objective"] = source.get(Field.OBJECTIVE) or source.objective
        if layout.column(Field.MEASURE) is not None:
            values["measure"] = source.get(Field.MEASURE) or None
        if layout.column(Field.TIMESCALE) is not None:
            written = source.get(Field.TIMESCALE)
            timescale = parse_timescale(written)
            if timescale.warning and written:
                problem(Field.TIMESCALE, timescale.warning, warn=True)
            values.update(
                timescale=written or None,
                due_date=timescale.due,
                due_precision=timescale.precision.value if timescale.precision else None,
                recurrence=timescale.recurrence.value if timescale.recurrence else None,
            )
        codes: list[str] | None = None
        if layout.column(Field.CHARACTERISTICS) is not None:
            reading = matcher.read(source.get(Field.CHARACTERISTICS))
            codes = list(reading.codes)
            for word in reading.unknown:
                problem(Field.CHARACTERISTICS, f"'{word}' is not a protected characteristic "
                                               "this dashboard knows; it was left out.",
                        warn=True)  # fmt: skip
        status = None
        if source.get(Field.STATUS):
            status = read_status(source.get(Field.STATUS))
            if status is None:
                problem(Field.STATUS, "this status is not one the dashboard knows. Use one of: "
                                      + ", ".join(s.value for s in Status) + ".")  # fmt: skip
        planned.append(
            _Planned(source, heading, ref, leads, values, codes, status,
                     source.get(Field.NOTES) or None)
        )  # fmt: skip
    preview.new_leads = list(new_leads.values())
    return planned


def _only_section(sections: dict[str, tuple[int, str]]) -> str:
    if len(sections) == 1:
        return next(iter(sections.values()))[1]
    return DEFAULT_SECTION


def _section_order(plan: Plan | None) -> dict[str, tuple[int, str]]:
    """Folded heading -> (position, heading) of the plan's sections; the file's new ones follow."""
    order: dict[str, tuple[int, str]] = {}
    if plan is not None:
        for section in plan.sections:
            order[name_key(section.heading)] = (section.position, section.heading)
            if section.theme is not None:
                names = [section.theme.name, section.theme.short_name, *section.theme.aliases]
                for other in names:
                    order.setdefault(name_key(other), (section.position, section.heading))
    return order


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
    layout: Layout,
    target: _Target,
    planned: list[_Planned],
    preview: ImportPreview,
    actor: Actor,
    filename: str,
    report: Progress,
) -> None:
    organisation = target.organisation
    if organisation is None:
        organisation = Organisation(name=target.organisation_name, source=f"Import of {filename}")
        session.add(organisation)
        session.flush()
    plan = target.plan
    if plan is None:
        plan = Plan(
            slug=_slug(session, target.title),
            title=target.title,
            organisation_id=pk(organisation),
            source_document=filename[:200],
        )
        session.add(plan)
        session.flush()
        preview.plan_slug = plan.slug
    directory = _Directory(session, organisation)
    sections = {name_key(s.heading): s for s in plan.sections}
    for s in plan.sections:
        if s.theme is not None:
            for other in [s.theme.name, s.theme.short_name, *s.theme.aliases]:
                sections.setdefault(name_key(other), s)
    characteristics = {c.code: pk(c) for c in session.exec(select(Characteristic)).all()}
    issues = {i.ref: i for i in plan.issues}
    last_notes = _last_notes(session, [pk(i) for i in issues.values()])
    position = session.exec(select(func.max(Issue.position)).where(Issue.plan_id == plan.id)).one()
    position = position or 0
    new_issues: list[tuple[_Planned, int, int, list[int], list[int]]] = []
    total = len(planned)
    for count, row in enumerate(planned, start=1):
        if count % 200 == 0:
            report(0.65 + 0.33 * count / total, f"Saving row {row.source.row}")
        section = sections.get(name_key(row.section))
        if section is None:
            section = Section(plan_id=pk(plan), position=len({pk(s) for s in sections.values()})
                              + 1, heading=row.section)  # fmt: skip
            session.add(section)
            session.flush()
            sections[name_key(row.section)] = section
            preview.new_sections.append(row.section)
        lead_ids = _lead_ids(session, directory, organisation, row.leads)
        char_ids = (
            None
            if row.characteristic_codes is None
            else [characteristics[c] for c in row.characteristic_codes]
        )
        line = IssueLine(row.source.row, row.ref, section.heading, row.values["text"])
        issue = issues.get(row.ref)
        if issue is None:
            position += 1
            new_issues.append((row, pk(section), position, lead_ids, char_ids or []))
            preview.new.append(line)
            continue
        changes = _update(session, issue, section, row, lead_ids, char_ids, actor, filename,
                          last_notes.get(pk(issue)))  # fmt: skip
        if changes:
            preview.updated.append(IssueLine(line.row, line.ref, line.theme, line.text, changes))
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
         "due_precision": None, "recurrence": None, "measure": None, **row.values}
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
    if "lead_text" in row.values and [link.lead_id for link in issue.lead_links] != lead_ids:
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
