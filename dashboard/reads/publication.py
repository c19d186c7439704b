"""Gather a publication's content from the live plan, and read the archive of published versions.

The content is plain JSON (strings, numbers, lists): it is what the archive keeps and what the
published pages are drawn from, so a published version never changes when the plan does."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from dashboard.formats.words import day_text, format_due, rag_look
from dashboard.reads.exports import characteristics_by_issue
from dashboard.reads.progress import in_progress, plan_characteristic_totals
from dashboard.rules.errors import Refused
from dashboard.rules.progress import DONE, rag
from dashboard.rules.publication import (
    CHARACTERISTIC_REASON,
    NARRATIVE_SECTIONS,
    NATION_NAMES,
    PART_CHARACTERISTICS,
    PART_OBJECTIVES,
    PART_PROGRESS,
    PART_SELF_ASSESSMENT,
    REQUIREMENTS,
    Nation,
    Requirement,
    checklist,
    dues,
    is_stale,
    readiness_words,
)
from dashboard.rules.timescale import Precision
from models import (
    FrameworkVersion,
    Issue,
    IssueLead,
    Lead,
    LeadKind,
    Level,
    Organisation,
    Plan,
    Publication,
    PublicationDraft,
    Section,
    pk,
)

# Lead kinds that are people: hidden from a publication unless the body chooses to show them.
PEOPLE_KINDS = frozenset({LeadKind.OFFICER.value, LeadKind.PERSON.value})
SCHEMA_VERSION = 1
LARGEST_NUMBER = 2**31 - 1  # the largest id a database integer column holds


@dataclass(frozen=True)
class Choices:
    """What the equality lead decides for one publication."""

    nation: Nation
    published_on: date
    covers_from: date
    covers_to: date
    narrative: dict[str, str]
    reasons: dict[str, str]  # checklist requirement code or "characteristic:<name>" -> reason
    show_officers: bool = False
    amber_days: int = 30  # Settings.rag_amber_days: how near a due date counts as Amber


class NoSuchPlan(Refused):
    """No plan has the slug asked for."""


def _leads(session: Session, issue_ids: list[int], show_officers: bool) -> dict[int, list[str]]:
    """Each issue's leads; people's names are replaced by their service (or left out)."""
    parent = aliased(Lead)
    found: dict[int, list[str]] = {}
    rows = session.exec(
        select(IssueLead.issue_id, Lead, parent.name)
        .join(Lead, col(IssueLead.lead_id) == Lead.id)
        .outerjoin(parent, col(Lead.parent_id) == parent.id)
        .where(col(IssueLead.issue_id).in_(issue_ids))
        .order_by(col(IssueLead.issue_id), col(IssueLead.position))
    ).all()
    for issue_id, lead, parent_name in rows:
        name: str | None = lead.name
        if lead.kind in PEOPLE_KINDS and not show_officers:
            name = parent_name
        names = found.setdefault(issue_id, [])
        if name and name not in names:
            names.append(name)
    return found


def _plan(session: Session, plan_slug: str) -> Plan:
    plan = session.exec(select(Plan).where(Plan.slug == plan_slug)).first()
    if plan is None:
        raise NoSuchPlan(f"There is no plan “{plan_slug}”.")
    return plan


def plan_id(session: Session, plan_slug: str) -> int:
    """The plan's id from its slug (NoSuchPlan when there is none)."""
    return pk(_plan(session, plan_slug))


