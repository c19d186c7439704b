"""Reads for maturity levels: readiness per theme and level (with the criteria still to meet and a
projected date), self-assessments and their judgements, criteria per theme, and a plan seen
through another framework version's themes."""

from datetime import date

import pandas as pd
from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dashboard.formats.words import day_text, plural
from dashboard.reads import progress
from models import (
    DONE_STATUSES,
    FrameworkVersion,
    Issue,
    Level,
    Organisation,
    Plan,
    Section,
    Status,
    Theme,
    ThemeMapping,
)
from models.levels import Criterion, CriterionAssessment, Judgement, SelfAssessment

_DONE = [s.value for s in DONE_STATUSES]


def assessment_history(session: Session, organisation_id: int, theme_id: int) -> pd.DataFrame:
    """Every self-assessment of a theme, newest first, with how many criteria each judged met."""
    met = func.sum(case((col(CriterionAssessment.judgement) == Judgement.MET.value, 1), else_=0))
    rows = session.execute(
        sa_select(
            col(SelfAssessment.id),
            col(SelfAssessment.assessed_on),
            col(Level.name),
            col(SelfAssessment.narrative),
            col(SelfAssessment.by),
            func.coalesce(met, 0),
        )
        .outerjoin(Level, col(SelfAssessment.level_claimed_id) == Level.id)
        .outerjoin(CriterionAssessment, col(CriterionAssessment.assessment_id) == SelfAssessment.id)
        .where(
            col(SelfAssessment.organisation_id) == organisation_id,
            col(SelfAssessment.theme_id) == theme_id,
        )
        .group_by(col(SelfAssessment.id), col(Level.name))
        .order_by(col(SelfAssessment.assessed_on).desc(), col(SelfAssessment.id).desc())
    ).all()
    return pd.DataFrame(
        rows, columns=["assessment_id", "assessed_on", "level_claimed", "narrative", "by", "met"]
    )


