"""Progress aggregations in SQL on the seeded plans, on SQLite and PostgreSQL."""

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlmodel import Session, col, select

from dashboard.formats import words
from dashboard.reads import progress, summaries
from dashboard.reads.progress import Filters
from dashboard.reports.packs.gather import pack_data
from dashboard.rules import progress as rules
from dashboard.rules.progress import Rag
from models import (
    Characteristic,
    Evidence,
    Issue,
    Lead,
    Level,
    Organisation,
    Plan,
    RatingSource,
    Section,
    Status,
    StatusChange,
    pk,
)

TODAY = date(2008, 9, 1)
EFLG, RES = "eflg-developing", "race-equality-scheme-2008-11"


def plan_id(session: Session, slug: str) -> int:
    return pk(session.exec(select(Plan).where(Plan.slug == slug)).one())


def lead_id(session: Session, name: str) -> int:
    return pk(session.exec(select(Lead).where(Lead.name == name)).first())


def set_status(session: Session, slug: str, refs: list[str], status: Status) -> None:
    """Change issues' status the way an update does: the issue and a StatusChange row."""
    issues = session.exec(
        select(Issue).join(Plan).where(Plan.slug == slug, col(Issue.ref).in_(refs))
    ).all()
    assert len(issues) == len(refs)
    for issue in issues:
        session.add(
            StatusChange(
                issue_id=pk(issue),
                from_status=issue.status,
                to_status=status.value,
                note="test",
                by="Tester",
            )
        )
        issue.status = status.value
    session.commit()


def add_evidence(session: Session, slug: str, refs: list[str]) -> None:
    issues = session.exec(
        select(Issue).join(Plan).where(Plan.slug == slug, col(Issue.ref).in_(refs))
    ).all()
    for issue in issues:
        session.add(
            Evidence(issue_id=pk(issue), title="Minutes", url="https://example.org", added_by="T")
        )
    session.commit()


def test_eflg_plan_has_five_themes_and_32_issues(seeded: Session) -> None:
    filters = Filters(plan_id=plan_id(seeded, EFLG))
    themes = progress.progress_by_theme(seeded, filters, TODAY, 30)
    assert list(themes["issues"]) == [5, 10, 3, 9, 5]
    assert themes["theme"].iloc[0] == "Knowing your community and equality mapping"
    head = progress.headline(seeded, filters, TODAY, 30)
    assert (head["issues"], head["percent_complete"], head["overdue"]) == (32, 0, 0)


def test_percent_complete_moves_with_status_changes(seeded: Session) -> None:
    set_status(seeded, EFLG, ["1.1", "1.2"], Status.COMPLETE)
    set_status(seeded, EFLG, ["1.3"], Status.EMBEDDED)
    set_status(seeded, EFLG, ["1.4"], Status.NOT_APPLICABLE)
    filters = Filters(plan_id=plan_id(seeded, EFLG))
    first = progress.progress_by_theme(seeded, filters, TODAY, 30).iloc[0]
    assert (first["Complete"], first["Embedded"], first["Not applicable"]) == (2, 1, 1)
    assert first["percent_complete"] == 75  # 3 done of 4 counted
    head = progress.headline(seeded, filters, TODAY, 30)
    assert head["percent_complete"] == 10  # 3 of 31
    changes = progress.recent_changes(seeded, filters)
    assert len(changes) == 4
    assert set(changes["to_status"]) == {"Complete", "Embedded", "Not applicable"}


def test_a_theme_with_every_issue_not_applicable_has_no_percentage(seeded: Session) -> None:
    set_status(seeded, EFLG, ["3.1", "3.2", "3.3"], Status.NOT_APPLICABLE)
    filters = Filters(plan_id=plan_id(seeded, EFLG))
    third = progress.progress_by_theme(seeded, filters, TODAY, 30).iloc[2]
    assert (third["issues"], third["counted"]) == (3, 0)
    assert words.percent_label(third["issues"], third["counted"], None) == "All not applicable"


def test_services_roll_officers_into_their_parent_and_count_shared_issues_for_each_lead(
    seeded: Session,
) -> None:
    filters = Filters(plan_id=plan_id(seeded, EFLG))
    services = progress.progress_by_service(seeded, filters, TODAY, 30).set_index("lead")
    assert services.loc["The Improvement Unit", "issues"] == 18  # 12 direct + 6 via its officer
    assert "Improvement and Efficiency Officer" not in services.index
    assert services.loc["Corporate Management Team", "issues"] == 6
    assert services["issues"].sum() > 32  # shared issues count for each of their leads


