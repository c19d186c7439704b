"""Progress as the screens read it: the rules of dashboard/rules/progress.py as SQL (CASE inside
GROUP BY), so a page gets its counts, percentages and RAG ratings in one query, as DataFrames.
tests/data/test_progress.py checks every SQL form against its pure form. ``today`` is always a
parameter so a test can fix the date.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Subquery, and_, case, false, func, literal, or_, true
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from dashboard.formats.words import format_due, own_rag_text, rag_text
from dashboard.reads.summaries import leads_by_issue
from dashboard.rules.progress import CLOSED, DONE, STATUSES, Rag, behind_key, percent
from dashboard.rules.timescale import Precision, Timescale, parse_timescale
from models import (
    Characteristic,
    DueDateChange,
    Evidence,
    FrameworkVersion,
    Issue,
    IssueCharacteristic,
    IssueLead,
    Lead,
    Level,
    Organisation,
    Plan,
    RatingSource,
    Section,
    Status,
    StatusChange,
    Theme,
)
from models.status import STATUS_WEIGHTS


@dataclass(frozen=True)
class Filters:
    """Which issues a view covers: one plan, optionally one level, lead and characteristic."""

    plan_id: int
    level_id: int | None = None
    lead_id: int | None = None  # the lead itself or anyone rolled up into it
    characteristic_id: int | None = None


def _service_id() -> ColumnElement[int]:
    """The lead an issue counts for: an officer's parent service where one is set."""
    return func.coalesce(col(Lead.parent_id), col(Lead.id))


def _of_issues_plan(column: str) -> Any:
    """A column of the issue's plan, as a subquery correlated to Issue (through an alias, so
    queries that also join Plan still correlate to Issue)."""
    plan = aliased(Plan)
    return (
        sa_select(getattr(plan, column))
        .where(col(plan.id) == col(Issue.plan_id))
        .correlate(Issue)  # type: ignore[arg-type]
        .scalar_subquery()
    )


def issue_level() -> ColumnElement[int]:
    """An issue's level: its own, else its plan's."""
    return func.coalesce(col(Issue.level_id), _of_issues_plan("level_id"))


def _led_by(lead_id: int) -> ColumnElement[bool]:
    """Issues led by the lead or by anyone rolled up into it."""
    led = (
        select(IssueLead.issue_id)
        .join(Lead, col(Lead.id) == col(IssueLead.lead_id))
        .where(or_(col(Lead.id) == lead_id, col(Lead.parent_id) == lead_id))
    )
    return col(Issue.id).in_(led)


def in_progress() -> ColumnElement[bool]:
    """An issue the plan still counts: not retired by an equality lead (dashboard/writes/
    plan_edits.py). Every figure, chart and list of progress leaves retired issues out."""
    return col(Issue.retired_at).is_(None)


def _scope(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        col(Issue.plan_id) == filters.plan_id,
        in_progress(),
    ]
    if filters.level_id is not None:
        conditions.append(issue_level() == filters.level_id)
    if filters.lead_id is not None:
        conditions.append(_led_by(filters.lead_id))
    if filters.characteristic_id is not None:
        tagged = select(IssueCharacteristic.issue_id).where(
            col(IssueCharacteristic.characteristic_id) == filters.characteristic_id
        )
        conditions.append(col(Issue.id).in_(tagged))
    return conditions


def evidence_pieces() -> Subquery:
    """Pieces of evidence per issue (columns issue_id, pieces), to join onto issues."""
    return (
        sa_select(col(Evidence.issue_id), func.count(col(Evidence.id)).label("pieces"))
        .group_by(col(Evidence.issue_id))
        .subquery()
    )


def overdue_condition(today: date) -> ColumnElement[bool]:
    return and_(
        col(Issue.status).not_in(CLOSED),
        col(Issue.due_date).is_not(None),
        col(Issue.due_date) < today,  # overdue when today > due date (the period's last day)
    )


