"""Level criteria as data: a CSV template, reading a criteria file, an all-or-nothing import, and
linking issues to criteria (the reads, export included, are in dashboard/reads/criteria.py).

The official EFLG criteria text is not in the seed documents and is never invented here: a council
loads the criteria it works to. Without criteria, a level's issues stand in for them.
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from dashboard.formats.sheets import MEGABYTE, ImportFileError, Problem, restore
from dashboard.formats.words import plural
from dashboard.reads.criteria import CRITERIA_COLUMNS
from dashboard.rules.errors import Refused
from dashboard.rules.names import name_key, theme_lookup
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.db import begin_write, write_transaction
from models import FrameworkVersion, Issue, Level, Theme, pk
from models.levels import Criterion, IssueCriterion

REQUIRED = ("framework", "theme", "level", "ref", "criterion")
MAX_MB = 5  # the largest criteria file (the Criteria page's uploader says it too)


@dataclass
class CriteriaImport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return "\n".join(
                [f"No criteria were imported: {plural(len(self.errors), 'problem')} found."]
                + [f"  {p}" for p in self.errors]
            )
        return (
            f"Criteria imported: {self.added} new, {self.updated} updated, "
            f"{self.unchanged} unchanged."
        )


def template_csv() -> str:
    """An empty criteria file with the right header."""
    return ",".join(CRITERIA_COLUMNS) + "\n"


def read_criteria_file(path: Path) -> list[dict[str, str]]:
    """Rows of a criteria CSV keyed by column; raises ImportFileError for an unreadable file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"The file {path} could not be read: {exc.strerror}.") from exc
    return read_criteria_bytes(data)


def read_criteria_bytes(data: bytes) -> list[dict[str, str]]:
    """Rows of an uploaded criteria CSV keyed by column; ImportFileError when unreadable."""
    if len(data) > MAX_MB * MEGABYTE:
        raise ImportFileError(f"The criteria file is larger than {MAX_MB} MB.")
    if b"\x00" in data[:4096]:
        raise ImportFileError("The file is not a text CSV file (it looks like binary data).")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    table = [row for row in csv.reader(io.StringIO(text)) if any(c.strip() for c in row)]
    if not table:
        raise ImportFileError("The file is empty: no header row was found.")
    header = [h.strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            "Row 1 (the header) is missing the column"
            + ("s" if len(missing) > 1 else "")
            + ": "
            + ", ".join(missing)
            + "."
        )
    return [
        {h: restore(v.strip()) for h, v in zip(header, row + [""] * len(header), strict=False)}
        for row in table[1:]
    ]


def import_criteria(
    session: Session, rows: list[dict[str, str]], *, actor: Actor
) -> CriteriaImport:
    """Validate every row, then add or update criteria in one transaction (all or nothing)."""
    require_admin(actor, "load level criteria")
    result = CriteriaImport()
    frameworks = {name_key(f.code): f for f in session.exec(select(FrameworkVersion)).all()}
    frameworks.update({name_key(f.name): f for f in frameworks.values()})
    seen: dict[tuple[int, int, str], int] = {}
    valid: list[tuple[Theme, Level, dict[str, str]]] = []
    for number, row in enumerate(rows, start=2):
        errors_before = len(result.errors)

        def problem(column: str, message: str, number: int = number, row: dict = row) -> None:  # type: ignore[type-arg]
            result.errors.append(Problem(number, f"'{column}'", row.get(column), message))

        framework = frameworks.get(name_key(row.get("framework", "")))
        if framework is None:
            problem("framework", "not a known framework version (eflg-2009, eflg-2011, eflg-2021)")
            continue
        theme = _theme(framework, row.get("theme", ""))
        if theme is None:
            problem("theme", f"not a theme of {framework.name}")
        level = next(
            (lv for lv in framework.levels if name_key(lv.name) == name_key(row.get("level", ""))),
            None,
        )
        if level is None:
            problem("level", "must be Developing, Achieving or Excellent")
        if not row.get("ref"):
            problem("ref", "the criterion needs a reference, for example D1.1")
        if not row.get("criterion"):
            problem("criterion", "the criterion text is missing")
        if len(result.errors) > errors_before or theme is None or level is None:
            continue
        key = (pk(theme), pk(level), row["ref"])
        if key in seen:
            problem("ref", f"the same theme, level and ref are already on row {seen[key]}")
            continue
        seen[key] = number
        valid.append((theme, level, row))
    if not rows:
        result.errors.append(Problem(2, None, None, "the file has a header but no criteria"))
    if result.errors:
        return result
    with write_transaction(session):
        begin_write(session, serialise="criteria")  # two loads at once: one after the other
        for position, (theme, level, row) in enumerate(valid, start=1):
            _save_criterion(session, theme, level, row, position, result)
    return result


