"""Everything the peer-challenge pack shows, read once: per theme (or all), the criteria, the level
claimed and narrative of the latest self-assessment, the evidence with the path of each stored file
inside the zip, and each issue's status and history."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from dashboard.reads import progress
from dashboard.reads.criteria import linked_issues
from dashboard.reads.levels import assessment_judgements, plan_framework_themes, theme_criteria
from dashboard.rules.errors import Refused
from dashboard.rules.names import name_key
from dashboard.store import evidence_files
from dashboard.store.settings import Settings
from models import (
    Evidence,
    FrameworkVersion,
    Issue,
    Level,
    Organisation,
    Plan,
    SelfAssessment,
    StatusChange,
)

MISSING = "Not in this zip: the file is missing from the evidence folder"


class PackError(Refused):
    """The pack cannot be made as asked (unknown plan or theme); the message says why."""


@dataclass(frozen=True)
class ThemePack:
    """Everything the pack says about one theme of the plan."""

    position: int
    theme: str
    heading: str
    assessment: pd.Series | None  # assessed_on, level, narrative, by
    criteria: pd.DataFrame  # level, ref, text, guidance, judgement, evidence, note, issues
    issues: pd.DataFrame  # ref, text, status, rag_text, due, leads
    evidence: pd.DataFrame  # ref, title, url, stored_path, file_name, by, at, zip_path
    history: pd.DataFrame  # ref, at, from_status, to_status, note, by


@dataclass(frozen=True)
class PeerPack:
    plan: str
    plan_slug: str
    organisation: str
    framework: str
    made_on: date
    scope: str  # "All themes" or the one theme's name
    themes: list[ThemePack]

    @property
    def evidence(self) -> pd.DataFrame:
        """Every piece of evidence in the pack, with its theme."""
        frames = [t.evidence.assign(theme=t.theme) for t in self.themes]
        return pd.concat(frames, ignore_index=True) if frames else _empty_evidence()

    def file_stem(self) -> str:
        theme = "" if self.scope == "All themes" else "-theme-" + str(self.themes[0].position)
        return f"peer-challenge-{self.plan_slug}{theme}-{self.made_on.isoformat()}"


def plan_and_theme(
    session: Session, plan_slug: str | None, theme_name: str | None
) -> tuple[int, int | None]:
    """The plan (by slug; else the first plan written against a framework) and, when a theme
    name is given, its theme; PackError when either cannot be found."""
    query = select(Plan).where(col(Plan.framework_id).is_not(None)).order_by(col(Plan.id))
    if plan_slug:
        query = select(Plan).where(Plan.slug == plan_slug)
    plan = session.exec(query).first()
    if plan is None:
        raise PackError(
            f"There is no plan {plan_slug!r}." if plan_slug else "No plan follows a framework."
        )
    if plan.framework_id is None:
        raise PackError(f"{plan.title} is not written against an equality framework.")
    if not theme_name:
        return int(plan.id or 0), None
    themes = plan_framework_themes(session, int(plan.id or 0))
    wanted = name_key(theme_name)
    for row in each_row(themes):
        if wanted in (name_key(str(row.theme)), name_key(str(row.heading)), str(row.position)):
            return int(plan.id or 0), int(row.theme_id)
    names = "; ".join(themes["theme"])
    raise PackError(f"{plan.title} has no theme {theme_name!r}. Its themes are: {names}.")


def gather(
    session: Session,
    plan_id: int,
    theme_id: int | None,
    *,
    settings: Settings,
    today: date,
) -> PeerPack:
    """Read everything the pack shows, for one theme of the plan or all of them."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise PackError("That plan no longer exists.")
    organisation = session.get(Organisation, plan.organisation_id)
    framework = session.get(FrameworkVersion, plan.framework_id) if plan.framework_id else None
    themes = plan_framework_themes(session, plan_id)
    if theme_id is not None:
        themes = themes[themes["theme_id"] == theme_id]
    scope = progress.Filters(plan_id=plan_id)
    packs = [
        ThemePack(
            position=int(row.position),
            theme=str(row.theme),
            heading=str(row.heading),
            assessment=_latest_assessment(session, plan.organisation_id, int(row.theme_id)),
            criteria=_criteria(session, plan.organisation_id, int(row.theme_id)),
            issues=progress.theme_issues(
                session, scope, int(row.section_id), today, settings.rag_amber_days
            ),
            evidence=_evidence(session, int(row.section_id), int(row.position), settings),
            history=_history(session, int(row.section_id)),
        )
        for row in each_row(themes)
    ]
    return PeerPack(
        plan=plan.title,
        plan_slug=plan.slug,
        organisation=organisation.name if organisation else "",
        framework=framework.name if framework else "",
        made_on=today,
        scope=packs[0].theme if theme_id is not None and packs else "All themes",
        themes=packs,
    )