def rag_case(today: date, amber_days: int) -> ColumnElement[str]:
    """The RAG rule as a SQL CASE; agrees with rag() (checked by a data test)."""
    return case(
        (col(Issue.status).in_(DONE), Rag.COMPLETE.value),
        (col(Issue.status) == Status.NOT_APPLICABLE.value, Rag.NOT_APPLICABLE.value),
        (col(Issue.due_date).is_(None), Rag.GREEN.value),
        (overdue_condition(today), Rag.RED.value),
        (
            and_(
                col(Issue.status) == Status.NOT_STARTED.value,
                col(Issue.due_date) <= today + timedelta(days=amber_days),
            ),
            Rag.AMBER.value,
        ),
        else_=Rag.GREEN.value,
    )


def uses_council_rating() -> ColumnElement[bool]:
    """The issue's plan takes its figures from the council's own rating."""
    return _of_issues_plan("rating_source") == RatingSource.COUNCIL.value  # type: ignore[no-any-return]


def figure_rag_case(today: date, amber_days: int) -> ColumnElement[str]:
    """The rating an issue counts as in its plan's figures, as SQL; agrees with figure_rag()
    (checked by a data test)."""
    return case(
        (col(Issue.status).in_(DONE), Rag.COMPLETE.value),
        (col(Issue.status) == Status.NOT_APPLICABLE.value, Rag.NOT_APPLICABLE.value),
        (and_(col(Issue.own_rag).is_not(None), uses_council_rating()), col(Issue.own_rag)),
        else_=rag_case(today, amber_days),
    )


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _tally(today: date, amber_days: int) -> list[ColumnElement[Any]]:
    """Counts by status, issues, done (weighted), counted, overdue, and red and amber (by the
    rating each plan's figures use), for GROUP BY."""
    weighted = [(col(Issue.status) == s.value, literal(w)) for s, w in STATUS_WEIGHTS.items() if w]
    counted = [s.value for s, w in STATUS_WEIGHTS.items() if w is not None]
    rating = figure_rag_case(today, amber_days)
    return [
        *[_count_if(col(Issue.status) == s).label(s) for s in STATUSES],
        func.count(col(Issue.id)).label("issues"),
        func.coalesce(func.sum(case(*weighted, else_=0)), 0).label("done"),
        _count_if(col(Issue.status).in_(counted)).label("counted"),
        _count_if(overdue_condition(today)).label("overdue"),
        _count_if(rating == Rag.RED.value).label("red"),
        _count_if(rating == Rag.AMBER.value).label("amber"),
    ]


_TALLY_COLUMNS = [*STATUSES, "issues", "done", "counted", "overdue", "red", "amber"]


def _finish_tally(frame: pd.DataFrame) -> pd.DataFrame:
    for name in _TALLY_COLUMNS:
        frame[name] = frame[name].fillna(0).astype(int if name != "done" else float)
    frame["percent_complete"] = [
        percent(d, c) for d, c in zip(frame["done"], frame["counted"], strict=True)
    ]
    return frame


def _theme_name() -> ColumnElement[str]:
    return func.coalesce(col(Theme.name), col(Section.heading))


# --- Pickers ------------------------------------------------------------------------------


def plans(session: Session) -> pd.DataFrame:
    """Every plan in order: id, slug, title, framework, the level it aims at and which rating its
    figures use."""
    rows = session.execute(
        sa_select(
            col(Plan.id),
            col(Plan.slug),
            col(Plan.title),
            col(Plan.framework_id),
            col(Plan.level_id),
            col(Plan.rating_source),
        ).order_by(col(Plan.id))
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=["plan_id", "slug", "title", "framework_id", "level_id", "rating_source"],
    )
    return frame.astype({"framework_id": "Int64", "level_id": "Int64"})


def levels(session: Session, plan_id: int) -> pd.DataFrame:
    """The levels of a plan's framework, in order (none when the plan has no framework)."""
    rows = session.execute(
        sa_select(col(Level.id), col(Level.name), col(Level.position))
        .join(FrameworkVersion, col(FrameworkVersion.id) == col(Level.framework_id))
        .join(Plan, col(Plan.framework_id) == col(FrameworkVersion.id))
        .where(col(Plan.id) == plan_id)
        .order_by(col(Level.position))
    ).all()
    return pd.DataFrame(rows, columns=["level_id", "name", "position"])


