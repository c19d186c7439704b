"""Keeping the plan itself: one write function per action an equality lead takes on a plan's
issues and leads (add, edit, move, retire, restore; rename, merge, hand on). Each checks the
permission itself (admins only: officers tick issues off, they do not reword the plan), checks
what it is given, writes the change with one history row per field changed (models.PlanChange)
in one transaction, and refuses a save over someone else's newer change (Issue.version, as
dashboard/writes/updates.py does for tick-offs).

A retired issue is not deleted: its history, evidence and meeting snapshots stay, progress leaves
it out, and it can be restored.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import update
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, col, func, select

from dashboard.rules.errors import Refused
from dashboard.rules.names import name_key
from dashboard.rules.permissions import Actor, require_admin
from dashboard.rules.plan_edits import (
    MAX_LEADS_PER_ISSUE,
    MAX_REASON_LENGTH,
    ChangeKind,
    IssueFields,
)
from dashboard.rules.timescale import parse_timescale
from dashboard.store.db import begin_write, write_transaction
from dashboard.writes.updates import Conflict
from models import (
    Characteristic,
    Issue,
    IssueCharacteristic,
    IssueLead,
    Lead,
    LeadAlias,
    Level,
    Organisation,
    Plan,
    PlanChange,
    Section,
    Theme,
    UserLead,
    pk,
    utcnow,
)

_ACTION = "change the plan's issues and leads"


class PlanEditRefused(Refused):
    """The change is not valid; the message says why in plain words, and nothing was written."""


class ChangedMeanwhile(PlanEditRefused):
    """Someone saved the same theme, lead or plan after this person's form was drawn: nothing is
    written over their change, and the page keeps what this person typed."""

    def __init__(self, what: str, now: str | None) -> None:
        super().__init__(
            f"Someone else changed {what} while you were editing: it is now “{now or 'empty'}”. "
            "Nothing was saved; your words are still in the form, so check theirs and save again."
        )


@dataclass(frozen=True)
class SavedEdit:
    """An issue as a plan edit left it; ``warning`` when its timescale could not be read."""

    issue_id: int
    ref: str
    version: int
    changed: tuple[str, ...]
    warning: str | None = None


# ---------------------------------------------------------------- issues


def add_issue(*, session: Session, actor: Actor, plan_id: int, fields: IssueFields) -> SavedEdit:
    """Add an issue to a plan, at the end of its theme."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        plan = _plan(session, plan_id)
        checked = _checked(session, plan, fields, issue_id=None)
        last = session.exec(select(func.max(Issue.position)).where(Issue.plan_id == plan_id)).one()
        now = utcnow()
        issue = Issue(
            plan_id=plan_id,
            section_id=fields.section_id,
            ref=checked.ref,
            position=(last or 0) + 1,
            text=checked.text,
            level_id=fields.level_id,
            timescale=checked.timescale,
            due_date=checked.due,
            due_precision=checked.precision,
            recurrence=checked.recurrence,
            measure=checked.measure,
            updated_at=now,
            updated_by=actor.name,
        )
        session.add(issue)
        session.flush()
        _set_links(session, issue, checked.lead_ids, checked.characteristic_ids)
        _record(session, actor, now, plan_id, pk(issue), ChangeKind.ISSUE_ADDED, to=checked.text)
        session.flush()
        saved = SavedEdit(pk(issue), issue.ref, issue.version, (), checked.warning)
    return saved


