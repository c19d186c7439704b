"""Plans as CSV/XLSX files (the rows are read by dashboard/reads/exports.py), and import of exactly
that format back, all or nothing.

One row per issue. Import validates every row first and writes nothing if any row is wrong; each
problem names the row number (as a spreadsheet shows it, the header being row 1) and the column.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from dashboard.formats.sheets import ImportFileError
from dashboard.formats.sheets import read_table as read_rows
from dashboard.rules.names import name_key, split_leads
from dashboard.rules.permissions import Actor, require_admin
from models import (
    STATUS_VALUES,
    Characteristic,
    Issue,
    IssueCharacteristic,
    IssueLead,
    Lead,
    LeadAlias,
    Level,
    Plan,
    Section,
    StatusChange,
    pk,
    utcnow,
)

COLUMNS: tuple[str, ...] = (
    "plan",
    "theme",
    "ref",
    "issue",
    "leads",
    "level",
    "status",
    "due",
    "due_precision",
    "recurrence",
    "timescale",
    "measure",
    "characteristics",
)
REQUIRED_COLUMNS = ("plan", "theme", "ref", "issue", "status")
PRECISIONS = ("day", "month", "quarter", "season", "year", "financial year")
RECURRENCES = ("annually", "six monthly", "quarterly", "monthly", "ongoing")
MAX_IMPORT_BYTES = 20 * 1024 * 1024
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" + (f", column '{self.column}'" if self.column else "")
        shown = f" (value: {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.message}{shown}"


@dataclass
class ImportResult:
    new: list[str] = field(default_factory=list)  # "plan ref"
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    new_leads: list[str] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            lines = [f"Nothing was imported: {len(self.errors)} problem(s) found."]
            lines += [f"  {p}" for p in self.errors]
            return "\n".join(lines)
        verb = "Imported" if self.applied else "Dry run (nothing written)"
        text = (
            f"{verb}: {len(self.new)} new, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged issue(s)."
        )
        if self.new_leads:
            text += "\nNew leads: " + ", ".join(self.new_leads)
        return text


# ---------------------------------------------------------------- export


def neutralise(value: str) -> str:
    """Stop a spreadsheet treating text as a formula (CSV/formula injection)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def restore(value: str) -> str:
    """Undo `neutralise` on import."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def rows_to_csv(rows: list[dict[str, str]], columns: Sequence[str] = COLUMNS) -> str:
    """Rows as CSV; cells a spreadsheet would run as formulas are neutralised."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: neutralise(v) for k, v in row.items()})
    return out.getvalue()