def leads(session: Session, organisation_of_plan: int | None = None) -> pd.DataFrame:
    """Leads with their organisation and parent, optionally only those of one plan's council."""
    parent = sa_select(col(Lead.id).label("pid"), col(Lead.name).label("pname")).subquery()
    query = (
        sa_select(
            col(Lead.id),
            col(Lead.name),
            col(Lead.kind),
            col(Organisation.name),
            col(Lead.parent_id),
            parent.c.pname,
        )
        .join(Organisation, col(Organisation.id) == col(Lead.organisation_id))
        .outerjoin(parent, parent.c.pid == col(Lead.parent_id))
        .order_by(col(Organisation.id), col(Lead.name))
    )
    if organisation_of_plan is not None:
        org = select(Plan.organisation_id).where(col(Plan.id) == organisation_of_plan)
        query = query.where(col(Lead.organisation_id).in_(org))
    rows = session.execute(query).all()
    frame = pd.DataFrame(
        rows, columns=["lead_id", "name", "kind", "organisation", "parent_id", "parent"]
    )
    return frame.astype({"parent_id": "Int64"}).fillna({"parent": ""})


def characteristics(session: Session) -> pd.DataFrame:
    rows = session.execute(
        sa_select(
            col(Characteristic.id),
            col(Characteristic.code),
            col(Characteristic.name),
            col(Characteristic.protected),
        ).order_by(col(Characteristic.position))
    ).all()
    return pd.DataFrame(rows, columns=["characteristic_id", "code", "name", "protected"])


def themes(session: Session, plan_id: int) -> pd.DataFrame:
    """A plan's themes (sections) in order with their display names."""
    rows = session.execute(
        sa_select(col(Section.id), col(Section.position), _theme_name(), col(Section.heading))
        .outerjoin(Theme, col(Theme.id) == col(Section.theme_id))
        .where(col(Section.plan_id) == plan_id)
        .order_by(col(Section.position))
    ).all()
    return pd.DataFrame(rows, columns=["section_id", "position", "theme", "heading"])


# --- Aggregations ----------------------------------------------------------------------------


def headline(session: Session, filters: Filters, today: date, amber_days: int) -> pd.Series:
    """One row of totals for the filtered issues: counts by status, % complete, overdue, amber."""
    row = session.execute(sa_select(*_tally(today, amber_days)).where(*_scope(filters))).one()
    return _finish_tally(pd.DataFrame([tuple(row)], columns=_TALLY_COLUMNS)).iloc[0]


def progress_by_theme(
    session: Session, filters: Filters, today: date, amber_days: int
) -> pd.DataFrame:
    """Each theme of the plan (empty ones too) with counts by status and % complete."""
    tally = (
        sa_select(col(Issue.section_id).label("section_id"), *_tally(today, amber_days))
        .where(*_scope(filters))
        .group_by(col(Issue.section_id))
        .subquery()
    )
    rows = session.execute(
        sa_select(
            col(Section.id),
            col(Section.position),
            _theme_name(),
            *[tally.c[name] for name in _TALLY_COLUMNS],
        )
        .outerjoin(Theme, col(Theme.id) == col(Section.theme_id))
        .outerjoin(tally, tally.c.section_id == col(Section.id))
        .where(col(Section.plan_id) == filters.plan_id)
        .order_by(col(Section.position))
    ).all()
    frame = pd.DataFrame(rows, columns=["section_id", "position", "theme", *_TALLY_COLUMNS])
    return _finish_tally(frame)


def progress_by_service(
    session: Session, filters: Filters, today: date, amber_days: int
) -> pd.DataFrame:
    """Each rolled-up lead with counts and % complete, furthest behind first (lowest %, most
    overdue, most issues: rules.progress.behind_key)."""
    # only this plan's issues: at national scale there are 100,000 others
    return _by_service(session, [col(Issue.plan_id) == filters.plan_id], _scope(filters), today,
                       amber_days)  # fmt: skip


def services_behind(session: Session, today: date, amber_days: int) -> pd.DataFrame:
    """Every rolled-up lead across all plans, as `progress_by_service`, furthest behind first:
    the Services page opens on the first."""
    return _by_service(session, [], [], today, amber_days)


