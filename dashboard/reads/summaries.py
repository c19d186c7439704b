"""Read queries that return DataFrames for the screens. Aggregation happens in SQL."""

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dashboard.reads.plans import PlanRow, plan_rows
from models import Issue, IssueLead, Lead, Section


def plans_summary(session: Session) -> pd.DataFrame:
    """One row per plan: organisation, number of sections and issues, and how many are done."""
    return pd.DataFrame(plan_rows(session), columns=PlanRow._fields)


def sections_summary(session: Session) -> pd.DataFrame:
    """Every plan's sections (themes) in order, each with its issue count, in one query."""
    rows = session.execute(
        sa_select(
            col(Section.id),
            col(Section.plan_id),
            col(Section.position),
            col(Section.heading),
            func.count(col(Issue.id)),
        )
        .outerjoin(Issue, (col(Issue.section_id) == Section.id) & col(Issue.retired_at).is_(None))
        .group_by(
            col(Section.id), col(Section.plan_id), col(Section.position), col(Section.heading)
        )
        .order_by(col(Section.plan_id), col(Section.position))
    ).all()
    return pd.DataFrame(rows, columns=["section_id", "plan_id", "position", "heading", "issues"])


def leads_by_issue(session: Session, issue_ids: Sequence[int | None]) -> dict[int, list[str]]:
    """Each issue's lead names in order, primary first (issues with no lead are left out)."""
    found: dict[int, list[str]] = {}
    if not issue_ids:
        return found
    rows = session.exec(
        select(IssueLead.issue_id, Lead.name)
        .join(Lead, col(IssueLead.lead_id) == Lead.id)
        .where(col(IssueLead.issue_id).in_(issue_ids))
        .order_by(col(IssueLead.issue_id), col(IssueLead.position))
    ).all()
    for issue_id, name in rows:
        found.setdefault(issue_id, []).append(name)
    return found
