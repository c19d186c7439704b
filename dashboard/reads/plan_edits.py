"""What the plan editor and the history need to read: an issue as its edit form shows it, and the
record of changes to a plan itself (models.PlanChange)."""

import pandas as pd
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, or_, select

from dashboard.rules.plan_edits import IssueFields, change_words
from models import Issue, IssueCharacteristic, IssueLead, Organisation, Plan, PlanChange, Theme

PLAN_CHANGE_COLUMNS = ["at", "kind", "field", "from_value", "to_value", "reason", "by", "change"]


def issue_fields(session: Session, issue_id: int) -> tuple[IssueFields, int] | None:
    """An issue as its edit form shows it, with the version the form was drawn from."""
    issue = session.get(Issue, issue_id, populate_existing=True)
    if issue is None:
        return None
    leads = session.exec(
        select(IssueLead.lead_id)
        .where(IssueLead.issue_id == issue_id)
        .order_by(col(IssueLead.position))
    ).all()
    characteristics = session.exec(
        select(IssueCharacteristic.characteristic_id).where(
            IssueCharacteristic.issue_id == issue_id
        )
    ).all()
    fields = IssueFields(
        ref=issue.ref,
        text=issue.text,
        section_id=issue.section_id,
        lead_ids=tuple(leads),
        timescale=issue.timescale,
        measure=issue.measure,
        level_id=issue.level_id,
        characteristic_ids=tuple(sorted(characteristics)),
    )
    return fields, issue.version


def plan_changes(
    session: Session, *, issue_id: int | None = None, plan_id: int | None = None
) -> pd.DataFrame:
    """Changes to the plan itself, oldest first: of one issue, or of a whole plan (its issues and
    the leads of its organisation), each with a sentence saying what changed."""
    query = select(PlanChange).order_by(col(PlanChange.at), col(PlanChange.id))
    if issue_id is not None:
        query = query.where(PlanChange.issue_id == issue_id)
    if plan_id is not None:
        query = query.where(
            or_(col(PlanChange.plan_id) == plan_id, col(PlanChange.plan_id).is_(None))
        )
    rows = [
        {
            "at": row.at,
            "kind": row.kind,
            "field": row.field,
            "from_value": row.from_value,
            "to_value": row.to_value,
            "reason": row.reason,
            "by": row.by,
            "change": change_words(row.kind, row.field, row.from_value, row.to_value),
        }
        for row in session.exec(query)
    ]
    return pd.DataFrame(rows, columns=PLAN_CHANGE_COLUMNS)


def plan_issues(session: Session, plan_id: int) -> pd.DataFrame:
    """Every issue of a plan, retired ones too, in plan order: issue_id, ref, text, section_id,
    version and retired_at (None while the plan still counts it)."""
    rows = session.execute(
        sa_select(
            col(Issue.id),
            col(Issue.ref),
            col(Issue.text),
            col(Issue.section_id),
            col(Issue.version),
            col(Issue.retired_at),
        )
        .where(col(Issue.plan_id) == plan_id)
        .order_by(col(Issue.position))
    ).all()
    return pd.DataFrame(
        rows, columns=["issue_id", "ref", "text", "section_id", "version", "retired_at"]
    )


def framework_themes(session: Session, plan_id: int) -> pd.DataFrame:
    """The themes of the framework version a plan is set against (none when it is not):
    theme_id and name, in the framework's order."""
    rows = session.exec(
        select(Theme.id, Theme.name)
        .join(Plan, col(Plan.framework_id) == col(Theme.framework_id))
        .where(Plan.id == plan_id)
        .order_by(col(Theme.position))
    ).all()
    return pd.DataFrame(rows, columns=["theme_id", "name"])


def plan_details(session: Session, plan_id: int) -> dict[str, str]:
    """A plan's title, period and organisation as its form shows them ("" for none)."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        return {"title": "", "period": "", "organisation": ""}
    owner = session.get(Organisation, plan.organisation_id)
    return {
        "title": plan.title,
        "period": plan.period or "",
        "organisation": owner.name if owner else "",
    }