def rows_to_xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Issues"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([neutralise(row[c]) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- reading files


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """Read an exported CSV or XLSX into rows keyed by column name. Raises ImportFileError."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{MAX_IMPORT_BYTES // 1_048_576} MB."
        )
    if not filename.lower().endswith((".xlsx", ".csv")):
        raise ImportFileError("Only .csv and .xlsx files can be imported.")
    # The importer's reader: UTF-8 or Windows-1252, comma or semicolon, hostile files refused.
    table = [list(row.cells) for row in read_rows(data, filename).rows]
    if not table:
        raise ImportFileError("The file is empty: no header row was found.")
    header = [(h or "").strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ImportFileError(
            "Row 1 (the header) is missing the column(s): " + ", ".join(missing) + "."
        )
    rows = []
    for values in table[1:]:
        padded = list(values) + [""] * (len(header) - len(values))
        rows.append(
            {h: restore((v or "").strip()) for h, v in zip(header, padded, strict=False) if h}
        )
    return rows


# ---------------------------------------------------------------- import


@dataclass
class _Context:
    plan: Plan
    sections: dict[str, Section]
    levels: dict[str, Level]
    leads: dict[str, Lead]
    issues: dict[str, Issue]


def import_rows(
    session: Session,
    rows: list[dict[str, str]],
    *,
    actor: Actor,
    plan_slug: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Validate every row, then (unless dry_run or any error) apply all in one transaction."""
    require_admin(actor, "import plans")
    result = ImportResult()
    contexts: dict[str, _Context] = {}
    characteristics = _characteristic_lookup(session)
    seen_refs: dict[tuple[str, str], int] = {}
    planned: list[tuple[_Context, dict[str, Any]]] = []

    for number, row in enumerate(rows, start=2):
        problems_before = len(result.errors)

        def problem(
            column: str | None, message: str, number: int = number, row: dict[str, str] = row
        ) -> None:
            result.errors.append(RowProblem(number, column, row.get(column or ""), message))

        slug = row.get("plan", "")
        if plan_slug and slug and slug != plan_slug:
            problem("plan", f"this row belongs to another plan, not '{plan_slug}'")
            continue
        slug = slug or (plan_slug or "")
        if not slug:
            problem("plan", "the plan is missing")
            continue
        ctx = contexts.get(slug) or _context(session, slug)
        if ctx is None:
            problem("plan", "no plan has this slug (see `python -m dashboard plans`)")
            continue
        contexts[slug] = ctx
        section = ctx.sections.get(name_key(row.get("theme", "")))
        if section is None:
            problem("theme", f"not a theme or section of plan '{slug}'")
        ref = row.get("ref", "")
        if not ref:
            problem("ref", "the ref is missing")
        elif (slug, ref) in seen_refs:
            problem("ref", f"the same ref is already used on row {seen_refs[(slug, ref)]}")
        else:
            seen_refs[(slug, ref)] = number
        if not row.get("issue"):
            problem("issue", "the issue text is missing")
        status = row.get("status", "")
        if status not in STATUS_VALUES:
            problem("status", "must be one of: " + ", ".join(STATUS_VALUES))
        level = None
        if row.get("level"):
            level = ctx.levels.get(name_key(row["level"]))
            if level is None:
                problem("level", "not a level of this plan's framework")
        due = None
        if row.get("due"):
            try:
                due = _read_date(row["due"])
            except ValueError:
                problem("due", "must be a date written as YYYY-MM-DD, for example 2008-06-30")
        precision = row.get("due_precision") or None
        if precision and precision not in PRECISIONS:
            problem("due_precision", "must be one of: " + ", ".join(PRECISIONS))
        if due and not precision:
            precision = "day"
        recurrence = row.get("recurrence") or None
        if recurrence and recurrence not in RECURRENCES:
            problem("recurrence", "must be one of: " + ", ".join(RECURRENCES))
        char_ids = []
        for name in _split_list(row.get("characteristics", "")):
            char = characteristics.get(name_key(name))
            if char is None:
                problem("characteristics", f"'{name}' is not a known protected characteristic")
            else:
                char_ids.append(char.id)
        if len(result.errors) > problems_before or section is None:
            continue
        planned.append(
            (
                ctx,
                {
                    "section": section,
                    "ref": ref,
                    "text": row["issue"],
                    "leads": split_leads(row.get("leads", "")),
                    "level_id": level.id if level else None,
                    "status": status,
                    "due_date": due,
                    "due_precision": precision,
                    "recurrence": recurrence,
                    "timescale": row.get("timescale") or None,
                    "measure": row.get("measure") or None,
                    "characteristic_ids": char_ids,
                },
            )
        )
    if not rows:
        result.errors.append(RowProblem(2, None, None, "the file has a header but no issues"))
    if result.errors:
        return result
    try:
        for ctx, values in planned:
            _apply(session, ctx, values, actor, result)
    except BaseException:
        session.rollback()
        raise
    if dry_run:
        session.rollback()  # the changes were worked out in full, then thrown away
    else:
        session.commit()
        result.applied = True
    return result


