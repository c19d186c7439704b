"""The council's own RAG rating on the screens (AppTest): the overview's Red and Amber of a plan
imported with a RAG column are the council's, an admin can switch a plan to the rating by dates
on the Plans page, and an officer sets the rating with their update on My issues."""

import re
from collections.abc import Callable

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.rules.progress import rag_rule
from dashboard.ui.cache import after_write
from dashboard.writes.import_plan import ImportOptions, run_import
from models import Issue, Plan, StatusChange
from tests.app.tables import figures, html_text, tables
from tests.app.test_my_issues import (  # noqa: F401
    accounts,
    issue,
    open_card,
    open_my_issues,
    open_table,
    texts,
)
from tests.data.test_council_rag import RATED, rag_csv


def import_rated_plan(session: Session) -> Plan:
    result = run_import(
        session,
        rag_csv(RATED),
        "council-plan.csv",
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(organisation="Anyshire"),
        dry_run=False,
    )
    assert result.ok, result.summary()
    after_write()
    return session.exec(select(Plan).where(Plan.slug == result.plan_slug)).one()


def test_the_overview_shows_the_councils_red_and_amber_from_its_spreadsheet(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    plan = import_rated_plan(seeded)
    at = app(plan=plan.slug)
    # every target date has passed, so by dates all six would be Red
    assert figures(at) == {"Issues": "6", "Complete": "0%", "Red": "2", "Amber": "2"}
    assert rag_rule(30, "council") in html_text(at)


def test_an_admin_switches_a_plan_to_the_rating_by_dates_on_the_plans_page(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    plan = import_rated_plan(seeded)
    at = app("plans")
    choice = at.selectbox(key=f"rating_source_{plan.id}")
    assert choice.label == "Red, Amber and Green figures use"
    assert choice.value == "council"
    choice.select("dates").run()
    assert not at.exception and not at.error
    seeded.refresh(plan)
    assert plan.rating_source == "dates"
    overview = app(plan=plan.slug)
    assert figures(overview)["Red – overdue"] == "6"


def test_an_officer_sets_their_rag_rating_with_the_update(
    app: Callable[..., AppTest],
    accounts: Session,  # noqa: F811
) -> None:
    target = issue(accounts, "2.9")
    at = open_card(open_my_issues(app), target.id)
    key = f"{target.id}_0"
    rating = at.radio(key=f"own_rag_{key}")
    assert rating.label == "Your RAG rating"
    assert rating.options == ["Not set", "Red", "Amber", "Green"]
    assert "RAG (council's rating): :material/remove: Not set" in texts(at)
    rating.set_value("Amber")
    at.button(key=f"save_{key}").click()
    at.run()
    assert not at.error
    assert at.success[0].value == "Saved: issue 2.9 is now Not started. Your RAG rating: Amber."
    saved = issue(accounts, "2.9")
    assert (saved.own_rag, saved.status, saved.version) == ("Amber", "Not started", 2)
    [change] = accounts.exec(select(StatusChange).where(StatusChange.issue_id == target.id)).all()
    assert (change.from_rag, change.to_rag, change.note) == (None, "Amber", None)
    assert re.search(r"RAG \(council's rating\): \S+ Amber", texts(at))  # on the card
    open_card(at, target.id)  # (closed once saved) opened again:
    assert "RAG Not set → Amber" in texts(at)  # the latest updates under the form
    assert at.radio(key=f"own_rag_{target.id}_1").value == "Amber"  # the next form starts there

    at.query_params["issue"] = str(target.id)
    page = at.switch_page("../pages/issue.py").run()
    shown = " ".join(m.value for m in page.markdown)
    assert "**RAG (by dates):**" in shown and "**RAG (council's rating):**" in shown
    assert "Amber" in shown.split("**RAG (council's rating):**")[1]
    history = tables(page)[-1]
    assert history["Change"].tolist() == ["RAG Not set → Amber"]


def test_the_table_of_several_issues_sets_ratings_too(
    app: Callable[..., AppTest],
    accounts: Session,  # noqa: F811
) -> None:
    at = open_table(open_my_issues(app))
    order = sorted(issue(accounts, ref).id for ref in ("1.3", "2.2", "2.4", "2.5", "2.8", "2.9"))
    first = issue(accounts, "1.3")
    rows = {order.index(first.id): {"Your RAG rating": "Red"}}
    at.session_state["bulk_0"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.button(key="bulk_save").click()
    at.run()
    assert not at.error
    assert at.success[0].value == "Saved 1 issue: 1.3."
    saved = accounts.get(Issue, first.id, populate_existing=True)
    assert saved is not None and (saved.own_rag, saved.status) == ("Red", "Not started")


def test_the_theme_page_shows_both_ratings_side_by_side(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    plan = import_rated_plan(seeded)
    at = app("theme", plan=plan.slug)
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "1 Red and 1 Amber by the council's rating" in shown
    issues = tables(at)[0]
    assert list(issues.columns[3:5]) == ["RAG (by dates)", "RAG (council's rating)"]
    assert issues.set_index("Ref")["RAG (council's rating)"].to_dict() == {
        "1.1": "Red", "1.2": "Amber", "1.3": "Green",
    }  # fmt: skip
    assert set(issues["RAG (by dates)"]) == {"Red – overdue"}
