"""Everything a meeting pack shows, read once for one plan (`pack_data`): plain values and
DataFrames, safe to cache; and the since-last-meeting report the Meetings page shows."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlmodel import Session

from dashboard.formats.words import format_due, own_rag_text, percent_label, rag_text
from dashboard.reads import exports, meetings, progress
from dashboard.rules.progress import DONE
from dashboard.rules.timescale import Precision
from models import Organisation, Plan, RatingSource

HIDDEN_PERSON = "Named officer"
CHANGE_KINDS = (
    "Newly complete",
    "Newly overdue",
    "RAG changed",
    "Due date slipped",
    "New progress notes",
    "New evidence",
)


@dataclass(frozen=True)
class PackData:
    """Everything a pack shows, gathered once: plain values and DataFrames (safe to cache)."""

    plan_id: int
    plan_slug: str
    plan_title: str
    organisation: str
    today: date
    amber_days: int
    hide_people: bool
    headline: dict[str, Any]
    themes: pd.DataFrame  # theme, heading, issues, one column per status, percent_complete, ...
    # lead, issues, done, not_applicable, overdue, counted, percent_complete, percent (as text)
    services: pd.DataFrame
    # theme, ref, text, leads, services, status, rag (by dates, as text), own_rag (the council's
    # rating, as text), rating (what the plan's figures count it as), due, last_note,
    # last_update_at (when the issue was last updated; empty when never)
    issues: pd.DataFrame
    changes: meetings.Changes | None
    changes_by_theme: pd.DataFrame
    changes_by_service: pd.DataFrame
    burn_up: pd.DataFrame
    meetings: pd.DataFrame  # held_on, title: marked on the burn-up chart
    export_rows: list[dict[str, str]] = field(default_factory=list)
    rating_source: str = RatingSource.DATES.value  # which rating the plan's figures use

    @property
    def by_council(self) -> bool:
        """The plan's Red, Amber and Green figures use the council's own rating."""
        return self.rating_source == RatingSource.COUNCIL.value

    @property
    def has_own_ratings(self) -> bool:
        """Some issue has the council's own rating (so the packs show it beside the other)."""
        return bool(self.issues["own_rating"].notna().any())

    @property
    def percent(self) -> str:
        head = self.headline
        return percent_label(int(head["issues"]), int(head["counted"]), head["percent_complete"])


def done_counts(tally: pd.DataFrame) -> pd.Series:
    """Per row of a tally (one column per status): the issues in a status that counts as done."""
    return tally[list(DONE)].sum(axis=1)


def _hide(names: str, people: set[str]) -> str:
    """Leads joined by " / " with each person's name replaced (each shown once)."""
    shown = [HIDDEN_PERSON if n in people else n for n in names.split(" / ") if n]
    return " / ".join(dict.fromkeys(shown))