def edit_issue(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    expected_version: int,
    fields: IssueFields,
    reason: str | None = None,
) -> SavedEdit:
    """Reword, renumber, move, re-lead or re-time an issue: each field that changed gets its own
    history row (from → to); a form with nothing changed is refused."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        issue = _issue(session, issue_id, expected_version)
        plan = _plan(session, issue.plan_id)
        checked = _checked(session, plan, fields, issue_id=issue_id)
        before = _as_words(session, issue)
        issue.ref, issue.text, issue.measure = checked.ref, checked.text, checked.measure
        issue.section_id, issue.level_id = fields.section_id, fields.level_id
        if (issue.timescale or None) != checked.timescale:
            issue.timescale = checked.timescale
            issue.due_date, issue.due_precision = checked.due, checked.precision
            issue.recurrence = checked.recurrence
        _set_links(session, issue, checked.lead_ids, checked.characteristic_ids)
        now = utcnow()
        issue.updated_at, issue.updated_by = now, actor.name
        _flush(session, issue)  # (once: the words after are read from what is written)
        after = _as_words(session, issue)
        changed = tuple(name for name in before if before[name] != after[name])
        if not changed:
            raise PlanEditRefused(f"Nothing to save: issue {issue.ref} is as it was.")
        for name in changed:
            _record(
                session,
                actor,
                now,
                issue.plan_id,
                issue_id,
                ChangeKind.ISSUE_EDITED,
                field=name,
                was=before[name],
                to=after[name],
                reason=_reason(reason, required=False),
            )
        saved = SavedEdit(issue_id, issue.ref, issue.version, changed, checked.warning)
    return saved


def retire_issue(
    *, session: Session, actor: Actor, issue_id: int, expected_version: int, reason: str
) -> SavedEdit:
    """Take an issue out of the plan's progress, with the reason on record; kept and restorable."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        issue = _issue(session, issue_id, expected_version)
        if issue.retired_at is not None:
            raise PlanEditRefused(f"Issue {issue.ref} is already retired.")
        why = _reason(reason, required=True, action=f"retire issue {issue.ref}")
        now = utcnow()
        issue.retired_at, issue.updated_at, issue.updated_by = now, now, actor.name
        _record(session, actor, now, issue.plan_id, issue_id, ChangeKind.ISSUE_RETIRED, reason=why)
        _flush(session, issue)
        saved = SavedEdit(issue_id, issue.ref, issue.version, ("retired",))
    return saved


def restore_issue(
    *,
    session: Session,
    actor: Actor,
    issue_id: int,
    expected_version: int,
    reason: str | None = None,
) -> SavedEdit:
    """Bring a retired issue back into the plan's progress."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        issue = _issue(session, issue_id, expected_version)
        if issue.retired_at is None:
            raise PlanEditRefused(f"Issue {issue.ref} is not retired.")
        now = utcnow()
        issue.retired_at, issue.updated_at, issue.updated_by = None, now, actor.name
        _record(
            session,
            actor,
            now,
            issue.plan_id,
            issue_id,
            ChangeKind.ISSUE_RESTORED,
            reason=_reason(reason, required=False),
        )
        _flush(session, issue)
        saved = SavedEdit(issue_id, issue.ref, issue.version, ("restored",))
    return saved


# ---------------------------------------------------------------- the plan and its themes


def edit_plan(
    *,
    session: Session,
    actor: Actor,
    plan_id: int,
    title: str,
    period: str | None,
    organisation: str | None = None,
    seen: Mapping[str, str | None] | None = None,
) -> Plan:
    """Change a plan's title or period, or the name of the organisation it belongs to (a name
    an import could only guess, say; every plan of that organisation shows the new name). Its
    framework version and level are set with dashboard.writes.levels.set_plan_level, as on
    the Readiness page. ``seen`` holds the title, period and organisation the form showed: a
    save after someone else changed one of them is refused (ChangedMeanwhile)."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session, serialise=f"plan:{plan_id}")
        plan = _plan(session, plan_id)
        owner = session.get(Organisation, plan.organisation_id)
        assert owner is not None
        held = {"title": plan.title, "period": plan.period, "organisation": owner.name}
        for name, value in (seen or {}).items():
            if (value or None) != (held[name] or None):
                raise ChangedMeanwhile(f"the plan's {name}", held[name])
        new = {
            "title": " ".join((title or "").split()),
            "period": (period or "").strip() or None,
            "organisation": " ".join((organisation or owner.name).split()),
        }
        if not new["title"]:
            raise PlanEditRefused("Give the plan a title.")
        if not new["organisation"]:
            raise PlanEditRefused("Give the organisation a name.")
        old = {"title": plan.title, "period": plan.period, "organisation": owner.name}
        changed = [name for name in new if new[name] != old[name]]
        if not changed:
            raise PlanEditRefused("Nothing to save: the plan's details are as they were.")
        if "organisation" in changed:
            taken = session.exec(
                select(Organisation).where(Organisation.name == new["organisation"])
            ).first()
            if taken is not None and pk(taken) != pk(owner):
                raise PlanEditRefused(
                    f"There is already an organisation called {taken.name}: its plans and "
                    "leads are kept apart from this one's."
                )
        now = utcnow()
        for name in changed:
            if name == "organisation":
                owner.name = str(new[name])
            else:
                setattr(plan, name, new[name])
            _record(session, actor, now, plan_id, None, ChangeKind.PLAN_EDITED, None,
                    old[name], new[name], field=name)  # fmt: skip
        session.flush()
    return plan