def test_worst_service_comes_first(seeded: Session) -> None:
    personnel = ["4.8", "5.1", "5.2", "5.4", "5.5"]  # every issue Personnel & payroll leads
    set_status(seeded, EFLG, personnel, Status.COMPLETE)
    filters = Filters(plan_id=plan_id(seeded, EFLG))
    services = progress.progress_by_service(seeded, filters, TODAY, 30)
    assert services["lead"].iloc[-1] == "Personnel & payroll"
    assert services["percent_complete"].iloc[-1] == 100
    assert services["percent_complete"].iloc[0] == 0


def test_service_page_lists_direct_issues_and_those_through_its_officer(seeded: Session) -> None:
    unit = lead_id(seeded, "The Improvement Unit")
    issues = progress.service_issues(seeded, unit, TODAY, 30)
    direct = issues[issues["direct"]]["ref"].tolist()
    through = issues[~issues["direct"]]
    assert direct == [
        "1.1",
        "1.2",
        "1.4",
        "1.5",
        "2.6",
        "2.7",
        "3.3",
        "4.1",
        "4.2",
        "4.3",
        "4.4",
        "4.7",
    ]
    assert through["ref"].tolist() == ["1.3", "2.2", "2.4", "2.5", "2.8", "2.9"]
    assert set(through["how"]) == {"Through Improvement and Efficiency Officer"}


def test_a_lead_with_no_issues_has_an_empty_list(seeded: Session) -> None:
    organisation = seeded.exec(select(Organisation)).first()
    assert organisation is not None
    idle = Lead(organisation_id=pk(organisation), name="Parks", kind="service")
    seeded.add(idle)
    seeded.commit()
    assert progress.service_issues(seeded, pk(idle), TODAY, 30).empty


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        (date(2008, 6, 30), []),
        (date(2008, 7, 1), ["2.3", "3.2", "5.1"]),  # "Jun-08" is overdue from 1 July
        (TODAY, ["2.3", "3.2", "5.1", "2.1", "1.1"]),
    ],
)
def test_overdue_respects_the_end_of_the_period(
    seeded: Session, today: date, overdue: list[str]
) -> None:
    filters = Filters(plan_id=plan_id(seeded, RES))
    assert progress.overdue_issues(seeded, filters, today, 30)["ref"].tolist() == overdue
    assert progress.headline(seeded, filters, today, 30)["overdue"] == len(overdue)


def test_done_issues_are_not_overdue(seeded: Session) -> None:
    set_status(seeded, RES, ["2.3"], Status.COMPLETE)
    set_status(seeded, RES, ["3.2"], Status.NOT_APPLICABLE)
    filters = Filters(plan_id=plan_id(seeded, RES))
    assert progress.overdue_issues(seeded, filters, TODAY, 30)["ref"].tolist() == [
        "5.1",
        "2.1",
        "1.1",
    ]


@pytest.mark.parametrize(
    "today", [date(2008, 5, 1), date(2008, 6, 15), TODAY, date(2008, 10, 5), date(2012, 1, 1)]
)
def test_sql_rag_agrees_with_the_pure_rule(seeded: Session, today: date) -> None:
    set_status(seeded, RES, ["1.4", "2.5"], Status.IN_PROGRESS)
    set_status(seeded, RES, ["2.3"], Status.COMPLETE)
    set_status(seeded, RES, ["3.1"], Status.EMBEDDED)
    set_status(seeded, RES, ["3.2"], Status.NOT_APPLICABLE)
    pid = plan_id(seeded, RES)
    rows = progress._issue_rows(seeded, [col(Issue.plan_id) == pid], today, 30)
    assert len(rows) == 19
    expected = [
        rules.rag(s, d, p, today, 30)
        for s, d, p in zip(rows["status"], rows["due_date"], rows["due_precision"], strict=True)
    ]
    assert rows["rag"].tolist() == [r.value for r in expected]
    overdue = [
        rules.is_overdue(s, d, p, today)
        for s, d, p in zip(rows["status"], rows["due_date"], rows["due_precision"], strict=True)
    ]
    head = progress.headline(seeded, Filters(plan_id=pid), today, 30)
    assert head["overdue"] == sum(overdue) == expected.count(Rag.RED)
    assert head["amber"] == expected.count(Rag.AMBER)


def test_amber_in_sql_uses_the_configured_days(seeded: Session) -> None:
    filters = Filters(plan_id=plan_id(seeded, RES))
    early = date(2008, 6, 30) - timedelta(days=45)
    assert progress.headline(seeded, filters, early, 30)["amber"] == 0
    assert progress.headline(seeded, filters, early, 45)["amber"] == 3  # the three "Jun-08"


