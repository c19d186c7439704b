"""Self-assessment of a theme against a maturity level, and putting a plan on a framework's level
(the reads of levels and assessments are in dashboard/reads/levels.py)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from dashboard.formats.words import time_text
from dashboard.rules.errors import Refused
from dashboard.rules.names import name_key
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.db import begin_write, write_transaction
from models import FrameworkVersion, Level, Plan, Theme, pk, utcnow
from models.levels import Criterion, CriterionAssessment, Judgement, SelfAssessment


class AssessmentError(Refused):
    """A self-assessment that cannot be saved as entered; the message says why."""


@dataclass(frozen=True)
class CriterionJudgement:
    criterion_id: int
    judgement: Judgement
    evidence: str = ""
    note: str | None = None


def record_self_assessment(
    *,
    session: Session,
    actor: Actor,
    organisation_id: int,
    theme_id: int,
    assessed_on: date,
    level_claimed_id: int | None,
    narrative: str,
    judgements: list[CriterionJudgement],
    expected_latest_id: int | None = None,
) -> SelfAssessment:
    """Save a dated self-assessment of one theme with a judgement per criterion (admins only).

    `expected_latest_id` is the theme's newest assessment the person saw (0 for none): when
    someone else recorded one since, the save is refused (None: not checked)."""
    require_admin(actor, "record a self-assessment")
    if assessed_on > utcnow().date():
        raise AssessmentError("The assessment date cannot be in the future.")
    if not narrative.strip():
        raise AssessmentError("Write a short narrative: what the council does in this theme.")
    theme = session.get(Theme, theme_id)
    if theme is None:
        raise AssessmentError("That theme no longer exists.")
    if level_claimed_id is not None:
        level = session.get(Level, level_claimed_id)
        if level is None or level.framework_id != theme.framework_id:
            raise AssessmentError("The level claimed is not a level of this framework.")
    valid_criteria = set(
        session.exec(select(Criterion.id).where(Criterion.theme_id == theme_id)).all()
    )
    for item in judgements:
        if item.criterion_id not in valid_criteria:
            raise AssessmentError("A judgement refers to a criterion of another theme.")
        if item.judgement is Judgement.MET and not item.evidence.strip():
            raise AssessmentError("A criterion judged Met needs at least one piece of evidence.")
    with write_transaction(session):
        begin_write(session, serialise=f"self-assessment {organisation_id} {theme_id}")
        if expected_latest_id is not None:
            _check_latest(session, organisation_id, theme_id, expected_latest_id)
        assessment = SelfAssessment(
            organisation_id=organisation_id,
            theme_id=theme_id,
            assessed_on=assessed_on,
            level_claimed_id=level_claimed_id,
            narrative=narrative.strip(),
            by=actor.name,
            by_user_id=actor.user_id,
        )
        session.add(assessment)
        session.flush()
        for item in judgements:
            session.add(
                CriterionAssessment(
                    assessment_id=pk(assessment),
                    criterion_id=item.criterion_id,
                    judgement=item.judgement.value,
                    evidence=item.evidence.strip(),
                    note=item.note,
                )
            )
    return assessment


def _check_latest(session: Session, organisation_id: int, theme_id: int, expected: int) -> None:
    """Refuse the save when the theme's newest assessment is not the one the person saw."""
    latest = session.exec(
        select(SelfAssessment)
        .where(
            SelfAssessment.organisation_id == organisation_id,
            SelfAssessment.theme_id == theme_id,
        )
        .order_by(col(SelfAssessment.id).desc())
        .limit(1)
    ).first()
    if latest is not None and latest.id != expected:
        raise AssessmentError(
            f"{latest.by} recorded a self-assessment of this theme at "
            f"{time_text(latest.created_at)} while you were editing. Nothing was saved: check "
            "theirs, then save yours again."
        )


class PlanLevelRefused(Refused):
    """A framework version or level that cannot be given to a plan; the message says why."""


def find_framework_level(
    session: Session, framework: str, level: str
) -> tuple[FrameworkVersion, Level]:
    """The framework version (by its code or name) and one of its levels (by name), case and
    spacing ignored; PlanLevelRefused names what is not known and what is."""
    versions = session.exec(select(FrameworkVersion).order_by(col(FrameworkVersion.id))).all()
    version = next(
        (v for v in versions if name_key(framework) in (name_key(v.code), name_key(v.name))), None
    )
    if version is None:
        known = "; ".join(f"{v.code} ({v.name})" for v in versions) or "none is loaded yet"
        raise PlanLevelRefused(
            f"There is no framework version '{framework}'. The versions are: {known}."
        )
    levels = sorted(version.levels, key=lambda item: item.position)
    found = next((item for item in levels if name_key(item.name) == name_key(level)), None)
    if found is None:
        names = ", ".join(item.name for item in levels) or "none"
        raise PlanLevelRefused(
            f"'{level}' is not a level of {version.name}. Its levels are: {names}."
        )
    return version, found


def set_plan_level(
    *, session: Session, actor: Actor, plan_slug: str, framework: str, level: str
) -> Plan:
    """Put a plan on a framework version and the level it works towards (admins only), so
    readiness for that level can be shown. Issues keep a level of their own, except those given
    the plan's old level (as an import gives them), which follow the plan to another version."""
    require_admin(actor, "put a plan on a framework level")
    with write_transaction(session):
        begin_write(session)
        plan = session.exec(select(Plan).where(Plan.slug == plan_slug)).first()
        if plan is None:
            raise PlanLevelRefused(f"There is no plan with the short name '{plan_slug}'.")
        version, found = find_framework_level(session, framework, level)
        own = {pk(item) for item in version.levels}
        if plan.framework_id != version.id:  # issues given the plan's old level follow the plan
            for issue in plan.issues:
                if issue.level_id is not None and issue.level_id == plan.level_id:
                    issue.level_id = None
                    session.add(issue)
        others = [i.ref for i in plan.issues if i.level_id is not None and i.level_id not in own]
        if others:
            raise PlanLevelRefused(
                f"The plan's issues {', '.join(others[:5])} have levels of another framework "
                "version, so the plan cannot be put on this one."
            )
        plan.framework_id = pk(version)
        plan.level_id = pk(found)
        session.add(plan)
    return plan