def add_theme(
    *, session: Session, actor: Actor, plan_id: int, heading: str, theme_id: int | None = None
) -> Section:
    """Add a theme (a section heading) at the end of a plan, optionally mapped to a theme of the
    plan's framework version."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        plan = _plan(session, plan_id)
        words = _heading(session, plan, heading, None)
        _framework_theme(plan, session, theme_id)
        last = session.exec(
            select(func.max(Section.position)).where(Section.plan_id == plan_id)
        ).one()
        section = Section(
            plan_id=plan_id, position=(last or 0) + 1, heading=words, theme_id=theme_id
        )
        session.add(section)
        _record(session, actor, utcnow(), plan_id, None, ChangeKind.THEME_ADDED, None, None, words)
        session.flush()
    return section


def edit_theme(
    *,
    session: Session,
    actor: Actor,
    section_id: int,
    heading: str,
    theme_id: int | None,
    seen_heading: str | None = None,
) -> Section:
    """Rename a theme or map it to (another) theme of the plan's framework version; with
    ``seen_heading`` (the heading the form showed), refused if it has changed since."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session, serialise=f"section:{section_id}")
        section = _section(session, section_id)
        if seen_heading is not None and section.heading != seen_heading:
            raise ChangedMeanwhile("the theme's heading", section.heading)
        plan = _plan(session, section.plan_id)
        words = _heading(session, plan, heading, section_id)
        mapped = _framework_theme(plan, session, theme_id)
        was_mapped = None if section.theme_id is None else session.get(Theme, section.theme_id)
        now = utcnow()
        changed = False
        if words != section.heading:
            _record(
                session,
                actor,
                now,
                section.plan_id,
                None,
                ChangeKind.THEME_EDITED,
                None,
                section.heading,
                words,
                field="heading",
            )
            section.heading, changed = words, True
        if theme_id != section.theme_id:
            _record(
                session,
                actor,
                now,
                section.plan_id,
                None,
                ChangeKind.THEME_EDITED,
                None,
                was_mapped.name if was_mapped else None,
                mapped.name if mapped else None,
                field="theme",
            )
            section.theme_id, changed = theme_id, True
        if not changed:
            raise PlanEditRefused(f"Nothing to save: the theme {section.heading} is as it was.")
        session.flush()
    return section


def move_theme(*, session: Session, actor: Actor, section_id: int, to_place: int) -> Section:
    """Move a theme to another place in the plan (1 is first); the others close up around it."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        section = _section(session, section_id)
        order = list(
            session.exec(
                select(Section)
                .where(Section.plan_id == section.plan_id)
                .order_by(col(Section.position))
            )
        )
        if not 1 <= to_place <= len(order):
            raise PlanEditRefused(f"Choose a place from 1 to {len(order)}.")
        was = order.index(section) + 1
        if was == to_place:
            raise PlanEditRefused(f"The theme {section.heading} is already in place {was}.")
        order.remove(section)
        order.insert(to_place - 1, section)
        for place, item in enumerate(order, start=1):  # (clear first: positions stay distinct)
            item.position = -place
        session.flush()
        for place, item in enumerate(order, start=1):
            item.position = place
        _record(
            session,
            actor,
            utcnow(),
            section.plan_id,
            None,
            ChangeKind.THEME_MOVED,
            None,
            str(was),
            section.heading,
        )
        session.flush()
    return section


def merge_themes(*, session: Session, actor: Actor, section_id: int, into_id: int) -> Section:
    """Move every issue of one theme into another of the same plan, and remove the emptied one."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        gone, kept = _section(session, section_id), _section(session, into_id)
        if section_id == into_id or gone.plan_id != kept.plan_id:
            raise PlanEditRefused("Choose two different themes of the same plan to merge.")
        now = utcnow()
        for issue in session.exec(select(Issue).where(Issue.section_id == section_id)).all():
            issue.section_id = into_id
            issue.updated_at, issue.updated_by = now, actor.name
            _record(
                session,
                actor,
                now,
                gone.plan_id,
                pk(issue),
                ChangeKind.ISSUE_EDITED,
                None,
                gone.heading,
                kept.heading,
                field="section",
            )
        session.flush()
        _record(
            session,
            actor,
            now,
            gone.plan_id,
            None,
            ChangeKind.THEME_MERGED,
            None,
            gone.heading,
            kept.heading,
        )
        session.delete(gone)
        session.flush()
    return kept