def readiness(session: Session, plan_id: int, level_id: int, today: date) -> pd.DataFrame:
    """Per theme of the plan (see progress.readiness): what remains at the level, criteria not yet
    met with evidence, and the date the level would be met if every on-track issue finishes when
    it is due."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        return pd.DataFrame()
    summary = progress.readiness(session, plan_id, level_id)
    open_issue = col(Issue.status).not_in([*_DONE, Status.NOT_APPLICABLE.value])
    timing = session.execute(
        sa_select(
            col(Issue.section_id),
            func.sum(case((progress.overdue_condition(today), 1), else_=0)),
            func.sum(case((open_issue & col(Issue.due_date).is_(None), 1), else_=0)),
            func.max(case((open_issue, col(Issue.due_date)), else_=None)),
            func.sum(case((open_issue, 1), else_=0)),
        )
        .where(col(Issue.plan_id) == plan_id, progress.issue_level() == level_id)
        .group_by(col(Issue.section_id))
    ).all()
    by_section = {row[0]: row[1:] for row in timing}
    theme_of = dict(
        session.execute(
            sa_select(col(Section.id), col(Section.theme_id)).where(col(Section.plan_id) == plan_id)
        ).all()
    )
    criteria = _criteria_status(session, plan.organisation_id, level_id)
    projected, crit_totals, crit_met = [], [], []
    for section_id, issues, ready in zip(
        summary["section_id"], summary["issues"], summary["ready"], strict=True
    ):
        overdue, undated, last_due, still_open = by_section.get(section_id, (0, 0, None, 0))
        theme_id = theme_of.get(section_id)
        total, met = criteria.get(theme_id, (0, 0)) if theme_id is not None else (0, 0)
        crit_totals.append(total)
        crit_met.append(met)
        projected.append(
            _projection(
                issues - ready,
                total - met,
                overdue or 0,
                undated or 0,
                last_due,
                issues,
                still_open or 0,
            )  # fmt: skip
        )
    return summary.assign(
        criteria=crit_totals,
        criteria_met=crit_met,
        criteria_remaining=[t - m for t, m in zip(crit_totals, crit_met, strict=True)],
        projected=projected,
    )


def _criteria_status(
    session: Session, organisation_id: int, level_id: int
) -> dict[int, tuple[int, int]]:
    """theme id -> (criteria at this level, criteria judged Met with evidence in the latest
    self-assessment of that theme)."""
    latest = (
        select(SelfAssessment.theme_id, func.max(col(SelfAssessment.id)).label("assessment_id"))
        .where(SelfAssessment.organisation_id == organisation_id)
        .group_by(col(SelfAssessment.theme_id))
        .subquery()
    )
    met = (col(CriterionAssessment.judgement) == Judgement.MET.value) & (
        func.length(func.coalesce(col(CriterionAssessment.evidence), "")) > 0
    )
    rows = session.execute(
        sa_select(
            col(Criterion.theme_id),
            func.count(col(Criterion.id)),
            func.sum(case((met, 1), else_=0)),
        )
        .outerjoin(latest, latest.c.theme_id == Criterion.theme_id)
        .outerjoin(
            CriterionAssessment,
            (col(CriterionAssessment.assessment_id) == latest.c.assessment_id)
            & (col(CriterionAssessment.criterion_id) == Criterion.id),
        )
        .where(col(Criterion.level_id) == level_id)
        .group_by(col(Criterion.theme_id))
    ).all()
    return {theme_id: (total, met_count or 0) for theme_id, total, met_count in rows}


def _has(count: int) -> str:
    return "has" if count == 1 else "have"


def _need(count: int) -> str:
    return "needs" if count == 1 else "need"


def _criteria(count: int) -> str:
    return plural(count, "criterion", "criteria")


def _projection(
    remaining: int, criteria_left: int, overdue: int, undated: int, last_due: date | None,
    issues: int, still_open: int,
) -> str:  # fmt: skip
    if issues == 0 and criteria_left == 0:
        return "No issues or criteria at this level"
    if remaining == 0 and criteria_left == 0:
        return "Met now"
    if overdue:
        return f"Cannot project: {plural(overdue, 'issue')} overdue"
    if undated:
        return f"Cannot project: {plural(undated, 'issue')} {_has(undated)} no due date"
    if still_open == 0 or last_due is None:
        needs = []
        if remaining:
            needs.append(f"{plural(remaining, 'issue')} {_need(remaining)} evidence")
        if criteria_left:
            needs.append(f"{_criteria(criteria_left)} {_need(criteria_left)} evidence")
        return "Work done; " + " and ".join(needs)
    projected = day_text(last_due)
    if criteria_left:
        return (
            f"{projected}, if on-track issues finish when due "
            f"and {_criteria(criteria_left)} {'gets' if criteria_left == 1 else 'get'} evidence"
        )
    return f"{projected}, if on-track issues finish when due"


def progress_in_version(session: Session, plan_id: int, framework_code: str) -> pd.DataFrame:
    """The plan's progress regrouped under another framework version's themes, through the theme
    mapping; a target theme fed by several of the plan's themes says so."""
    target = session.exec(
        select(FrameworkVersion).where(FrameworkVersion.code == framework_code)
    ).one()
    source_theme = col(Section.theme_id)
    done = func.sum(case((col(Issue.status).in_(_DONE), 1), else_=0))
    counted = func.sum(case((col(Issue.status) != Status.NOT_APPLICABLE.value, 1), else_=0))
    target_theme = Theme.__table__.alias("target_theme")  # type: ignore[attr-defined]
    rows = session.execute(
        sa_select(
            target_theme.c.position,
            target_theme.c.name,
            col(Section.heading),
            col(ThemeMapping.note),
            func.count(col(Issue.id)),
            done,
            counted,
        )
        .select_from(Section)
        .join(ThemeMapping, col(ThemeMapping.from_theme_id) == source_theme)
        .join(target_theme, target_theme.c.id == ThemeMapping.to_theme_id)
        .outerjoin(Issue, col(Issue.section_id) == Section.id)
        .where(col(Section.plan_id) == plan_id, target_theme.c.framework_id == target.id)
        .group_by(
            target_theme.c.position,
            target_theme.c.name,
            col(Section.position),
            col(Section.heading),
            col(ThemeMapping.note),
        )  # fmt: skip
        .order_by(target_theme.c.position, col(Section.position))
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=["position", "theme", "from_theme", "note", "issues", "done", "counted"],
    )
    return frame


def other_versions(session: Session, plan_id: int) -> pd.DataFrame:
    """Framework versions the plan's themes map into (code, name), oldest first."""
    target_theme = Theme.__table__.alias("target_theme")  # type: ignore[attr-defined]
    rows = session.execute(
        sa_select(col(FrameworkVersion.code), col(FrameworkVersion.name))
        .select_from(Section)
        .join(ThemeMapping, col(ThemeMapping.from_theme_id) == col(Section.theme_id))
        .join(target_theme, target_theme.c.id == ThemeMapping.to_theme_id)
        .join(FrameworkVersion, col(FrameworkVersion.id) == target_theme.c.framework_id)
        .where(col(Section.plan_id) == plan_id)
        .group_by(col(FrameworkVersion.id), col(FrameworkVersion.code), col(FrameworkVersion.name))
        .order_by(col(FrameworkVersion.id))
    ).all()
    return pd.DataFrame(rows, columns=["code", "name"])


def plan_framework_themes(session: Session, plan_id: int) -> pd.DataFrame:
    """The plan's sections that stand for a framework theme: section, theme and heading."""
    rows = session.execute(
        sa_select(
            col(Section.id),
            col(Section.position),
            col(Theme.id),
            col(Theme.name),
            col(Section.heading),
        )  # fmt: skip
        .join(Theme, col(Theme.id) == col(Section.theme_id))
        .where(col(Section.plan_id) == plan_id)
        .order_by(col(Section.position))
    ).all()
    return pd.DataFrame(rows, columns=["section_id", "position", "theme_id", "theme", "heading"])


