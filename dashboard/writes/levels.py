"""Self-assessment of a theme against a maturity level (the reads of levels and assessments are
in dashboard/reads/levels.py)."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from dashboard.formats.words import time_text
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.db import begin_write, write_transaction
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