def _save_criterion(
    session: Session,
    theme: Theme,
    level: Level,
    row: dict[str, str],
    position: int,
    result: CriteriaImport,
) -> None:
    """Add the criterion of one valid row, or update the one with its theme, level and ref."""
    existing = session.exec(
        select(Criterion).where(
            Criterion.theme_id == theme.id,
            Criterion.level_id == level.id,
            Criterion.ref == row["ref"],
        )
    ).first()
    guidance = row.get("guidance") or None
    if existing is None:
        session.add(
            Criterion(theme_id=pk(theme), level_id=pk(level), ref=row["ref"],
                      position=position, text=row["criterion"], guidance=guidance)
        )  # fmt: skip
        result.added += 1
    elif (existing.text, existing.guidance) != (row["criterion"], guidance):
        existing.text, existing.guidance = row["criterion"], guidance
        session.add(existing)
        result.updated += 1
    else:
        result.unchanged += 1


def _theme(framework: FrameworkVersion, name: str) -> Theme | None:
    return theme_lookup(framework.themes).get(name_key(name))


class CriteriaError(Refused):
    """A change to criteria or their links that cannot be made; the message says why."""


def link_issue_to_criterion(
    *, session: Session, actor: Actor, issue_id: int, criterion_id: int
) -> None:
    """Record that an issue contributes to meeting a criterion (admins only)."""
    require_admin(actor, "link issues to criteria")
    with write_transaction(session):
        begin_write(session, serialise=f"criterion {criterion_id}")
        issue, criterion = _issue_and_criterion(session, issue_id, criterion_id)
        if _link(session, issue_id, criterion_id) is not None:
            raise CriteriaError(
                f"Issue {issue.ref} is already linked to criterion {criterion.ref}."
            )
        session.add(IssueCriterion(issue_id=issue_id, criterion_id=criterion_id))


def unlink_issue_from_criterion(
    *, session: Session, actor: Actor, issue_id: int, criterion_id: int
) -> None:
    """Remove the link between an issue and a criterion (admins only)."""
    require_admin(actor, "unlink issues from criteria")
    with write_transaction(session):
        begin_write(session, serialise=f"criterion {criterion_id}")
        issue, criterion = _issue_and_criterion(session, issue_id, criterion_id)
        link = _link(session, issue_id, criterion_id)
        if link is None:
            raise CriteriaError(f"Issue {issue.ref} is not linked to criterion {criterion.ref}.")
        session.delete(link)


def _link(session: Session, issue_id: int, criterion_id: int) -> IssueCriterion | None:
    """The link as the database has it now (read after the lock, never from the session's own
    memory: another save may have made or removed it a moment ago)."""
    return session.get(IssueCriterion, (issue_id, criterion_id), populate_existing=True)


def _issue_and_criterion(
    session: Session, issue_id: int, criterion_id: int
) -> tuple[Issue, Criterion]:
    issue = session.get(Issue, issue_id)
    if issue is None:
        raise CriteriaError("That issue no longer exists.")
    criterion = session.get(Criterion, criterion_id)
    if criterion is None:
        raise CriteriaError("That criterion no longer exists.")
    return issue, criterion