def theme_criteria(session: Session, theme_id: int) -> pd.DataFrame:
    """The criteria of one theme at every level, in level and file order."""
    rows = session.execute(
        sa_select(
            col(Criterion.id),
            col(Level.id),
            col(Level.name),
            col(Criterion.ref),
            col(Criterion.text),
            col(Criterion.guidance),
        )  # fmt: skip
        .join(Level, col(Level.id) == col(Criterion.level_id))
        .where(col(Criterion.theme_id) == theme_id)
        .order_by(col(Level.position), col(Criterion.position), col(Criterion.ref))
    ).all()
    frame = pd.DataFrame(
        rows, columns=["criterion_id", "level_id", "level", "ref", "text", "guidance"]
    )
    frame["guidance"] = frame["guidance"].fillna("")
    return frame


def assessment_judgements(session: Session, assessment_ids: list[int]) -> pd.DataFrame:
    """The judgement on each criterion in the given self-assessments, with evidence and note."""
    rows = session.execute(
        sa_select(
            col(CriterionAssessment.assessment_id),
            col(Criterion.id),
            col(Level.name),
            col(Criterion.ref),
            col(Criterion.text),
            col(CriterionAssessment.judgement),
            col(CriterionAssessment.evidence),
            col(CriterionAssessment.note),
        )  # fmt: skip
        .join(Criterion, col(Criterion.id) == col(CriterionAssessment.criterion_id))
        .join(Level, col(Level.id) == col(Criterion.level_id))
        .where(col(CriterionAssessment.assessment_id).in_(assessment_ids))
        .order_by(
            col(CriterionAssessment.assessment_id),
            col(Level.position),
            col(Criterion.position),
            col(Criterion.ref),
        )  # fmt: skip
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "assessment_id", "criterion_id", "level", "ref", "text", "judgement", "evidence",
            "note",
        ],
    )  # fmt: skip
    frame["note"] = frame["note"].fillna("")
    return frame


def framework_plans(session: Session) -> pd.DataFrame:
    """Plans written against a framework, with their organisation, framework and level."""
    rows = session.execute(
        sa_select(
            col(Plan.id),
            col(Plan.slug),
            col(Plan.title),
            col(Plan.organisation_id),
            col(Organisation.name),
            col(Plan.framework_id),
            col(FrameworkVersion.name),
            col(Plan.level_id),
        )  # fmt: skip
        .join(Organisation, col(Organisation.id) == col(Plan.organisation_id))
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(Plan.framework_id))
        .order_by(col(Plan.id))
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "plan_id", "slug", "title", "organisation_id", "organisation", "framework_id",
            "framework", "level_id",
        ],
    )  # fmt: skip
    return frame.astype({"level_id": "Int64"})


def plan_issues(session: Session, plan_id: int) -> pd.DataFrame:
    """Every issue of a plan in order: id, theme position, ref and text."""
    rows = session.execute(
        sa_select(col(Issue.id), col(Section.position), col(Issue.ref), col(Issue.text))
        .join(Section, col(Section.id) == col(Issue.section_id))
        .where(col(Issue.plan_id) == plan_id)
        .order_by(col(Section.position), col(Issue.position))
    ).all()
    return pd.DataFrame(rows, columns=["issue_id", "theme_position", "ref", "text"])


def criteria_without_evidence(
    session: Session, organisation_id: int, level_id: int
) -> dict[int, str]:
    """theme id -> the refs of its criteria at the level not judged Met with evidence in the
    latest self-assessment, e.g. "K2, K3" (the criteria readiness counts as remaining)."""
    latest = (
        select(SelfAssessment.theme_id, func.max(col(SelfAssessment.id)).label("assessment_id"))
        .where(SelfAssessment.organisation_id == organisation_id)
        .group_by(col(SelfAssessment.theme_id))
        .subquery()
    )
    met = (
        sa_select(col(CriterionAssessment.criterion_id))
        .join(latest, latest.c.assessment_id == col(CriterionAssessment.assessment_id))
        .where(
            col(CriterionAssessment.judgement) == Judgement.MET.value,
            func.length(func.coalesce(col(CriterionAssessment.evidence), "")) > 0,
        )
    )
    rows = session.execute(
        sa_select(col(Criterion.theme_id), col(Criterion.ref))
        .where(col(Criterion.level_id) == level_id, col(Criterion.id).not_in(met))
        .order_by(col(Criterion.theme_id), col(Criterion.position), col(Criterion.ref))
    ).all()
    frame = pd.DataFrame(rows, columns=["theme_id", "ref"])
    joined = frame.groupby("theme_id")["ref"].agg(", ".join)
    return {int(str(theme_id)): str(refs) for theme_id, refs in joined.items()}


def framework_levels(session: Session) -> pd.DataFrame:
    """Every framework version's levels in order: code, version name and level name."""
    rows = session.execute(
        sa_select(col(FrameworkVersion.code), col(FrameworkVersion.name), col(Level.name))
        .join(Level, col(Level.framework_id) == col(FrameworkVersion.id))
        .order_by(col(FrameworkVersion.id), col(Level.position))
    ).all()
    return pd.DataFrame(rows, columns=["code", "framework", "level"])