def _by_service(
    session: Session,
    plan_condition: list[ColumnElement[bool]],
    conditions: list[ColumnElement[bool]],
    today: date,
    amber_days: int,
) -> pd.DataFrame:
    pairs = (
        sa_select(_service_id().label("service_id"), col(IssueLead.issue_id).label("issue_id"))
        .join(Lead, col(Lead.id) == col(IssueLead.lead_id))
        .join(Issue, col(Issue.id) == col(IssueLead.issue_id))
        .where(*plan_condition)
        .distinct()
        .subquery()
    )
    tally = (
        sa_select(pairs.c.service_id, *_tally(today, amber_days))
        .join(Issue, col(Issue.id) == pairs.c.issue_id)
        .where(*conditions)
        .group_by(pairs.c.service_id)
        .subquery()
    )
    rows = session.execute(
        sa_select(
            col(Lead.id),
            col(Lead.name),
            col(Lead.kind),
            *[tally.c[name] for name in _TALLY_COLUMNS],
        ).join(tally, tally.c.service_id == col(Lead.id))
    ).all()
    frame = _finish_tally(pd.DataFrame(rows, columns=["lead_id", "lead", "kind", *_TALLY_COLUMNS]))
    frame = frame.sort_values("lead", kind="stable")
    order = sorted(
        range(len(frame)),
        key=lambda i: behind_key(
            frame["percent_complete"].iloc[i], frame["overdue"].iloc[i], frame["issues"].iloc[i]
        ),
    )
    return frame.iloc[order].reset_index(drop=True)


_ISSUE_COLUMNS = [
    "issue_id",
    "plan",
    "plan_slug",
    "section_id",
    "theme",
    "ref",
    "text",
    "status",
    "rag",
    "own_rag",
    "figure_rag",
    "due_date",
    "due_precision",
    "last_update",
]


def _issue_rows(
    session: Session,
    conditions: list[ColumnElement[bool]],
    today: date,
    amber_days: int,
) -> pd.DataFrame:
    """Issues matching ``conditions`` with RAG (by dates, and the council's own rating), leads,
    due date and date of last update."""
    last = (
        sa_select(col(StatusChange.issue_id), func.max(col(StatusChange.at)).label("at"))
        .group_by(col(StatusChange.issue_id))
        .subquery()
    )
    rows = session.execute(
        sa_select(
            col(Issue.id),
            col(Plan.title),
            col(Plan.slug),
            col(Section.id),
            _theme_name(),
            col(Issue.ref),
            col(Issue.text),
            col(Issue.status),
            rag_case(today, amber_days),
            col(Issue.own_rag),
            figure_rag_case(today, amber_days),
            col(Issue.due_date),
            col(Issue.due_precision),
            last.c.at,
        )
        .join(Plan, col(Plan.id) == col(Issue.plan_id))
        .join(Section, col(Section.id) == col(Issue.section_id))
        .outerjoin(Theme, col(Theme.id) == col(Section.theme_id))
        .outerjoin(last, last.c.issue_id == col(Issue.id))
        .where(*conditions)
        .order_by(col(Plan.id), col(Section.position), col(Issue.position))
    ).all()
    frame = pd.DataFrame(rows, columns=_ISSUE_COLUMNS)
    leads = leads_by_issue(session, [int(i) for i in frame["issue_id"]])
    names = {issue_id: " / ".join(found) for issue_id, found in leads.items()}
    frame["leads"] = frame["issue_id"].map(names).fillna("")
    frame["due"] = [
        format_due(d, Precision(p) if p else None) if d is not None else format_due(None, None)
        for d, p in zip(frame["due_date"], frame["due_precision"], strict=True)
    ]
    frame["rag_text"] = [
        rag_text(r, d is not None) for r, d in zip(frame["rag"], frame["due_date"], strict=True)
    ]
    frame["own_rag_text"] = [own_rag_text(r) for r in frame["own_rag"]]
    return frame


def theme_issues(
    session: Session, filters: Filters, section_id: int, today: date, amber_days: int
) -> pd.DataFrame:
    """The filtered issues of one theme, in order."""
    conditions = [*_scope(filters), col(Issue.section_id) == section_id]
    return _issue_rows(session, conditions, today, amber_days)


def overdue_issues(
    session: Session, filters: Filters, today: date, amber_days: int
) -> pd.DataFrame:
    """The filtered issues that are overdue, longest overdue first."""
    frame = _issue_rows(session, [*_scope(filters), overdue_condition(today)], today, amber_days)
    return frame.sort_values("due_date", kind="stable").reset_index(drop=True)


