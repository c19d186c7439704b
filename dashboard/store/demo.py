"""Clearly labelled synthetic data for screenshots and benchmarks (`python -m dashboard demo`).

council: the seed documents plus demo progress on their issues (~80 issues, ~2,000 updates).
county:  one synthetic county council with 40 plans, 300 leads, 5,000 issues, 100,000 updates.
national: 350 synthetic organisations, 100,000 issues, 2,000,000 updates.

Every synthetic organisation and plan says "(demo)" in its name, every demo update is by
"Demo data", and the generator refuses a database that holds anything but seed and demo data.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, insert, text
from sqlmodel import Session, SQLModel, col, select

from dashboard.formats.words import plural
from dashboard.rules.errors import Refused
from dashboard.store.seed import seed_database
from models import (
    Characteristic,
    FrameworkVersion,
    Issue,
    IssueCharacteristic,
    IssueLead,
    Lead,
    Organisation,
    Plan,
    Section,
    Status,
    StatusChange,
    User,
    pk,
    utcnow,
)

DEMO_BY = "Demo data"
BATCH = 20_000


@dataclass(frozen=True)
class Scale:
    organisations: int
    plans_per_org: int
    leads_per_org: int
    issues_per_plan: int
    updates_per_issue: int


SCALES: dict[str, Scale] = {
    "county": Scale(organisations=1, plans_per_org=40, leads_per_org=300, issues_per_plan=125,
                    updates_per_issue=20),
    "national": Scale(organisations=350, plans_per_org=2, leads_per_org=20, issues_per_plan=143,
                      updates_per_issue=20),
}  # fmt: skip
COUNCIL_UPDATES_PER_ISSUE = 25
SERVICES = [
    "Adult Social Care", "Children's Services", "Customer Services", "Housing", "Libraries",
    "Planning", "Human Resources", "Communications", "Public Health", "Highways",
    "Leisure and Culture", "Community Development", "Finance", "Legal and Democratic Services",
    "Procurement", "Environmental Health", "Waste and Recycling", "Education", "Regeneration",
    "Policy and Performance",
]  # fmt: skip
ACTIONS = [
    "Review {x} data by protected characteristic",
    "Carry out an equality impact assessment of {x}",
    "Consult under-represented groups about {x}",
    "Publish accessible information about {x}",
    "Train managers in {x}",
    "Monitor complaints about {x} by protected characteristic",
]
SUBJECTS = [
    "service take-up", "recruitment", "the housing allocation policy", "library opening hours",
    "customer contact", "grant funding", "the workforce profile", "procurement contracts",
]  # fmt: skip
NOTES = [
    "Met the service manager; data request agreed.",
    "Draft circulated to the equality working group.",
    "Waiting for survey results.",
    "Evidence filed with the improvement unit.",
    "Discussed at the departmental management team.",
]


class DemoRefused(Refused):
    """The database holds real data; demo data would be mixed into it."""


def load_demo(session: Session, scale: str, *, progress: Callable[[str], None] = print) -> None:
    """Write the demo data set for `scale` (council, county or national)."""
    _refuse_real_data(session)
    seed_database(session)
    rng = random.Random(2009)
    now = utcnow()
    if scale == "council":
        issues = [(int(i or 0), c) for i, c in session.exec(select(Issue.id, Issue.created_at))]
        _progress_history(session, issues, rng, now, COUNCIL_UPDATES_PER_ISSUE, progress)
    else:
        _synthetic(session, SCALES[scale], rng, now, progress)
    session.commit()
    if session.get_bind().dialect.name == "postgresql":
        # Fresh planner statistics for what was just bulk-loaded (PostgreSQL's own autovacuum
        # would take a minute or more to notice): without them it plans for empty tables.
        session.execute(text("ANALYZE"))
        session.commit()
    progress("Demo data loaded.")


def _refuse_real_data(session: Session) -> None:
    if session.exec(select(func.count()).select_from(User)).one():
        raise DemoRefused("This database has user accounts: demo data is for a spare database.")
    real = session.exec(
        select(func.count()).select_from(StatusChange).where(StatusChange.by != DEMO_BY)
    ).one()
    if real:
        raise DemoRefused(
            "This database holds real progress updates: load demo data into an empty database."
        )
    if session.exec(select(func.count()).select_from(StatusChange)).one():
        raise DemoRefused("Demo data is already loaded in this database.")


def _table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined,no-any-return]


def _insert(session: Session, model: type[SQLModel], rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert, returning the new ids in order."""
    table = _table(model)
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        result = session.execute(
            insert(table).returning(table.c.id, sort_by_parameter_order=True), chunk
        )
        ids.extend(row[0] for row in result)
    return ids


