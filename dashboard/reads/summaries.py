"""Read queries that return DataFrames for the screens. Aggregation happens in SQL."""

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dashboard.rules.progress import DONE, percent
from models import Issue, IssueLead, Lead, Organisation, Plan, Section, Status


def plans_summary(session: Session) -> pd.DataFrame:
    """One row per plan: organisation, number of sections and issues, and how many are done."""
    done = func.sum(case((col(Issue.status).in_(DONE), 1), else_=0))
    counted = func.sum(case((col(Issue.status) != Status.NOT_APPLICABLE.value, 1), else_=0))
    issue_counts = (
        select(
            Issue.plan_id,
            func.count(col(Issue.id)).label("issues"),
            done.label("done"),
            counted.label("counted"),
        )
        .group_by(col(Issue.plan_id))
        .subquery()
    )
    section_counts = (
        select(Section.plan_id, func.count(col(Section.id)).label("sections"))
        .group_by(col(Section.plan_id))
        .subquery()
    )
    rows = session.execute(
        sa_select(
            col(Plan.id),
            col(Plan.slug),
            col(Plan.title),
            col(Organisation.name),
            func.coalesce(col(Plan.period), ""),
            func.coalesce(section_counts.c.sections, 0),
            func.coalesce(issue_counts.c.issues, 0),
            func.coalesce(issue_counts.c.done, 0),
            func.coalesce(issue_counts.c.counted, 0),
        )
        .join(Organisation, col(Plan.organisation_id) == Organisation.id)
        .outerjoin(section_counts, section_counts.c.plan_id == Plan.id)
        .outerjoin(issue_counts, issue_counts.c.plan_id == Plan.id)
        .order_by(col(Plan.id))
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "plan_id",
            "slug",
            "title",
            "organisation",
            "period",
            "sections",
            "issues",
            "done",
            "counted",
        ],
    )
    frame["percent_complete"] = [
        percent(d, c) for d, c in zip(frame["done"], frame["counted"], strict=True)
    ]
    return frame


def sections_summary(session: Session) -> pd.DataFrame:
    """Every plan's sections (themes) in order, each with its issue count, in one query."""
    rows = session.exec(
        select(Section.plan_id, Section.position, Section.heading, func.count(col(Issue.id)))
        .outerjoin(Issue, col(Issue.section_id) == Section.id)
        .group_by(
            col(Section.id), col(Section.plan_id), col(Section.position), col(Section.heading)
        )
        .order_by(col(Section.plan_id), col(Section.position))
    ).all()
    return pd.DataFrame(rows, columns=["plan_id", "position", "heading", "issues"])


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
