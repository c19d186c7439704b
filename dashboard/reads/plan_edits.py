"""What the plan editor and the history need to read: an issue as its edit form shows it, and the
record of changes to a plan itself (models.PlanChange)."""

import pandas as pd
from sqlmodel import Session, col, or_, select

from dashboard.rules.plan_edits import IssueFields, change_words
from models import Issue, IssueCharacteristic, IssueLead, PlanChange

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