def service_issues(session: Session, lead_id: int, today: date, amber_days: int) -> pd.DataFrame:
    """Everything a lead owns across plans, directly or through the officers rolled up into it.

    The ``how`` column says "Directly" or "Through <officer>".
    """
    frame = _issue_rows(session, [_led_by(lead_id), in_progress()], today, amber_days)
    rows = session.execute(
        sa_select(col(IssueLead.issue_id), col(Lead.id), col(Lead.name))
        .join(Lead, col(Lead.id) == col(IssueLead.lead_id))
        .where(or_(col(Lead.id) == lead_id, col(Lead.parent_id) == lead_id))
        .order_by(col(IssueLead.issue_id), col(IssueLead.position))
    ).all()
    links = pd.DataFrame(rows, columns=["issue_id", "lead_id", "name"])
    direct = set(links.loc[links["lead_id"] == lead_id, "issue_id"])
    through = links[links["lead_id"] != lead_id].groupby("issue_id")["name"].agg(" and ".join)
    frame["direct"] = frame["issue_id"].isin(direct)
    frame["how"] = [
        "Directly" if i in direct else f"Through {through.get(i, '')}" for i in frame["issue_id"]
    ]
    return frame


def own_ratings(session: Session, plan_id: int, today: date, amber_days: int) -> pd.DataFrame:
    """Each issue of a plan (indexed by issue_id) with the council's own rating (own_rag, None
    when not set) and the rating the plan's figures count it as (figure_rag)."""
    rows = session.execute(
        sa_select(col(Issue.id), col(Issue.own_rag), figure_rag_case(today, amber_days)).where(
            col(Issue.plan_id) == plan_id, in_progress()
        )
    ).all()
    return pd.DataFrame(rows, columns=["issue_id", "own_rag", "figure_rag"]).set_index("issue_id")


def readiness(session: Session, plan_id: int, level_id: int) -> pd.DataFrame:
    """Per theme: issues at the level (other than Not applicable), how many are ready, what's left.

    Ready means Complete or Embedded with at least one piece of evidence.
    """
    evidence = evidence_pieces()
    pieces = func.coalesce(evidence.c.pieces, 0)
    is_ready = and_(col(Issue.status).in_(DONE), pieces > 0)
    rows = session.execute(
        sa_select(
            col(Section.id),
            col(Section.position),
            _theme_name(),
            col(Issue.ref),
            col(Issue.status),
            pieces,
            case((is_ready, true()), else_=false()),
        )
        .join(Issue, col(Issue.section_id) == col(Section.id))
        .outerjoin(Theme, col(Theme.id) == col(Section.theme_id))
        .outerjoin(evidence, evidence.c.issue_id == col(Issue.id))
        .where(
            col(Issue.plan_id) == plan_id,
            in_progress(),
            issue_level() == level_id,
            col(Issue.status) != Status.NOT_APPLICABLE.value,
        )
        .order_by(col(Section.position), col(Issue.position))
    ).all()
    issues = pd.DataFrame(
        rows,
        columns=["section_id", "position", "theme", "ref", "status", "evidence", "ready"],
    )
    issues["ready"] = issues["ready"].astype(bool)
    issues["remaining"] = [
        f"{ref} ({status.lower()})" if status not in DONE else f"{ref} (no evidence)"
        for ref, status in zip(issues["ref"], issues["status"], strict=True)
    ]
    all_themes = themes(session, plan_id)[["section_id", "position", "theme"]]
    grouped = issues.groupby("section_id")
    summary = all_themes.assign(
        issues=all_themes["section_id"].map(grouped.size()).fillna(0).astype(int),
        ready=all_themes["section_id"].map(grouped["ready"].sum()).fillna(0).astype(int),
        remaining=all_themes["section_id"].map(
            issues[~issues["ready"]].groupby("section_id")["remaining"].agg(", ".join)
        ),
    )
    summary["remaining"] = summary["remaining"].astype(object).fillna("")
    summary["is_ready"] = (summary["issues"] > 0) & (summary["ready"] == summary["issues"])
    return summary.reset_index(drop=True)


