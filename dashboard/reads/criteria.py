"""Reads of level criteria: the criteria loaded (with how many issues link to each), the issues
linked to criteria, and every criterion as rows of the criteria file (for its export)."""

import pandas as pd
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import FrameworkVersion, Issue, Level, Plan, Theme
from models.levels import Criterion, IssueCriterion

CRITERIA_COLUMNS = ("framework", "theme", "level", "ref", "criterion", "guidance")


def criteria_rows(session: Session) -> list[dict[str, str]]:
    """Every loaded criterion as a row of the criteria file (CRITERIA_COLUMNS), in file order."""
    rows = session.exec(
        select(FrameworkVersion.code, Theme.name, Level.name, Criterion)
        .join(Theme, col(Criterion.theme_id) == Theme.id)
        .join(Level, col(Criterion.level_id) == Level.id)
        .join(FrameworkVersion, col(Theme.framework_id) == FrameworkVersion.id)
        .order_by(
            col(FrameworkVersion.code),
            col(Theme.position),
            col(Level.position),
            col(Criterion.position),
        )  # fmt: skip
    ).all()
    return [
        dict(
            zip(
                CRITERIA_COLUMNS,
                (code, theme, level, crit.ref, crit.text, crit.guidance or ""),
                strict=True,
            )
        )
        for code, theme, level, crit in rows
    ]


CRITERIA_LIST_COLUMNS = [
    "criterion_id", "framework", "theme_id", "theme", "level_id", "level", "ref", "text",
    "guidance", "issues_linked",
]  # fmt: skip


def criteria_list(session: Session, framework_id: int | None = None) -> pd.DataFrame:
    """Loaded criteria in theme, level and file order, with how many issues link to each."""
    links = (
        sa_select(col(IssueCriterion.criterion_id), func.count().label("n"))
        .group_by(col(IssueCriterion.criterion_id))
        .subquery()
    )
    query = (
        sa_select(
            col(Criterion.id),
            col(FrameworkVersion.name),
            col(Theme.id),
            col(Theme.name),
            col(Level.id),
            col(Level.name),
            col(Criterion.ref),
            col(Criterion.text),
            col(Criterion.guidance),
            func.coalesce(links.c.n, 0),
        )  # fmt: skip
        .join(Theme, col(Theme.id) == col(Criterion.theme_id))
        .join(Level, col(Level.id) == col(Criterion.level_id))
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(Theme.framework_id))
        .outerjoin(links, links.c.criterion_id == col(Criterion.id))
        .order_by(
            col(FrameworkVersion.id),
            col(Theme.position),
            col(Level.position),
            col(Criterion.position),
            col(Criterion.ref),
        )  # fmt: skip
    )
    if framework_id is not None:
        query = query.where(col(Theme.framework_id) == framework_id)
    frame = pd.DataFrame(session.execute(query).all(), columns=CRITERIA_LIST_COLUMNS)
    frame["guidance"] = frame["guidance"].fillna("")
    return frame


def linked_issues(session: Session, criterion_ids: list[int]) -> pd.DataFrame:
    """The issues linked to the given criteria: criterion, plan, ref, text and status."""
    rows = session.execute(
        sa_select(
            col(IssueCriterion.criterion_id),
            col(Issue.id),
            col(Plan.title),
            col(Issue.ref),
            col(Issue.text),
            col(Issue.status),
        )  # fmt: skip
        .join(Issue, col(Issue.id) == col(IssueCriterion.issue_id))
        .join(Plan, col(Plan.id) == col(Issue.plan_id))
        .where(col(IssueCriterion.criterion_id).in_(criterion_ids))
        .order_by(col(IssueCriterion.criterion_id), col(Plan.id), col(Issue.position))
    ).all()
    return pd.DataFrame(rows, columns=["criterion_id", "issue_id", "plan", "ref", "text", "status"])
