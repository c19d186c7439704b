"""Self-assessment of a theme against a maturity level (the reads of levels and assessments are
in dashboard/reads/levels.py)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.db import write_transaction
from models import Level, Theme, pk, utcnow
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
) -> SelfAssessment:
    """Save a dated self-assessment of one theme with a judgement per criterion (admins only)."""
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