# ---------------------------------------------------------------- leads


def rename_lead(
    *, session: Session, actor: Actor, lead_id: int, name: str, seen_name: str | None = None
) -> Lead:
    """Give a lead a new name; the old one is kept as another name it is known by, so a later
    import that still uses it finds the same lead. With ``seen_name`` (the name the form
    showed), refused if it has changed since."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session, serialise=f"lead:{lead_id}")
        lead = _lead(session, lead_id)
        if seen_name is not None and lead.name != seen_name:
            raise ChangedMeanwhile("the lead's name", lead.name)
        new = _lead_name(name)
        if new == lead.name:
            raise PlanEditRefused(f"The lead is already called {new}.")
        _name_free(session, lead.organisation_id, new, lead_id)
        old = lead.name
        lead.name = new
        _keep_alias(session, lead, old)
        _record(session, actor, utcnow(), None, None, ChangeKind.LEAD_RENAMED, lead_id, old, new)
        session.flush()
    return lead


def merge_leads(*, session: Session, actor: Actor, lead_id: int, into_id: int) -> Lead:
    """Merge one lead into another of the same organisation: its issues, users, other names and
    the officers it leads move across, its name becomes another name of the lead kept, and it
    is gone."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        gone, kept = _lead(session, lead_id), _lead(session, into_id)
        if lead_id == into_id:
            raise PlanEditRefused("Choose two different leads to merge.")
        _same_organisation(gone, kept)
        _move_issue_links(session, gone, kept)
        users = session.exec(select(UserLead).where(UserLead.lead_id == lead_id)).all()
        have = set(session.exec(select(UserLead.user_id).where(UserLead.lead_id == into_id)))
        for link in users:
            if link.user_id not in have:
                session.add(UserLead(user_id=link.user_id, lead_id=into_id))
            session.delete(link)
        for alias in list(gone.aliases):
            alias.lead_id = into_id
        for child in session.exec(select(Lead).where(Lead.parent_id == lead_id)).all():
            child.parent_id = None if pk(child) == into_id else into_id
        if kept.parent_id == lead_id:
            kept.parent_id = gone.parent_id
        for plan in session.exec(select(Plan).where(Plan.owner_lead_id == lead_id)).all():
            plan.owner_lead_id = into_id
        session.execute(
            update(PlanChange).where(col(PlanChange.lead_id) == lead_id).values(lead_id=into_id)
        )
        session.flush()
        old = gone.name
        session.delete(gone)
        session.flush()
        _keep_alias(session, kept, old)
        _record(
            session, actor, utcnow(), None, None, ChangeKind.LEAD_MERGED, into_id, old, kept.name
        )
        session.flush()
    return kept


