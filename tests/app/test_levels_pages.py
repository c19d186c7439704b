"""The Levels pages (Readiness, Self-assessment, Criteria) through the real entry script."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.ui.cache import after_write
from dashboard.writes import accounts
from dashboard.writes.criteria import import_criteria
from dashboard.writes.levels import CriterionJudgement, record_self_assessment
from models import Criterion, Issue, IssueCriterion, Judgement, Plan, Theme
from tests.app.tables import tables

PASSWORD = "correct horse battery"
KNOWING = "Knowing your community and equality mapping"
CRITERIA = [
    {"framework": "eflg-2009", "theme": KNOWING, "level": "Developing", "ref": "K1",
     "criterion": "Test criterion one", "guidance": "Test guidance"},
    {"framework": "eflg-2009", "theme": KNOWING, "level": "Developing", "ref": "K2",
     "criterion": "Test criterion two", "guidance": ""},
]  # fmt: skip


def load_criteria(session: Session) -> None:
    assert import_criteria(session, CRITERIA, actor=COMMAND_LINE_ADMIN).ok


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in [*at.markdown, *at.info, *at.caption, *at.success])


def open_page(app: Callable[..., AppTest], name: str, **query: str) -> AppTest:
    at = app(None, **query)
    at.switch_page(f"../pages/{name}.py")
    at.run()
    assert not at.exception, at.exception
    return at


def test_readiness_says_when_issues_stand_in_for_criteria(app: Callable[..., AppTest]) -> None:
    at = open_page(app, "levels")
    assert at.title[0].value == "Readiness for a level"
    table = tables(at)[0]
    assert len(table) == 5
    assert set(table["Criteria met"]) == {"None loaded – the level's issues stand in"}
    assert list(table["Issues ready"]) == ["0 of 5", "0 of 10", "0 of 3", "0 of 9", "0 of 5"]
    assert "No criteria are loaded for 5 of 5 themes at Developing" in texts(at)


def test_readiness_counts_criteria_and_lists_those_without_evidence(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    load_criteria(seeded)
    at = open_page(app, "levels")
    first = tables(at)[0].iloc[0]
    assert first["Criteria met"] == "0 of 2"
    assert "Criteria without evidence: K1, K2" in first["What remains"]
    assert "No criteria are loaded for 4 of 5 themes" in texts(at)
    plan = seeded.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    theme = seeded.exec(select(Theme).where(Theme.name == KNOWING)).one()
    k1 = seeded.exec(select(Criterion).where(Criterion.ref == "K1")).one()
    record_self_assessment(
        session=seeded, actor=COMMAND_LINE_ADMIN, organisation_id=plan.organisation_id,
        theme_id=theme.id, assessed_on=date(2026, 1, 5), level_claimed_id=plan.level_id,
        narrative="Test narrative.",
        judgements=[CriterionJudgement(k1.id, Judgement.MET, "https://example.org/k1")],
    )  # fmt: skip
    after_write()
    at = open_page(app, "levels")
    first = tables(at)[0].iloc[0]
    assert first["Criteria met"] == "1 of 2"
    assert "Criteria without evidence: K2" in first["What remains"]


def test_the_2009_plan_seen_through_the_2021_modules(app: Callable[..., AppTest]) -> None:
    at = open_page(app, "levels")
    assert len(tables(at)) == 2  # the 2011 themes are shown first
    assert len(tables(at)[1]) == 5
    at.radio(key="version_1").set_value("eflg-2021").run()
    modules = tables(at)[1]
    assert len(modules) == 4
    fold = modules[modules["Theme in this version"].str.startswith("Understanding and working")]
    assert fold.iloc[0]["Issues"] == 8
    assert "+" in fold.iloc[0]["From the plan's themes"]
    assert any("Not one-to-one" in i.value for i in at.info)


def test_an_equality_lead_records_a_self_assessment(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    load_criteria(seeded)
    at = open_page(app, "self_assessment")
    assert at.title[0].value == "Self-assessment"
    assert "No self-assessment has been recorded for this theme yet." in texts(at)
    at.text_area[0].input("We know our communities well.")
    at.selectbox[2].select("Developing")
    criterion_ids = [c.id for c in seeded.exec(select(Criterion).order_by(Criterion.ref)).all()]
    theme_id = seeded.exec(select(Theme.id).where(Theme.name == KNOWING)).one()
    at.radio(key=f"judgement_{theme_id}_{criterion_ids[0]}").set_value("Met")
    at.button[0].click().run()  # Met without evidence is refused
    assert "needs at least one piece of evidence" in at.error[0].value
    at.text_area(key=f"evidence_{theme_id}_{criterion_ids[0]}").input("https://example.org/a")
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert "Saved the self-assessment of Knowing your community" in at.success[0].value
    assert "Level claimed: **Developing**" in texts(at)
    history = tables(at)[1]
    assert list(history["Criteria judged met"]) == [1]
    assert tables(at)[0].iloc[0]["Evidence"] == "https://example.org/a"


def test_a_viewer_reads_the_history_but_cannot_record(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    load_criteria(seeded)
    accounts.add_user(session=seeded, actor=COMMAND_LINE_ADMIN, email="cllr@council.gov.uk",
                  role="viewer", password=PASSWORD)  # fmt: skip
    plan = seeded.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    theme = seeded.exec(select(Theme).where(Theme.name == KNOWING)).one()
    for day, words in [(date(2025, 6, 1), "First look."), (date(2026, 1, 5), "Second look.")]:
        record_self_assessment(
            session=seeded, actor=COMMAND_LINE_ADMIN, organisation_id=plan.organisation_id,
            theme_id=theme.id, assessed_on=day, level_claimed_id=None, narrative=words,
            judgements=[],
        )  # fmt: skip
    at = app()
    at.text_input[0].input("cllr@council.gov.uk")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("../pages/self_assessment.py")
    at.run()
    assert not at.exception, at.exception
    assert "Second look." in texts(at)
    assert list(tables(at)[-1]["Assessed on"]) == ["5 Jan 2026", "1 Jun 2025"]
    assert "Record a self-assessment" not in [s.value for s in at.subheader]
    assert "Equality leads record self-assessments; everyone can read them." in texts(at)
    downloads = at.get("download_button")
    assert len(downloads) == 2  # the peer challenge pack, as a PDF and as a zip
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("../pages/criteria.py")  # not in a viewer's menu


def test_criteria_page_lists_and_links(app: Callable[..., AppTest], seeded: Session) -> None:
    at = open_page(app, "criteria")
    assert at.title[0].value == "Level criteria"
    assert "No criteria are loaded yet" in texts(at)
    load_criteria(seeded)
    after_write()
    at = open_page(app, "criteria")
    listed = tables(at)[0]
    assert list(listed["Ref"]) == ["K1", "K2"]
    assert list(listed["Guidance"]) == ["Test guidance", ""]
    assert "No issues are linked to this criterion yet." in texts(at)
    issue = seeded.exec(
        select(Issue).join(Plan).where(Plan.slug == "eflg-developing", Issue.ref == "1.2")
    ).one()
    at.selectbox(key="link_issue").set_value(issue.id)
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert at.success[0].value == "Linked issue 1.2 to criterion K1."
    assert tables(at)[0].iloc[0]["Issues linked"] == 1
    assert len(seeded.exec(select(IssueCriterion)).all()) == 1
    at.button[-1].click().run()  # Remove the link
    assert at.success[0].value == "Removed the link between issue 1.2 and K1."
    assert seeded.exec(select(IssueCriterion)).all() == []


def test_an_admin_puts_an_imported_plan_on_a_level_and_readiness_shows_it(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    from dashboard.writes.import_plan import ImportOptions, run_import

    data = b"Newtown Borough Council\nEquality Plan 2025\nAction,Lead\nMap our communities,HR\n"
    result = run_import(seeded, data, "plan.csv", actor=COMMAND_LINE_ADMIN,
                        options=ImportOptions(), dry_run=False)  # fmt: skip
    assert result.ok and result.plan_slug == "equality-plan-2025"
    at = open_page(app, "levels")
    assert "Put this plan on a framework level" in [e.label for e in at.expander]
    at.selectbox(key="pl_plan").set_value("equality-plan-2025").run()
    at.selectbox(key="pl_version").set_value("eflg-2011").run()
    at.selectbox(key="pl_level_eflg-2011").set_value("Achieving").run()
    at.button(key="pl_save").click().run()
    assert not at.exception, at.exception
    assert "'Equality Plan 2025' is now on Equality Framework for Local Government (2011 " \
           "refresh), at the Achieving level." in texts(at)  # fmt: skip
    plan = seeded.exec(select(Plan).where(Plan.slug == "equality-plan-2025")).one()
    seeded.refresh(plan)
    assert plan.framework is not None and plan.framework.code == "eflg-2011"
    shown = open_page(app, "levels", plan="equality-plan-2025")
    assert "Achieving: what is met and what remains" in [h.value for h in shown.header]


def test_a_viewer_sees_no_plan_level_form(app: Callable[..., AppTest], seeded: Session) -> None:
    accounts.add_user(session=seeded, actor=COMMAND_LINE_ADMIN, email="cllr@council.gov.uk",
                      role="viewer", password=PASSWORD)  # fmt: skip
    at = app()
    at.text_input[0].input("cllr@council.gov.uk")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    at.switch_page("../pages/levels.py")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Readiness for a level"
    assert "Put this plan on a framework level" not in [e.label for e in at.expander]