def recent_changes(session: Session, filters: Filters, limit: int = 10) -> pd.DataFrame:
    """The latest status changes, changes of the council's own rating and progress notes on the
    filtered issues, newest first."""
    rows = session.execute(
        sa_select(
            col(StatusChange.at),
            col(Issue.id),
            col(Issue.ref),
            col(Issue.text),
            col(StatusChange.from_status),
            col(StatusChange.to_status),
            col(StatusChange.by),
            col(StatusChange.note),
            col(StatusChange.from_rag),
            col(StatusChange.to_rag),
        )
        .join(Issue, col(Issue.id) == col(StatusChange.issue_id))
        .where(*_scope(filters))
        .order_by(col(StatusChange.at).desc(), col(StatusChange.id).desc())
        .limit(limit)
    ).all()
    return pd.DataFrame(
        rows,
        columns=[
            "at",
            "issue_id",
            "ref",
            "text",
            "from_status",
            "to_status",
            "by",
            "note",
            "from_rag",
            "to_rag",
        ],
    )


def coverage(session: Session, plan_id: int) -> pd.DataFrame:
    """Issue counts per theme (rows) and characteristic (columns), every pair present."""
    rows = session.execute(
        sa_select(
            col(Issue.section_id),
            col(IssueCharacteristic.characteristic_id),
            func.count(func.distinct(col(Issue.id))),
        )
        .join(IssueCharacteristic, col(IssueCharacteristic.issue_id) == col(Issue.id))
        .where(col(Issue.plan_id) == plan_id, in_progress())
        .group_by(col(Issue.section_id), col(IssueCharacteristic.characteristic_id))
    ).all()
    counts = pd.DataFrame(rows, columns=["section_id", "characteristic_id", "issues"])
    all_themes = themes(session, plan_id)
    chars = characteristics(session)
    grid = (
        counts.pivot_table(
            index="section_id", columns="characteristic_id", values="issues", aggfunc="sum"
        )
        .reindex(index=all_themes["section_id"], columns=chars["characteristic_id"])
        .fillna(0)
        .astype(int)
    )
    grid.index = pd.Index(all_themes["theme"].tolist(), name="Theme")
    grid.columns = pd.Index(chars["name"].tolist())
    return grid


def plan_characteristic_totals(session: Session, plan_id: int) -> pd.DataFrame:
    """Each characteristic with the number of the plan's issues that name it (0 = a gap)."""
    tagged = (
        sa_select(
            col(IssueCharacteristic.characteristic_id),
            func.count(col(IssueCharacteristic.issue_id)).label("issues"),
        )
        .join(Issue, col(Issue.id) == col(IssueCharacteristic.issue_id))
        .where(col(Issue.plan_id) == plan_id, in_progress())
        .group_by(col(IssueCharacteristic.characteristic_id))
        .subquery()
    )
    rows = session.execute(
        sa_select(
            col(Characteristic.name),
            col(Characteristic.protected),
            func.coalesce(tagged.c.issues, 0),
        )
        .outerjoin(tagged, tagged.c.characteristic_id == col(Characteristic.id))
        .order_by(col(Characteristic.position))
    ).all()
    return pd.DataFrame(rows, columns=["characteristic", "protected", "issues"])


# --- One issue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDateMove:
    """One change of an issue's due date: from -> to (each at its precision), who, when, why."""

    at: datetime
    by: str
    from_due: date | None
    from_precision: Precision | None
    to_due: date | None
    to_precision: Precision | None
    reason: str


@dataclass(frozen=True)
class IssueDetail:
    """Everything the issue screen shows, as plain values (safe to cache)."""

    issue_id: int
    plan: str
    plan_slug: str
    section_id: int
    theme: str
    ref: str
    text: str
    objective: str | None
    level: str | None
    status: str
    timescale: Timescale
    due_date: date | None
    due_precision: str | None
    recurrence: str | None
    measure: str | None
    characteristics: tuple[str, ...]
    own_rag: str | None  # the council's own RAG rating; None when not set
    rating_source: str  # which rating the plan's figures use (models.status.RatingSource)
    leads: pd.DataFrame = field(compare=False)
    evidence: pd.DataFrame = field(compare=False)
    history: pd.DataFrame = field(compare=False)
    due_date_changes: tuple[DueDateMove, ...] = ()  # oldest first


def _precision(value: str | None) -> Precision | None:
    return Precision(value) if value else None