def _latest_assessment(session: Session, organisation_id: int, theme_id: int) -> pd.Series | None:
    row = session.execute(
        sa_select(
            col(SelfAssessment.id),
            col(SelfAssessment.assessed_on),
            col(Level.name),
            col(SelfAssessment.narrative),
            col(SelfAssessment.by),
        )  # fmt: skip
        .outerjoin(Level, col(Level.id) == col(SelfAssessment.level_claimed_id))
        .where(
            col(SelfAssessment.organisation_id) == organisation_id,
            col(SelfAssessment.theme_id) == theme_id,
        )
        .order_by(col(SelfAssessment.assessed_on).desc(), col(SelfAssessment.id).desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    columns = ["assessment_id", "assessed_on", "level", "narrative", "by"]
    return pd.Series(dict(zip(columns, row, strict=True)))


def _criteria(session: Session, organisation_id: int, theme_id: int) -> pd.DataFrame:
    """The theme's criteria with the latest self-assessment's judgements and linked issues."""
    criteria = theme_criteria(session, theme_id)
    latest = _latest_assessment(session, organisation_id, theme_id)
    judged = assessment_judgements(
        session, [int(latest["assessment_id"])] if latest is not None else []
    )[["criterion_id", "judgement", "evidence", "note"]]
    links = linked_issues(session, [int(c) for c in criteria["criterion_id"]])
    refs = links.groupby("criterion_id")["ref"].agg(", ".join)
    frame = criteria.merge(judged, on="criterion_id", how="left")
    frame["judgement"] = frame["judgement"].fillna("Not assessed yet")
    frame["evidence"] = frame["evidence"].fillna("")
    frame["note"] = frame["note"].fillna("")
    frame["issues"] = [str(refs.get(c, "")) for c in frame["criterion_id"]]
    return frame


def _empty_evidence() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "evidence_id",
            "ref",
            "title",
            "url",
            "stored_path",
            "file_name",
            "by",
            "at",
            "zip_path",
            "theme",
        ]  # fmt: skip
    )


def _evidence(session: Session, section_id: int, position: int, settings: Settings) -> pd.DataFrame:
    """The evidence of the theme's issues, each stored file given its path inside the zip (none
    when the file is missing from the evidence folder)."""
    rows = session.execute(
        sa_select(
            col(Evidence.id),
            col(Issue.ref),
            col(Evidence.title),
            col(Evidence.url),
            col(Evidence.stored_path),
            col(Evidence.file_name),
            col(Evidence.added_by),
            col(Evidence.added_at),
        )  # fmt: skip
        .join(Issue, col(Issue.id) == col(Evidence.issue_id))
        .where(col(Issue.section_id) == section_id)
        .order_by(col(Issue.position), col(Evidence.id))
    ).all()
    frame = pd.DataFrame(rows, columns=list(_empty_evidence().columns[:-2]))
    frame["zip_path"] = [
        _zip_path(position, ref, evidence_id, stored, name, settings)
        for evidence_id, ref, stored, name in zip(
            frame["evidence_id"],
            frame["ref"],
            frame["stored_path"],
            frame["file_name"],
            strict=True,
        )  # fmt: skip
    ]
    return frame


def _zip_path(
    position: int, ref: str, evidence_id: int, stored: str | None, name: str | None,
    settings: Settings,
) -> str | None:  # fmt: skip
    if not isinstance(stored, str) or not stored or stored_file(stored, settings) is None:
        return None
    safe = evidence_files.safe_file_name(name if isinstance(name, str) else Path(stored).name)
    return f"evidence/theme-{position}/{evidence_files.safe_file_name(ref)}/{evidence_id}-{safe}"


def stored_file(stored: str, settings: Settings) -> Path | None:
    """The stored evidence file, or None when it is missing or outside the evidence folder."""
    try:
        path = evidence_files.path_of(stored, settings)
    except evidence_files.EvidenceRefused:
        return None
    return path if path.is_file() else None


def _history(session: Session, section_id: int) -> pd.DataFrame:
    rows = session.execute(
        sa_select(
            col(Issue.ref),
            col(StatusChange.at),
            col(StatusChange.from_status),
            col(StatusChange.to_status),
            col(StatusChange.note),
            col(StatusChange.by),
        )  # fmt: skip
        .join(Issue, col(Issue.id) == col(StatusChange.issue_id))
        .where(col(Issue.section_id) == section_id)
        .order_by(col(Issue.position), col(StatusChange.at), col(StatusChange.id))
    ).all()
    frame = pd.DataFrame(rows, columns=["ref", "at", "from_status", "to_status", "note", "by"])
    frame["note"] = frame["note"].fillna("")
    return frame


def each_row(frame: pd.DataFrame) -> Iterator[Any]:
    """The frame's rows as named tuples (typed loosely: the columns hold mixed values)."""
    return frame.itertuples()