def _insert_plain(session: Session, model: type[SQLModel], rows: Iterator[dict[str, Any]]) -> int:
    table = _table(model)
    batch: list[dict[str, Any]] = []
    total = 0
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(table), batch)
            total += len(batch)
            batch = []
    if batch:
        session.execute(insert(table), batch)
        total += len(batch)
    return total


def _synthetic(
    session: Session, scale: Scale, rng: random.Random, now: datetime,
    progress: Callable[[str], None],
) -> None:  # fmt: skip
    framework = session.exec(
        select(FrameworkVersion).where(FrameworkVersion.code == "eflg-2009")
    ).one()
    themes = sorted(framework.themes, key=lambda t: t.position)
    developing = min(framework.levels, key=lambda lv: lv.position)
    characteristic_ids = [pk(c) for c in session.exec(select(Characteristic)).all()]
    org_rows = [
        {"name": f"Demo council {n:03d} (demo)", "note": "Synthetic demonstration data.",
         "source": None}
        for n in range(1, scale.organisations + 1)
    ]  # fmt: skip
    org_ids = _insert(session, Organisation, org_rows)
    progress(plural(len(org_ids), "demo organisation"))
    issue_created: list[tuple[int, datetime]] = []
    for org_number, org_id in enumerate(org_ids, start=1):
        lead_ids = _demo_leads(session, org_id, scale.leads_per_org)
        for plan_number in range(1, scale.plans_per_org + 1):
            issue_created += _demo_plan(
                session, rng, now, org_id, org_number, plan_number, scale, themes,
                developing.id, lead_ids, characteristic_ids,
            )  # fmt: skip
        if org_number % 25 == 0 or org_number == len(org_ids):
            progress(f"{plural(org_number, 'organisation')}, {plural(len(issue_created), 'issue')}")
    _progress_history(session, issue_created, rng, now, scale.updates_per_issue, progress)