def reassign_issues(
    *, session: Session, actor: Actor, from_lead_id: int, to_lead_id: int, reason: str | None = None
) -> int:
    """Hand every issue of one lead (an officer who left, say) to another in one step, each
    issue keeping its place in the order of its leads; returns how many issues moved."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        old, new = _lead(session, from_lead_id), _lead(session, to_lead_id)
        if from_lead_id == to_lead_id:
            raise PlanEditRefused("Choose a different lead to hand the issues to.")
        _same_organisation(old, new)
        moved = _move_issue_links(session, old, new)
        if not moved:
            raise PlanEditRefused(f"{old.name} leads no issues, so there is nothing to hand on.")
        why = _reason(reason, required=False)
        now = utcnow()
        for issue in moved:  # each moves its version on: a form opened before is now stale
            issue.updated_at, issue.updated_by = now, actor.name
            session.add(issue)
        _record(
            session,
            actor,
            now,
            None,
            None,
            ChangeKind.ISSUES_REASSIGNED,
            to_lead_id,
            old.name,
            new.name,
            why,
        )
        session.flush()
        count = len(moved)
    return count


def set_lead_parent(*, session: Session, actor: Actor, lead_id: int, parent_id: int | None) -> Lead:
    """Put a lead (an officer, a team) under a service, or under none."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        lead = _lead(session, lead_id)
        parent = None if parent_id is None else _lead(session, parent_id)
        if parent is not None:
            _same_organisation(lead, parent)
            above: Lead | None = parent
            while above is not None:  # never a loop: a lead cannot sit under itself
                if pk(above) == lead_id:
                    raise PlanEditRefused(f"{parent.name} is part of {lead.name} already.")
                above = None if above.parent_id is None else session.get(Lead, above.parent_id)
        if lead.parent_id == parent_id:
            raise PlanEditRefused(f"{lead.name} is already there.")
        was = None if lead.parent_id is None else _lead(session, lead.parent_id).name
        lead.parent_id = parent_id
        _record(
            session,
            actor,
            utcnow(),
            None,
            None,
            ChangeKind.LEAD_PARENT,
            lead_id,
            was,
            None if parent is None else parent.name,
        )
        session.flush()
    return lead


def add_lead_alias(*, session: Session, actor: Actor, lead_id: int, alias: str) -> Lead:
    """Another name a lead is known by ("CMT", "Comm.Devel"), so an import finds it."""
    require_admin(actor, _ACTION)
    with write_transaction(session):
        begin_write(session)
        lead = _lead(session, lead_id)
        name = _lead_name(alias)
        _name_free(session, lead.organisation_id, name, None)
        _keep_alias(session, lead, name)
        _record(session, actor, utcnow(), None, None, ChangeKind.LEAD_ALIAS, lead_id, None, name)
        session.flush()
    return lead


# ---------------------------------------------------------------- checks and records


@dataclass(frozen=True)
class _Checked:
    ref: str
    text: str
    measure: str | None
    timescale: str | None
    due: date | None
    precision: str | None
    recurrence: str | None
    warning: str | None
    lead_ids: tuple[int, ...]
    characteristic_ids: tuple[int, ...]


def _checked(
    session: Session, plan: Plan, fields: IssueFields, *, issue_id: int | None
) -> _Checked:
    ref = " ".join((fields.ref or "").split())
    text = (fields.text or "").strip()
    if not ref:
        raise PlanEditRefused("Give the issue a ref, such as 4.2.")
    if not text:
        raise PlanEditRefused(f"Write what issue {ref} is to do: its wording cannot be empty.")
    taken = session.exec(
        select(Issue.id).where(Issue.plan_id == pk(plan), Issue.ref == ref)
    ).first()
    if taken is not None and taken != issue_id:
        raise PlanEditRefused(f"This plan already has an issue {ref}: choose another ref.")
    section = session.get(Section, fields.section_id)
    if section is None or section.plan_id != pk(plan):
        raise PlanEditRefused("Choose one of this plan's themes for the issue.")
    if fields.level_id is not None:
        level = session.get(Level, fields.level_id)
        if level is None or plan.framework_id is None or level.framework_id != plan.framework_id:
            raise PlanEditRefused(
                "That level is not one of the framework version this plan is set against: "
                "put the plan on a framework version first, or choose one of its levels."
            )
    lead_ids = tuple(dict.fromkeys(fields.lead_ids))
    if len(lead_ids) > MAX_LEADS_PER_ISSUE:
        raise PlanEditRefused(f"An issue can have at most {MAX_LEADS_PER_ISSUE} leads.")
    for lead_id in lead_ids:
        lead = session.get(Lead, lead_id)
        if lead is None or lead.organisation_id != plan.organisation_id:
            raise PlanEditRefused(
                "One of the leads chosen is not a lead of this plan's organisation: "
                "add the lead first, then choose it."
            )
    characteristic_ids = tuple(dict.fromkeys(fields.characteristic_ids))
    for characteristic_id in characteristic_ids:
        if session.get(Characteristic, characteristic_id) is None:
            raise PlanEditRefused("One of the characteristics chosen is not known.")
    timescale = (fields.timescale or "").strip() or None
    read = parse_timescale(timescale)
    return _Checked(
        ref=ref,
        text=text,
        measure=(fields.measure or "").strip() or None,
        timescale=timescale,
        due=read.due,
        precision=read.precision.value if read.precision else None,
        recurrence=read.recurrence.value if read.recurrence else None,
        warning=read.warning,
        lead_ids=lead_ids,
        characteristic_ids=characteristic_ids,
    )