def pack_data(
    session: Session,
    plan_id: int,
    since_meeting_id: int | None,
    today: date,
    amber_days: int,
    hide_people: bool,
) -> PackData:
    """Gather one plan's figures, issues, changes since a meeting and trend for every pack."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise meetings.MeetingError("That plan no longer exists.")
    organisation = session.get(Organisation, plan.organisation_id)
    filters = progress.Filters(plan_id=plan_id)
    head = progress.headline(session, filters, today, amber_days)
    leads = progress.leads(session, plan_id)
    people = _people(session, plan_id) if hide_people else set()
    service_of = {
        str(name): str(parent or name)
        for name, parent in zip(leads["name"], leads["parent"], strict=True)
    }

    themes = progress.progress_by_theme(session, filters, today, amber_days)
    names = progress.themes(session, plan_id)
    themes = themes.merge(names[["section_id", "heading"]], on="section_id", how="left")
    theme_of = dict(zip(names["heading"], names["theme"], strict=True))

    services = progress.progress_by_service(session, filters, today, amber_days)
    services = pd.DataFrame(
        {
            "lead": [
                HIDDEN_PERSON if kind == "person" and hide_people else name
                for name, kind in zip(services["lead"], services["kind"], strict=True)
            ],
            "issues": services["issues"],
            "done": done_counts(services),
            "not_applicable": services["Not applicable"],
            "overdue": services["overdue"],
            "counted": services["counted"],
            "percent_complete": services["percent_complete"],
            "percent": [
                percent_label(i, c, p)
                for i, c, p in zip(
                    services["issues"], services["counted"], services["percent_complete"],
                    strict=True,
                )
            ],
        }
    )  # fmt: skip

    states = meetings.issue_states(session, today, amber_days, plan_id).reset_index(drop=True)
    ratings = progress.own_ratings(session, plan_id, today, amber_days)
    own = states["issue_id"].map(ratings["own_rag"])
    issues = pd.DataFrame(
        {
            "issue_id": states["issue_id"],
            "theme": states["section_heading"].map(theme_of).fillna(states["section_heading"]),
            "section_heading": states["section_heading"],
            "ref": states["ref"],
            "text": states["text"],
            "leads": [_hide(str(n), people) for n in states["leads"]],
            "services": [
                " / ".join(dict.fromkeys(service_of.get(n, n) for n in str(names).split(" / ")))
                for names in states["leads"]
            ],
            "status": states["status"],
            "rag": [
                rag_text(r, pd.notna(d))
                for r, d in zip(states["rag"], states["due_date"], strict=True)
            ],
            "own_rag": [own_rag_text(r) for r in own],
            "own_rating": own.astype(object).where(own.notna(), None),
            "rating": states["issue_id"].map(ratings["figure_rag"]).fillna(states["rag"]),
            "due_date": states["due_date"],
            "due": [
                format_due(d, Precision(p) if p else None)
                if pd.notna(d)
                else format_due(None, None)
                for d, p in zip(states["due_date"], states["due_precision"], strict=True)
            ],
            "last_note": states["last_note"].fillna(""),
            "last_update_at": states["last_update_at"],
        }
    )
    issues["services"] = [_hide(s, people) for s in issues["services"]]

    changes, by_theme, by_service = _since(
        session, plan_id, since_meeting_id, None, today, amber_days, issues, people
    )
    rows = exports.export_rows(session, plan.slug)
    if people:
        for row in rows:
            row["leads"] = _hide(row["leads"], people)
    held = meetings.meetings(session)
    return PackData(
        plan_id=plan_id,
        plan_slug=plan.slug,
        plan_title=plan.title,
        organisation=organisation.name if organisation else "",
        today=today,
        amber_days=amber_days,
        hide_people=hide_people,
        headline={k: head[k] for k in head.index},
        themes=themes,
        services=services,
        issues=issues,
        changes=changes,
        changes_by_theme=by_theme,
        changes_by_service=by_service,
        burn_up=meetings.burn_up(session, plan_id, today),
        meetings=held[["held_on", "title"]].sort_values("held_on").reset_index(drop=True),
        export_rows=rows,
        rating_source=plan.rating_source,
    )


@dataclass(frozen=True)
class SinceReport:
    """What changed between a meeting and a later one (or now), with counts per theme and per
    lead service."""

    changes: meetings.Changes
    by_theme: pd.DataFrame  # name + one column per kind of change
    by_service: pd.DataFrame


def since_report(
    session: Session,
    plan_id: int,
    since_meeting_id: int,
    until_meeting_id: int | None,
    today: date,
    amber_days: int,
    hide_people: bool = False,
) -> SinceReport:
    """The since-last-meeting report of one plan, as the Meetings page shows it."""
    data = pack_data(session, plan_id, None, today, amber_days, hide_people)
    people = _people(session, plan_id) if hide_people else set()
    changes, by_theme, by_service = _since(
        session, plan_id, since_meeting_id, until_meeting_id, today, amber_days, data.issues,
        people,
    )  # fmt: skip
    assert changes is not None
    return SinceReport(changes, by_theme, by_service)


def _people(session: Session, plan_id: int) -> set[str]:
    leads = progress.leads(session, plan_id)
    return set(leads.loc[leads["kind"] == "person", "name"])


def _since(
    session: Session,
    plan_id: int,
    since_meeting_id: int | None,
    until_meeting_id: int | None,
    today: date,
    amber_days: int,
    issues: pd.DataFrame,
    people: set[str],
) -> tuple[meetings.Changes | None, pd.DataFrame, pd.DataFrame]:
    empty = pd.DataFrame(columns=["name", *CHANGE_KINDS])
    if since_meeting_id is None:
        return None, empty, empty
    changes = meetings.changes_between(
        session, since_meeting_id, until_meeting_id, today=today, amber_days=amber_days,
        plan_id=plan_id,
    )  # fmt: skip
    for frame in (changes.newly_complete, changes.newly_overdue, changes.rag_changes,
                  changes.slipped, changes.new_issues):  # fmt: skip
        if "leads" in frame:
            frame["leads"] = [_hide(str(n), people) for n in frame["leads"]]
    by_theme = meetings.changes_by(changes, issues, "theme").rename(columns={"theme": "name"})
    by_service = meetings.changes_by(changes, issues, "services").rename(
        columns={"services": "name"}
    )
    return changes, by_theme, by_service


def chart_frames(data: PackData, name: str) -> tuple[pd.DataFrame, ...]:
    """The data the chart a slide names ("themes" or "burn_up", see charts.BY_NAME) is drawn
    from."""
    return (data.themes,) if name == "themes" else (data.burn_up, data.meetings)