def _demo_leads(session: Session, org_id: int, count: int) -> list[int]:
    services = min(len(SERVICES), max(1, count // 8))
    service_ids = _insert(
        session, Lead,
        [{"organisation_id": org_id, "name": SERVICES[i], "kind": "service", "parent_id": None,
          "description": None} for i in range(services)],
    )  # fmt: skip
    officer_rows = [
        {"organisation_id": org_id, "name": f"{SERVICES[i % services]} officer {i + 1}",
         "kind": "officer", "parent_id": service_ids[i % services], "description": None}
        for i in range(count - services)
    ]  # fmt: skip
    return service_ids + _insert(session, Lead, officer_rows)


def _demo_plan(
    session: Session, rng: random.Random, now: datetime, org_id: int, org_number: int,
    plan_number: int, scale: Scale, themes: list[Any], level_id: int | None,
    lead_ids: list[int], characteristic_ids: list[int],
) -> list[tuple[int, datetime]]:  # fmt: skip
    (plan_id,) = _insert(
        session, Plan,
        [{"slug": f"demo-{org_number:03d}-{plan_number:02d}",
          "title": f"Demo department plan {plan_number} (demo)", "organisation_id": org_id,
          "framework_id": themes[0].framework_id, "level_id": level_id, "owner_lead_id": None,
          "period": "2025–28", "source_document": None, "source_title": None,
          "introduction": "Synthetic demonstration data.", "created_at": now}],
    )  # fmt: skip
    section_ids = _insert(
        session, Section,
        [{"plan_id": plan_id, "position": t.position, "heading": t.name, "theme_id": t.id,
          "description": None} for t in themes],
    )  # fmt: skip
    per_section = scale.issues_per_plan // len(section_ids)
    extra = scale.issues_per_plan - per_section * len(section_ids)
    rows = []
    position = 0
    created = now - timedelta(days=rng.randrange(400, 800))  # the plan's issues start together
    for s_index, section_id in enumerate(section_ids):
        for item in range(1, per_section + (1 if s_index < extra else 0) + 1):
            position += 1
            due = date(2025, 4, 30) + timedelta(days=rng.randrange(0, 3 * 365))
            rows.append(
                {"plan_id": plan_id, "section_id": section_id, "ref": f"{s_index + 1}.{item}",
                 "position": position,
                 "text": rng.choice(ACTIONS).format(x=rng.choice(SUBJECTS)) + ".",
                 "objective": None, "lead_text": None, "level_id": level_id,
                 "timescale": due.strftime("%b-%y"), "due_date": _month_end(due),
                 "due_precision": "month", "recurrence": None, "measure": None,
                 "status": Status.NOT_STARTED.value, "version": 1, "created_at": created,
                 "updated_at": created, "updated_by": DEMO_BY}
            )  # fmt: skip
    issue_ids = _insert(session, Issue, rows)
    links = []
    chars = []
    for issue_id in issue_ids:
        for position, lead_id in enumerate(rng.sample(lead_ids, k=rng.choice((1, 1, 1, 2)))):
            links.append({"issue_id": issue_id, "lead_id": lead_id, "position": position})
        for char_id in rng.sample(characteristic_ids, k=rng.choice((0, 1, 1, 2, 3))):
            chars.append({"issue_id": issue_id, "characteristic_id": char_id})
    _insert_plain(session, IssueLead, iter(links))
    _insert_plain(session, IssueCharacteristic, iter(chars))
    return [(issue_id, created) for issue_id in issue_ids]


def _month_end(day: date) -> date:
    first_of_next = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first_of_next - timedelta(days=1)


def _progress_history(
    session: Session, issues: list[tuple[int, datetime]], rng: random.Random, now: datetime,
    per_issue: int, progress: Callable[[str], None],
) -> None:  # fmt: skip
    """A plausible history per issue (notes, then In progress, then maybe Complete/Embedded);
    each issue's status and version end up matching its last update."""
    finals: dict[int, str] = {}

    def changes() -> Iterator[dict[str, Any]]:
        for issue_id, created in issues:
            count = max(1, int(rng.gauss(per_issue, per_issue / 4)))
            span = max(1.0, (now - created).total_seconds())
            moments = sorted(
                created + timedelta(seconds=rng.uniform(0, span)) for _ in range(count)
            )
            ending = rng.choices(
                [Status.NOT_STARTED, Status.IN_PROGRESS, Status.COMPLETE, Status.EMBEDDED,
                 Status.NOT_APPLICABLE], weights=[15, 40, 30, 10, 5],
            )[0]  # fmt: skip
            status = Status.NOT_STARTED
            for index, moment in enumerate(moments):
                target = status
                if ending is not Status.NOT_STARTED and index == count // 3:
                    target = Status.IN_PROGRESS if ending is not Status.NOT_APPLICABLE else ending
                if index == count - 1:
                    target = ending
                yield {"issue_id": issue_id, "from_status": status.value,
                       "to_status": target.value, "note": rng.choice(NOTES), "by": DEMO_BY,
                       "by_user_id": None, "at": moment}  # fmt: skip
                status = target
            finals[issue_id] = status.value

    total = _insert_plain(session, StatusChange, changes())
    progress(f"{total} demo updates")
    table = _table(Issue)
    by_status: dict[str, list[int]] = {}
    for issue_id, status in finals.items():
        by_status.setdefault(status, []).append(issue_id)
    for status, ids in by_status.items():
        for start in range(0, len(ids), BATCH):
            session.execute(
                table.update()
                .where(col(table.c.id).in_(ids[start : start + BATCH]))
                .values(
                    status=status, version=table.c.version + 1, updated_at=now, updated_by=DEMO_BY
                )  # fmt: skip
            )