def _as_words(session: Session, issue: Issue) -> dict[str, str | None]:
    """An issue's editable fields as the history writes them."""
    section = session.get(Section, issue.section_id)
    level = None if issue.level_id is None else session.get(Level, issue.level_id)
    leads = session.exec(
        select(Lead.name)
        .join(IssueLead, col(IssueLead.lead_id) == col(Lead.id))
        .where(IssueLead.issue_id == pk(issue))
        .order_by(col(IssueLead.position))
    ).all()
    characteristics = session.exec(
        select(Characteristic.name)
        .join(
            IssueCharacteristic,
            col(IssueCharacteristic.characteristic_id) == col(Characteristic.id),
        )
        .where(IssueCharacteristic.issue_id == pk(issue))
        .order_by(col(Characteristic.name))
    ).all()
    return {
        "ref": issue.ref,
        "text": issue.text,
        "section": section.heading if section else None,
        "level": level.name if level else None,
        "leads": " / ".join(leads) or None,
        "timescale": issue.timescale or None,
        "measure": issue.measure or None,
        "characteristics": ", ".join(characteristics) or None,
    }


def _set_links(
    session: Session, issue: Issue, lead_ids: Sequence[int], characteristic_ids: Sequence[int]
) -> None:
    issue_id = pk(issue)
    for link in session.exec(select(IssueLead).where(IssueLead.issue_id == issue_id)).all():
        session.delete(link)
    for tag in session.exec(
        select(IssueCharacteristic).where(IssueCharacteristic.issue_id == issue_id)
    ).all():
        session.delete(tag)
    session.flush()
    for position, lead_id in enumerate(lead_ids):
        session.add(IssueLead(issue_id=issue_id, lead_id=lead_id, position=position))
    for characteristic_id in characteristic_ids:
        session.add(IssueCharacteristic(issue_id=issue_id, characteristic_id=characteristic_id))
    session.expire(issue, ["lead_links", "characteristic_links"])


def _move_issue_links(session: Session, old: Lead, new: Lead) -> list[Issue]:
    """Every issue of ``old`` led by ``new`` instead, in the same place among its leads."""
    links = session.exec(select(IssueLead).where(IssueLead.lead_id == pk(old))).all()
    moved: list[Issue] = []
    for link in links:
        issue = session.get(Issue, link.issue_id)
        assert issue is not None
        already = session.get(IssueLead, (link.issue_id, pk(new)))
        position = link.position
        session.delete(link)
        session.flush()
        if already is None:
            session.add(IssueLead(issue_id=link.issue_id, lead_id=pk(new), position=position))
        elif position < already.position:
            already.position = position
        session.expire(issue, ["lead_links"])
        moved.append(issue)
    session.flush()
    return moved


def _plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise PlanEditRefused("That plan no longer exists.")
    return plan


def _issue(session: Session, issue_id: int, expected_version: int) -> Issue:
    issue = session.get(Issue, issue_id, populate_existing=True)
    if issue is None:
        raise PlanEditRefused("That issue no longer exists.")
    if issue.version != expected_version:
        raise Conflict(ref=issue.ref, by=issue.updated_by, at=issue.updated_at)
    return issue