def test_filters_by_level_lead_and_characteristic(seeded: Session) -> None:
    pid = plan_id(seeded, EFLG)
    developing, achieving = (
        pk(seeded.exec(select(Level).where(Level.name == name, Level.framework_id == 1)).one())
        for name in ("Developing", "Achieving")
    )
    age = pk(seeded.exec(select(Characteristic).where(Characteristic.code == "age")).one())
    officer = lead_id(seeded, "Improvement and Efficiency Officer")
    unit = lead_id(seeded, "The Improvement Unit")

    def count(**kwargs: int) -> int:
        return int(progress.headline(seeded, Filters(plan_id=pid, **kwargs), TODAY, 30)["issues"])

    assert count(level_id=developing) == 32
    assert count(level_id=achieving) == 0
    assert count(characteristic_id=age) == 1
    assert count(lead_id=officer) == 6
    assert count(lead_id=unit) == 18
    assert count(lead_id=unit, level_id=developing) == 18
    ages = progress.theme_issues(seeded, Filters(plan_id=pid, characteristic_id=age), 3, TODAY, 30)
    assert ages["ref"].tolist() == ["3.1"]


def test_readiness_needs_every_issue_done_with_evidence(seeded: Session) -> None:
    pid = plan_id(seeded, EFLG)
    developing = pk(seeded.exec(select(Level).where(Level.name == "Developing")).first())
    set_status(seeded, EFLG, ["3.1", "3.2", "3.3"], Status.COMPLETE)
    add_evidence(seeded, EFLG, ["3.1", "3.2"])
    set_status(seeded, EFLG, ["5.1", "5.2", "5.3", "5.4"], Status.COMPLETE)
    set_status(seeded, EFLG, ["5.5"], Status.NOT_APPLICABLE)
    add_evidence(seeded, EFLG, ["5.1", "5.2", "5.3", "5.4"])
    ready = progress.readiness(seeded, pid, developing).set_index("position")
    assert not ready.loc[3, "is_ready"]
    assert ready.loc[3, "remaining"] == "3.3 (no evidence)"
    assert (ready.loc[3, "ready"], ready.loc[3, "issues"]) == (2, 3)
    assert ready.loc[5, "is_ready"]  # Not applicable is left out
    assert (ready.loc[5, "ready"], ready.loc[5, "issues"]) == (4, 4)
    assert ready.loc[1, "remaining"].startswith("1.1 (not started), 1.2 (not started)")
    add_evidence(seeded, EFLG, ["3.3"])
    assert progress.readiness(seeded, pid, developing).set_index("position").loc[3, "is_ready"]


def test_coverage_counts_issues_per_theme_and_characteristic(seeded: Session) -> None:
    grid = progress.coverage(seeded, plan_id(seeded, EFLG))
    assert grid.shape == (5, 12)
    assert grid.loc["Community engagement and satisfaction", "Age"] == 1
    assert grid.to_numpy().sum() == 1
    totals = progress.plan_characteristic_totals(seeded, plan_id(seeded, RES)).set_index(
        "characteristic"
    )
    assert totals.loc["Race", "issues"] == 19
    assert totals.loc["Disability", "issues"] == 1
    assert totals.loc["Sex", "issues"] == 0


def test_a_plan_with_no_issues_gives_empty_but_valid_results(seeded: Session) -> None:
    organisation = seeded.exec(select(Organisation)).first()
    assert organisation is not None
    empty = Plan(slug="empty", title="An empty plan", organisation_id=pk(organisation))
    seeded.add(empty)
    seeded.commit()
    seeded.add(Section(plan_id=pk(empty), position=1, heading="Nothing yet"))
    seeded.commit()
    filters = Filters(plan_id=pk(empty))
    head = progress.headline(seeded, filters, TODAY, 30)
    assert (head["issues"], head["overdue"]) == (0, 0)
    assert head["percent_complete"] is None or head["percent_complete"] != head["percent_complete"]
    themes = progress.progress_by_theme(seeded, filters, TODAY, 30)
    assert themes["issues"].tolist() == [0]
    assert progress.progress_by_service(seeded, filters, TODAY, 30).empty
    assert progress.overdue_issues(seeded, filters, TODAY, 30).empty
    assert progress.recent_changes(seeded, filters).empty
    assert progress.coverage(seeded, pk(empty)).to_numpy().sum() == 0