def gather(
    session: Session, plan_slug: str, choices: Choices, last: Publication | None, today: date
) -> dict[str, Any]:
    """Everything a publication shows, from the plan as it stands now."""
    plan = _plan(session, plan_slug)
    organisation = session.get(Organisation, plan.organisation_id)
    framework = session.get(FrameworkVersion, plan.framework_id) if plan.framework_id else None
    level = session.get(Level, plan.level_id) if plan.level_id else None
    sections = session.exec(
        select(Section).where(Section.plan_id == pk(plan)).order_by(col(Section.position))
    ).all()
    issues = session.exec(
        select(Issue, Level.name)
        .outerjoin(Level, col(Issue.level_id) == Level.id)
        .where(Issue.plan_id == pk(plan), in_progress())
        .order_by(col(Issue.position))
    ).all()
    amber_days = choices.amber_days
    ids = [pk(issue) for issue, _ in issues]
    leads = _leads(session, ids, choices.show_officers) if ids else {}
    chars = characteristics_by_issue(session, ids)
    by_section: dict[int, list[dict[str, Any]]] = {}
    for issue, level_name in issues:
        precision = Precision(issue.due_precision) if issue.due_precision else None
        by_section.setdefault(issue.section_id, []).append(
            {
                "ref": issue.ref,
                "action": issue.text,
                "objective": issue.objective or "",
                "measure": issue.measure or "",
                "leads": leads.get(pk(issue), []),
                "level": level_name or "",
                "status": issue.status,
                "rating": rag_look(
                    rag(issue.status, issue.due_date, issue.due_precision, today, amber_days),
                    issue.due_date is not None,
                ).words,
                "due": format_due(issue.due_date, precision) if issue.due_date else "",
                "due_date": issue.due_date.isoformat() if issue.due_date else "",
                "characteristics": chars.get(pk(issue), []),
            }
        )
    objectives = [
        {"heading": s.heading, "description": s.description or "", "actions": by_section[pk(s)]}
        for s in sections
        if by_section.get(pk(s))
    ]
    totals = plan_characteristic_totals(session, pk(plan))
    characteristics = []
    for row in totals.to_dict("records"):
        count = int(row["issues"])
        name = str(row["characteristic"])
        characteristics.append(
            {
                "name": name,
                "protected": bool(row["protected"]),
                "actions": count,
                "reason": "" if count else choices.reasons.get(CHARACTERISTIC_REASON + name, ""),
            }
        )
    levels: dict[str, dict[str, int]] = {}
    for issue, level_name in issues:
        tally = levels.setdefault(level_name or "No level", {"actions": 0, "done": 0})
        tally["actions"] += 1
        tally["done"] += issue.status in DONE
    parts = set()
    if objectives:
        parts |= {PART_OBJECTIVES, PART_PROGRESS}
    if any(c["actions"] or c["reason"] for c in characteristics if c["protected"]):
        parts.add(PART_CHARACTERISTICS)
    if level is not None or levels:
        parts.add(PART_SELF_ASSESSMENT)
    narrative = {
        name: choices.narrative.get(name, "").strip() for name in NARRATIVE_SECTIONS[choices.nation]
    }
    items = checklist(choices.nation, parts, narrative, choices.reasons)
    last_on = last.published_on if last else None
    return {
        "schema": SCHEMA_VERSION,
        "organisation": organisation.name if organisation else "",
        "plan": {"slug": plan.slug, "title": plan.title, "period": plan.period or ""},
        "nation": choices.nation.value,
        "published_on": choices.published_on.isoformat(),
        "covers_from": choices.covers_from.isoformat(),
        "covers_to": choices.covers_to.isoformat(),
        "next_due": [
            {"duty": d.duty.name, "regulations": d.duty.regulations, "due": d.due.isoformat()}
            for d in dues(choices.nation, choices.published_on, today)
        ],
        "previous": {"published_on": last_on.isoformat()} if last_on else None,
        "framework": framework.name if framework else "",
        "level": level.name if level else "",
        "levels": [{"level": k, **v} for k, v in levels.items()],
        "objectives": objectives,
        "characteristics": characteristics,
        "narrative": [{"heading": k, "text": v} for k, v in narrative.items() if v],
        "checklist": [
            {
                "code": item.requirement.code,
                "requirement": item.requirement.words,
                "present": item.present,
                "reason": item.reason,
            }
            for item in items
        ],
        "ready": readiness_words(items),
        "ready_to_publish": all(item.settled for item in items),
        "officers_shown": choices.show_officers,
        "changes": changes_since(last.content if last else None, objectives),
    }


def changes_since(previous: dict[str, Any] | None, objectives: list[dict[str, Any]]) -> list[str]:
    """What changed since the last publication, one plain sentence per action."""
    if previous is None:
        return []
    before = {a["ref"]: a for o in previous.get("objectives", []) for a in o["actions"]}
    now = {a["ref"]: a for o in objectives for a in o["actions"]}
    lines = []
    for ref, action in now.items():
        old = before.get(ref)
        if old is None:
            lines.append(f"Action {ref} is new: {action['action']}")
        elif old["status"] != action["status"]:
            lines.append(f"Action {ref} moved from {old['status']} to {action['status']}.")
    lines += [f"Action {ref} is no longer in the plan." for ref in before if ref not in now]
    return lines


def published(session: Session, plan_slug: str | None = None) -> list[tuple[Publication, str]]:
    """Every published version (newest first) with its plan's slug."""
    query = select(Publication, Plan.slug).join(Plan, col(Publication.plan_id) == Plan.id)
    if plan_slug:
        query = query.where(Plan.slug == plan_slug)
    return list(session.exec(query.order_by(col(Publication.id).desc())).all())