def _read_date(text: str) -> date:
    """An ISO date as export writes it, or day/month/year as a spreadsheet may show it."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.strptime(text, "%d/%m/%Y").date()


def _split_list(cell: str) -> list[str]:
    return [p.strip() for p in cell.replace(";", "/").split("/") if p.strip()]


def _characteristic_lookup(session: Session) -> dict[str, Characteristic]:
    lookup: dict[str, Characteristic] = {}
    for char in session.exec(select(Characteristic)).all():
        for name in [char.code, char.name, *char.aliases]:
            lookup.setdefault(name_key(name), char)
    return lookup


def _context(session: Session, slug: str) -> _Context | None:
    plan = session.exec(select(Plan).where(Plan.slug == slug)).first()
    if plan is None:
        return None
    sections: dict[str, Section] = {}
    for section in plan.sections:
        sections[name_key(section.heading)] = section
        if section.theme is not None:
            for name in [section.theme.name, section.theme.short_name, *section.theme.aliases]:
                sections.setdefault(name_key(name), section)
    levels = {}
    if plan.framework is not None:
        levels = {name_key(lv.name): lv for lv in plan.framework.levels}
    leads: dict[str, Lead] = {}
    for lead in session.exec(select(Lead).where(Lead.organisation_id == plan.organisation_id)):
        leads[name_key(lead.name)] = lead
    for alias in session.exec(
        select(LeadAlias).where(LeadAlias.organisation_id == plan.organisation_id)
    ):
        leads.setdefault(alias.alias_key, alias.lead)
    issues = {issue.ref: issue for issue in plan.issues}
    return _Context(plan, sections, levels, leads, issues)


def _apply(
    session: Session,
    ctx: _Context,
    values: dict[str, Any],
    actor: Actor,
    result: ImportResult,
) -> None:
    label = f"{ctx.plan.slug} {values['ref']}"
    lead_ids = []
    for name in values["leads"]:
        lead = ctx.leads.get(name_key(name))
        if lead is None:
            lead = Lead(organisation_id=ctx.plan.organisation_id, name=name, kind="service")
            session.add(lead)
            session.flush()
            ctx.leads[name_key(name)] = lead
            result.new_leads.append(name)
        lead_ids.append(lead.id)
    issue = ctx.issues.get(values["ref"])
    fields = {
        "section_id": values["section"].id,
        "text": values["text"],
        "level_id": values["level_id"],
        "due_date": values["due_date"],
        "due_precision": values["due_precision"],
        "recurrence": values["recurrence"],
        "timescale": values["timescale"],
        "measure": values["measure"],
    }
    if issue is None:
        position = (
            session.exec(select(func.max(Issue.position)).where(Issue.plan_id == ctx.plan.id)).one()
            or 0
        )
        issue = Issue(
            plan_id=pk(ctx.plan),
            ref=values["ref"],
            position=position + 1,
            status=values["status"],
            updated_by=actor.name,
            **fields,
        )
        session.add(issue)
        session.flush()
        ctx.issues[issue.ref] = issue
        _set_links(session, issue, lead_ids, values["characteristic_ids"])
        result.new.append(label)
        return
    current_leads = [link.lead_id for link in issue.lead_links]
    current_chars = sorted(link.characteristic_id for link in issue.characteristic_links)
    changed = [k for k, v in fields.items() if getattr(issue, k) != v]
    links_changed = current_leads != lead_ids or current_chars != sorted(
        values["characteristic_ids"]
    )
    status_changed = issue.status != values["status"]
    if not (changed or links_changed or status_changed):
        result.unchanged.append(label)
        return
    result.updated.append(label)
    for key in changed:
        setattr(issue, key, fields[key])
    if status_changed:
        session.add(
            StatusChange(
                issue_id=pk(issue),
                from_status=issue.status,
                to_status=values["status"],
                note="Status set by import.",
                by=actor.name,
                by_user_id=actor.user_id,
            )
        )
        issue.status = values["status"]
    issue.updated_at = utcnow()
    issue.updated_by = actor.name
    session.add(issue)
    if links_changed:
        for link in list(issue.lead_links) + list(issue.characteristic_links):
            session.delete(link)
        session.flush()
        _set_links(session, issue, lead_ids, values["characteristic_ids"])
    session.flush()


def _set_links(session: Session, issue: Issue, lead_ids: list[Any], char_ids: list[Any]) -> None:
    for position, lead_id in enumerate(dict.fromkeys(lead_ids)):
        session.add(IssueLead(issue_id=pk(issue), lead_id=lead_id, position=position))
    for char_id in dict.fromkeys(char_ids):
        session.add(IssueCharacteristic(issue_id=pk(issue), characteristic_id=char_id))
    session.flush()
    session.refresh(issue)


def import_file(
    session: Session,
    path: Path,
    *,
    actor: Actor,
    plan_slug: str | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Read `path` and import it; a file that cannot be read raises ImportFileError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"The file {path} could not be read: {exc.strerror}.") from exc
    return import_rows(
        session, read_table(data, path.name), actor=actor, plan_slug=plan_slug, dry_run=dry_run
    )