def test_issue_detail_has_leads_in_order_history_and_parsed_timescale(seeded: Session) -> None:
    set_status(seeded, RES, ["1.1"], Status.IN_PROGRESS)
    set_status(seeded, RES, ["1.1"], Status.COMPLETE)
    issue = seeded.exec(select(Issue).join(Plan).where(Plan.slug == RES, Issue.ref == "1.1")).one()
    detail = progress.issue_detail(seeded, pk(issue))
    assert detail is not None
    assert detail.leads["name"].iloc[0] == "Equality & Diversity Officer"
    assert detail.leads["parent"].iloc[0] == "Chief Executive's Office"
    assert [m.label for m in detail.timescale.milestones] == [
        "Pilot",
        "Build into Staffordshire Manager Training Programme",
    ]
    assert detail.history["to_status"].tolist() == ["In progress", "Complete"]
    assert detail.characteristics == ("Race",)
    assert progress.issue_detail(seeded, 999_999) is None


def test_every_screen_and_pack_rounds_a_half_the_same_way(seeded: Session) -> None:
    """4 of 32 done is 12.5 %: All plans, the overview, its theme total and every meeting pack
    show 13 % (halves rounded up), never 12 % on one screen and 13 % on another."""
    set_status(seeded, EFLG, ["1.1", "1.2", "1.3", "1.4"], Status.COMPLETE)
    pid = plan_id(seeded, EFLG)
    listed = summaries.plans_summary(seeded).set_index("slug").loc[EFLG]
    head = progress.headline(seeded, Filters(plan_id=pid), TODAY, 30)
    data = pack_data(seeded, pid, None, TODAY, 30, hide_people=False)
    assert (listed["done"], listed["counted"]) == (4, 32)
    assert listed["percent_complete"] == head["percent_complete"] == rules.percent(4, 32) == 13
    assert data.percent == "13%"


def set_own_rag(session: Session, slug: str, ratings: dict[str, str | None]) -> None:
    for issue in session.exec(
        select(Issue).join(Plan).where(Plan.slug == slug, col(Issue.ref).in_(list(ratings)))
    ).all():
        issue.own_rag = ratings[issue.ref]
    session.commit()


@pytest.mark.parametrize("source", [RatingSource.DATES, RatingSource.COUNCIL])
@pytest.mark.parametrize("today", [date(2008, 5, 1), TODAY, date(2012, 1, 1)])
def test_sql_figures_agree_with_the_pure_rule_for_either_rating(
    seeded: Session, today: date, source: RatingSource
) -> None:
    set_status(seeded, RES, ["1.4", "2.5"], Status.IN_PROGRESS)
    set_status(seeded, RES, ["2.3"], Status.COMPLETE)
    set_status(seeded, RES, ["3.2"], Status.NOT_APPLICABLE)
    # Rated: open issues, a complete one (still counts complete) and one left out (Not applicable).
    set_own_rag(seeded, RES, {"1.1": "Green", "1.4": "Amber", "2.1": "Red", "2.3": "Red",
                              "3.2": "Amber", "5.1": "Green", "2.5": "Red"})  # fmt: skip
    plan = seeded.exec(select(Plan).where(Plan.slug == RES)).one()
    plan.rating_source = source.value
    seeded.commit()
    rows = progress._issue_rows(seeded, [col(Issue.plan_id) == pk(plan)], today, 30)
    expected = [
        rules.figure_rag(s, d, p, today, 30, None if pd.isna(o) else o, source.value)
        for s, d, p, o in zip(
            rows["status"], rows["due_date"], rows["due_precision"], rows["own_rag"], strict=True
        )
    ]
    assert rows["figure_rag"].tolist() == [r.value for r in expected]
    head = progress.headline(seeded, Filters(plan_id=pk(plan)), today, 30)
    assert head["red"] == expected.count(Rag.RED)
    assert head["amber"] == expected.count(Rag.AMBER)
    by_dates = [
        rules.rag(s, d, p, today, 30)
        for s, d, p in zip(rows["status"], rows["due_date"], rows["due_precision"], strict=True)
    ]
    if source is RatingSource.DATES:
        assert expected == by_dates
    else:  # the council's ratings win on the open issues it rated, never on closed ones
        assert expected != by_dates
        assert dict(zip(rows["ref"], expected, strict=True))["2.3"] is Rag.COMPLETE
        assert dict(zip(rows["ref"], expected, strict=True))["2.1"] is Rag.RED
    themes = progress.progress_by_theme(seeded, Filters(plan_id=pk(plan)), today, 30)
    assert themes["red"].sum() == head["red"] and themes["amber"].sum() == head["amber"]