def latest(session: Session, plan_slug: str, nation: Nation) -> Publication | None:
    for publication, _ in published(session, plan_slug):
        if publication.nation == nation.value:
            return publication
    return None


def due_lines(last: Publication | None, nation: Nation, today: date) -> list[str]:
    """Each duty with its next due date after the latest publication `last`, as the Publish
    page and `publish due` say it."""
    last_on = last.published_on if last else None
    lines = []
    for due in dues(nation, last_on, today):
        days = due.days_left(today)
        when = day_text(due.due)
        if days < 0:
            lines.append(f"{due.duty.name}: overdue since {when}")
        else:
            lines.append(
                f"{due.duty.name}: due by {when} ({days} {'day' if days == 1 else 'days'} left)"
            )
    return lines


def _days(count: int) -> str:
    return f"{count} {'day' if count == 1 else 'days'}"


def due_warnings(session: Session, plan_id: int, today: date) -> list[str]:
    """What the overview warns of, for each nation the plan has been published for: a duty due
    within DUE_WARNING_DAYS or overdue, and a latest publication more than a year old."""
    rows = session.exec(
        select(Publication)
        .where(Publication.plan_id == plan_id)
        .order_by(col(Publication.published_on).desc(), col(Publication.id).desc())
    ).all()
    latest_by_nation: dict[str, Publication] = {}
    for row in rows:
        latest_by_nation.setdefault(row.nation, row)
    lines = []
    for code, last in latest_by_nation.items():
        nation = Nation(code)
        place = NATION_NAMES[nation]
        if is_stale(last.published_on, today):
            lines.append(
                f"The latest equality information for {place} was published on "
                f"{day_text(last.published_on)}, more than a year ago."
            )
        for due in dues(nation, last.published_on, today):
            left = due.days_left(today)
            if left < 0:
                lines.append(f"{due.duty.name} ({place}) is overdue: it was due by "
                             f"{day_text(due.due)}.")  # fmt: skip
            elif due.warning(today):
                lines.append(f"{due.duty.name} ({place}) is due by {day_text(due.due)}, in "
                             f"{_days(left)}.")  # fmt: skip
    return lines


def draft(session: Session, plan_id: int, nation: Nation) -> PublicationDraft | None:
    """What the equality lead has saved for the plan's next publication in this nation."""
    return session.exec(
        select(PublicationDraft).where(
            PublicationDraft.plan_id == plan_id, PublicationDraft.nation == nation.value
        )
    ).first()


def default_period(last: Publication | None, published_on: date) -> tuple[date, date]:
    """The period a new publication covers unless the lead says otherwise: from the end of the
    last one (or a year back) to the day of publishing."""
    start = last.covers_to if last else date(published_on.year - 1, published_on.month, 1)
    return start, published_on


def choices_from_draft(
    saved: PublicationDraft | None,
    nation: Nation,
    last: Publication | None,
    published_on: date,
    amber_days: int,
) -> Choices:
    """The Choices a saved draft makes (an empty one when none is saved)."""
    start, end = default_period(last, published_on)
    return Choices(
        nation=nation,
        published_on=published_on,
        covers_from=(saved.covers_from if saved else None) or start,
        covers_to=(saved.covers_to if saved else None) or end,
        narrative=dict(saved.narrative) if saved else {},
        reasons=dict(saved.reasons) if saved else {},
        show_officers=saved.show_officers if saved else False,
        amber_days=amber_days,
    )


def version(session: Session, number: int) -> Publication | None:
    """One published version by its number (its place in `publish list`); None for a number no
    version can have (a database integer holds up to 2,147,483,647)."""
    if not 0 < number <= LARGEST_NUMBER:
        return None
    return session.get(Publication, number)


@dataclass(frozen=True)
class OpenItems:
    """What the Publish page asks a reason for, from the content gathered from the saved draft:
    the requirement each written section meets (by section name), the checklist items the plan
    itself lacks (not met by a written section), and the protected characteristics with no
    action."""

    section_requirements: dict[str, Requirement]
    missing_parts: list[dict[str, Any]]
    no_action: list[str]


def open_items(content: dict[str, Any], nation: Nation) -> OpenItems:
    by_section = {r.narrative: r for r in REQUIREMENTS[nation] if r.narrative}
    written = {r.code for r in by_section.values()}
    return OpenItems(
        section_requirements=by_section,
        missing_parts=[c for c in content["checklist"]
                       if not c["present"] and c["code"] not in written],
        no_action=[c["name"] for c in content["characteristics"]
                   if c["protected"] and not c["actions"]],
    )  # fmt: skip
