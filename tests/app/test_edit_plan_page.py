"""Keep the plan (pages/edit_plan.py): an equality lead rewords, adds and retires issues in the
browser, a colleague's save in between is refused with the typed words kept, and nobody else can
open the page."""

from collections.abc import Callable

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.writes import updates
from dashboard.writes.accounts import add_user
from models import Issue, Lead
from tests.app.tables import tables

PLAN = "eflg-developing"


def issue(session: Session, ref: str) -> Issue:
    found = issue_id_by_ref(session, PLAN, ref)
    assert found is not None
    got = session.get(Issue, found[0], populate_existing=True)
    assert got is not None
    return got


def open_issue(app: Callable[..., AppTest], session: Session, ref: str) -> AppTest:
    return app("edit_plan", issue=str(issue(session, ref).id))


def area(at: AppTest, label: str):
    return next(a for a in at.text_area if a.label == label)


def test_an_issue_is_reworded_with_its_timescale_read_as_typed(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = open_issue(app, seeded, "2.9")
    assert at.title[0].value == "Keep the plan"
    timescale = next(t for t in at.text_input if t.label.startswith("Timescale"))
    timescale.input("Spring 2027").run()
    assert "Read as due by 31 May 2027." in [c.value for c in at.caption]
    area(at, "What the issue is to do").input("Publish the workforce profile each year.").run()
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception, at.exception
    assert "Issue 2.9 saved: wording, timescale changed." in at.success[0].value
    saved = issue(seeded, "2.9")
    assert saved.text == "Publish the workforce profile each year."
    assert str(saved.due_date) == "2027-05-31"
    page = app("issue", issue=str(saved.id))
    changes = tables(page)[-1]
    assert any(c.startswith("Wording changed from") for c in changes["Change"])
    assert any(c.startswith("Timescale changed from") for c in changes["Change"])


def test_a_colleagues_save_in_between_is_refused_and_the_words_are_kept(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = open_issue(app, seeded, "2.9")
    item = issue(seeded, "2.9")
    updates.record_status_change(
        session=seeded,
        actor=COMMAND_LINE_ADMIN,
        issue_id=item.id,
        status="In progress",
        note="Started.",
        expected_version=item.version,
    )
    area(at, "What the issue is to do").input("My rewording.").run()
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert "changed issue 2.9" in at.error[0].value
    assert area(at, "What the issue is to do").value == "My rewording."
    assert issue(seeded, "2.9").text == item.text
    assert any("It now reads" in i.value for i in at.info)
    # Having seen their change, a second save is theirs to make, and is made.
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert "Issue 2.9 saved: wording changed." in at.success[0].value
    assert issue(seeded, "2.9").text == "My rewording."


def test_an_issue_is_added_and_another_retired(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = app("edit_plan")
    choice = next(s for s in at.selectbox if s.label == "Issue to change")
    choice.select("new").run()
    next(t for t in at.text_input if t.label == "Ref").input("5.9").run()
    area(at, "What the issue is to do").input("Review the plan with residents.").run()
    next(b for b in at.button if b.label == "Add this issue").click().run()
    assert "Issue 5.9 added" in at.success[0].value
    assert issue(seeded, "5.9").text == "Review the plan with residents."

    at = open_issue(app, seeded, "2.9")
    next(t for t in at.text_input if t.label == "Why is it being retired?").input(
        "Replaced by 5.9."
    ).run()
    next(b for b in at.button if b.label == "Retire this issue").click().run()
    assert "Issue 2.9 retired." in at.success[0].value
    assert issue(seeded, "2.9").retired_at is not None
    assert any("2.9" in m.value for m in at.markdown)  # listed under Retired issues
    page = app("issue", issue=str(issue(seeded, "2.9").id))
    retired = [w.value for w in page.warning if "retired from the plan" in w.value]
    assert len(retired) == 1 and "Replaced by 5.9." in retired[0]


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_only_an_equality_lead_can_open_the_page(
    app: Callable[..., AppTest], seeded: Session, role: str
) -> None:
    lead = seeded.exec(select(Lead.id).where(Lead.name == "Community Development")).one()
    for email, kind in (("lead@council.gov.uk", "admin"), (f"{role}@council.gov.uk", role)):
        add_user(
            session=seeded,
            actor=COMMAND_LINE_ADMIN,
            email=email,
            role=kind,
            lead_ids=[lead] if kind == "officer" else [],
            password="correct horse battery staple",
        )
    at = app()
    at.text_input[0].input(f"{role}@council.gov.uk")
    at.text_input[1].input("correct horse battery staple")
    at.button[0].click()
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("../pages/edit_plan.py")


def test_a_refused_theme_name_says_why_and_saves_nothing(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = app("edit_plan", tab="Themes")
    heading = next(t for t in at.text_input if t.label == "Heading" and t.value)
    first = heading.value
    heading.input("a modern and diverse workforce")  # another theme's heading
    next(b for b in at.button if b.label == "Save the theme").click().run()
    assert "already has a theme called A MODERN AND DIVERSE WORKFORCE" in at.error[0].value
    assert not at.success
    from models import Section

    assert seeded.exec(select(Section).where(Section.heading == first)).first() is not None