def _flush(session: Session, issue: Issue) -> None:
    """Write the issue where its version is still the one read (a Conflict otherwise)."""
    try:
        session.add(issue)
        session.flush()
    except StaleDataError as lost:
        raise Conflict(ref=issue.ref, by=None, at=None) from lost


def _section(session: Session, section_id: int) -> Section:
    section = session.get(Section, section_id)
    if section is None:
        raise PlanEditRefused("That theme no longer exists.")
    return section


def _heading(session: Session, plan: Plan, heading: str, section_id: int | None) -> str:
    words = " ".join((heading or "").split())
    if not words:
        raise PlanEditRefused("Give the theme a heading.")
    for other in session.exec(select(Section).where(Section.plan_id == pk(plan))).all():
        if pk(other) != section_id and name_key(other.heading) == name_key(words):
            raise PlanEditRefused(f"The plan already has a theme called {other.heading}.")
    return words


def _framework_theme(plan: Plan, session: Session, theme_id: int | None) -> Theme | None:
    if theme_id is None:
        return None
    theme = session.get(Theme, theme_id)
    if theme is None or plan.framework_id is None or theme.framework_id != plan.framework_id:
        raise PlanEditRefused(
            "That is not a theme of the framework version this plan is set against: put the "
            "plan on a framework version first, or choose one of its themes."
        )
    return theme


def _lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise PlanEditRefused("That lead no longer exists.")
    return lead


def _lead_name(name: str) -> str:
    words = " ".join((name or "").split())
    if not words:
        raise PlanEditRefused("Give the lead a name.")
    return words


def _name_free(session: Session, organisation_id: int, name: str, lead_id: int | None) -> None:
    key = name_key(name)
    for other in session.exec(select(Lead).where(Lead.organisation_id == organisation_id)).all():
        if pk(other) != lead_id and name_key(other.name) == key:
            raise PlanEditRefused(
                f"There is already a lead called {other.name}: merge the two instead."
            )
    alias = session.exec(
        select(LeadAlias).where(
            LeadAlias.organisation_id == organisation_id, LeadAlias.alias_key == key
        )
    ).first()
    if alias is not None and alias.lead_id != lead_id:
        owner = _lead(session, alias.lead_id)
        raise PlanEditRefused(f"{name} is already another name of {owner.name}.")


def _keep_alias(session: Session, lead: Lead, name: str) -> None:
    key = name_key(name)
    exists = session.exec(
        select(LeadAlias).where(
            LeadAlias.organisation_id == lead.organisation_id, LeadAlias.alias_key == key
        )
    ).first()
    if exists is None and key != name_key(lead.name):
        session.add(
            LeadAlias(
                lead_id=pk(lead), organisation_id=lead.organisation_id, alias=name, alias_key=key
            )
        )


def _same_organisation(one: Lead, other: Lead) -> None:
    if one.organisation_id != other.organisation_id:
        raise PlanEditRefused(f"{one.name} and {other.name} belong to different organisations.")


def _reason(reason: str | None, *, required: bool, action: str = "") -> str | None:
    why = (reason or "").strip() or None
    if why is None and required:
        raise PlanEditRefused(f"Say why you {action}: the reason is kept in the history.")
    if why is not None and len(why) > MAX_REASON_LENGTH:
        raise PlanEditRefused(f"The reason can be at most {MAX_REASON_LENGTH:,} characters.")
    return why


def _record(
    session: Session,
    actor: Actor,
    at: datetime,
    plan_id: int | None,
    issue_id: int | None,
    kind: ChangeKind,
    lead_id: int | None = None,
    was: str | None = None,
    to: str | None = None,
    reason: str | None = None,
    *,
    field: str | None = None,
) -> None:
    session.add(
        PlanChange(
            plan_id=plan_id,
            issue_id=issue_id,
            lead_id=lead_id,
            kind=kind.value,
            field=field,
            from_value=was,
            to_value=to,
            reason=reason,
            by=actor.name,
            by_user_id=actor.user_id,
            at=at,
        )
    )