def issue_detail(session: Session, issue_id: int) -> IssueDetail | None:
    """One issue with its leads, characteristics, evidence and full history; None if unknown."""
    row = session.execute(
        sa_select(
            col(Issue.id),
            col(Plan.title),
            col(Plan.slug),
            col(Section.id),
            _theme_name(),
            col(Issue.ref),
            col(Issue.text),
            col(Issue.objective),
            col(Level.name),
            col(Issue.status),
            col(Issue.timescale),
            col(Issue.due_date),
            col(Issue.due_precision),
            col(Issue.recurrence),
            col(Issue.measure),
            col(Issue.own_rag),
            col(Plan.rating_source),
        )
        .join(Plan, col(Plan.id) == col(Issue.plan_id))
        .join(Section, col(Section.id) == col(Issue.section_id))
        .outerjoin(Theme, col(Theme.id) == col(Section.theme_id))
        .outerjoin(Level, col(Level.id) == issue_level())
        .where(col(Issue.id) == issue_id)
    ).one_or_none()
    if row is None:
        return None
    parent = sa_select(col(Lead.id).label("pid"), col(Lead.name).label("pname")).subquery()
    lead_rows = session.execute(
        sa_select(
            col(IssueLead.position), col(Lead.id), col(Lead.name), col(Lead.kind), parent.c.pname
        )
        .join(Lead, col(Lead.id) == col(IssueLead.lead_id))
        .outerjoin(parent, parent.c.pid == col(Lead.parent_id))
        .where(col(IssueLead.issue_id) == issue_id)
        .order_by(col(IssueLead.position))
    ).all()
    chars = session.execute(
        sa_select(col(Characteristic.name))
        .join(IssueCharacteristic, col(IssueCharacteristic.characteristic_id) == Characteristic.id)
        .where(col(IssueCharacteristic.issue_id) == issue_id)
        .order_by(col(Characteristic.position))
    ).scalars()
    evidence = session.execute(
        sa_select(
            col(Evidence.id),
            col(Evidence.title),
            col(Evidence.url),
            col(Evidence.file_name),
            col(Evidence.stored_path),
            col(Evidence.added_by),
            col(Evidence.added_at),
        )
        .where(col(Evidence.issue_id) == issue_id)
        .order_by(col(Evidence.id))
    ).all()
    history = session.execute(
        sa_select(
            col(StatusChange.at),
            col(StatusChange.by),
            col(StatusChange.from_status),
            col(StatusChange.to_status),
            col(StatusChange.note),
            col(StatusChange.from_rag),
            col(StatusChange.to_rag),
        )
        .where(col(StatusChange.issue_id) == issue_id)
        .order_by(col(StatusChange.at), col(StatusChange.id))
    ).all()
    moves = session.execute(
        sa_select(
            col(DueDateChange.at),
            col(DueDateChange.by),
            col(DueDateChange.from_due),
            col(DueDateChange.from_precision),
            col(DueDateChange.to_due),
            col(DueDateChange.to_precision),
            col(DueDateChange.reason),
        )
        .where(col(DueDateChange.issue_id) == issue_id)
        .order_by(col(DueDateChange.at), col(DueDateChange.id))
    ).all()
    return IssueDetail(
        issue_id=row[0],
        plan=row[1],
        plan_slug=row[2],
        section_id=row[3],
        theme=row[4],
        ref=row[5],
        text=row[6],
        objective=row[7],
        level=row[8],
        status=row[9],
        timescale=parse_timescale(row[10]),
        due_date=row[11],
        due_precision=row[12],
        recurrence=row[13],
        measure=row[14],
        characteristics=tuple(chars),
        own_rag=row[15],
        rating_source=row[16],
        leads=pd.DataFrame(
            lead_rows, columns=["position", "lead_id", "name", "kind", "parent"]
        ).fillna({"parent": ""}),
        evidence=pd.DataFrame(
            evidence,
            columns=["evidence_id", "title", "url", "file_name", "stored_path", "by", "at"],
        ),
        history=pd.DataFrame(
            history,
            columns=["at", "by", "from_status", "to_status", "note", "from_rag", "to_rag"],
        ),
        due_date_changes=tuple(
            DueDateMove(at, by, old, _precision(old_p), new, _precision(new_p), reason)
            for at, by, old, old_p, new, new_p, reason in moves
        ),
    )
