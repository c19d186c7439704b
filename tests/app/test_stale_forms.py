"""No stale overwrite (issue 16): every form is checked against the issue as it was shown when
the form was drawn, not as a later re-run read it. Two people, two sessions, one database."""

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.ui.cache import after_write
from dashboard.writes.accounts import add_user
from models import (
    DueDateChange,
    Issue,
    IssueCriterion,
    Lead,
    Role,
    SelfAssessment,
    StatusChange,
    User,
)
from tests.app.test_levels_pages import load_criteria, open_page
from tests.app.test_my_issues import (
    ADMIN,
    PASSWORD,
    issue,
    open_card,
    open_my_issues,
    open_table,
    sign_in,
    texts,
)

A = "asha.patel@council.gov.uk"
B = "bola.okafor@council.gov.uk"
MINE = "Pre-assessment added to the tender checklist."


@pytest.fixture
def officers(seeded: Session) -> Session:
    """Two officers acting for the same service (the Improvement and Efficiency Officer)."""
    lead = seeded.exec(
        select(Lead.id).where(Lead.name == "Improvement and Efficiency Officer")
    ).one()
    for email in (A, B):
        add_user(
            session=seeded,
            actor=ADMIN,
            email=email,
            role="officer",
            lead_ids=[lead],
            password=PASSWORD,
        )
    # (an admin, so the page does not run as the local administrator)
    add_user(
        session=seeded,
        actor=ADMIN,
        email="lead@council.gov.uk",
        role=Role.ADMIN.value,
        password=PASSWORD,
    )
    return seeded


def history(session: Session, issue_id: int) -> list[tuple[str, str | None, str, str | None]]:
    session.expire_all()
    rows = session.exec(
        select(StatusChange).where(StatusChange.issue_id == issue_id).order_by(StatusChange.id)
    ).all()
    return [(r.by, r.from_status, r.to_status, r.note) for r in rows]


def save(at: AppTest, target: Issue, *, note: str, status: str | None = None) -> AppTest:
    open_card(at, target.id)
    key = f"{target.id}_{at.session_state[f'form_gen_{target.id}']}"
    if status is not None:
        at.radio(key=f"status_{key}").set_value(status)
    at.text_area(key=f"note_{key}").input(note)
    at.button(key=f"save_{key}").click()
    return at.run()


def test_a_stale_update_form_is_refused(app: Callable[..., AppTest], officers: Session) -> None:
    target, other = issue(officers, "2.9"), issue(officers, "2.8")
    a = open_card(open_my_issues(app, A), target.id)  # A opens the update form of 2.9, types
    key = f"{target.id}_0"
    a.text_area(key=f"note_{key}").input(MINE)

    b = open_my_issues(app, B)  # B saves 2.9
    save(b, target, note="Checklist drafted with procurement.", status="In progress")
    assert b.success[0].value == "Saved: issue 2.9 is now In progress."

    save(a, other, note="Met the service leads.")  # A saves another issue: a re-run
    assert a.success[0].value == "Saved: issue 2.8 is now Not started."
    # A's 2.9 form survived it (the same form; what is typed in a form stays in the browser
    # until the form is sent, which AppTest shows as a value typed again)
    assert a.session_state[f"form_gen_{target.id}"] == 0
    a.text_area(key=f"note_{key}").input(MINE)
    a.button(key=f"save_{key}").click()  # A saves 2.9: refused
    a.run()
    assert not a.exception
    message = a.error[0].value
    assert message.startswith("Bola Okafor changed issue 2.9 at ")
    assert "while you were editing. Your note is still in the box below" in message
    assert a.text_area(key=f"note_{key}").value == MINE
    assert history(officers, target.id) == [
        ("Bola Okafor", "Not started", "In progress", "Checklist drafted with procurement.")
    ]
    # the form now shows the issue as B left it, and the next save is checked against that
    assert a.radio(key=f"status_{key}").value == "In progress"
    a.button(key=f"save_{key}").click()
    a.run()
    assert not a.error
    assert a.success[0].value == "Saved: issue 2.9 is now In progress."
    assert [row[0] for row in history(officers, target.id)] == ["Bola Okafor", "Asha Patel"]
    assert history(officers, target.id)[1][3] == MINE


def test_a_stale_row_of_the_bulk_table_is_refused(
    app: Callable[..., AppTest], officers: Session
) -> None:
    target, other = issue(officers, "2.9"), issue(officers, "2.8")
    order = sorted(issue(officers, r).id for r in ("1.3", "2.2", "2.4", "2.5", "2.8", "2.9"))
    a = open_table(open_my_issues(app, A))
    b = open_my_issues(app, B)
    save(b, target, note="Checklist drafted.", status="In progress")
    save(a, other, note="Met the service leads.")  # a re-run of A's page after B's save

    rows = {order.index(target.id): {"Note": MINE}}
    a.session_state["bulk_0"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    a.button(key="bulk_save").click()
    a.run()
    assert not a.exception
    message = a.error[0].value
    assert message.startswith("Bola Okafor changed issue 2.9 at ")
    assert "Nothing was saved. Your changes are still in the table" in message
    assert [row[0] for row in history(officers, target.id)] == ["Bola Okafor"]
    assert a.session_state["bulk_0"]["edited_rows"] == {order.index(target.id): {"Note": MINE}}
    a.button(key="bulk_save").click()  # checked against the state now shown: saved
    a.run()
    assert not a.error
    assert [row[0] for row in history(officers, target.id)] == ["Bola Okafor", "Asha Patel"]
    officers.expire_all()
    assert officers.get(Issue, target.id).status == "In progress"  # type: ignore[union-attr]


def test_a_stale_due_date_form_is_refused(app: Callable[..., AppTest], officers: Session) -> None:
    target, other = issue(officers, "2.9"), issue(officers, "2.8")
    a = open_card(open_my_issues(app, A), target.id)
    a.date_input(key=f"due_date_{target.id}").set_value(date(2027, 3, 31))
    a.text_input(key=f"due_reason_{target.id}").input("Waiting for the new contract.")
    b = open_my_issues(app, B)
    save(b, target, note="Checklist drafted.", status="In progress")
    save(a, other, note="Met the service leads.")
    a.date_input(key=f"due_date_{target.id}").set_value(date(2027, 3, 31))
    a.text_input(key=f"due_reason_{target.id}").input("Waiting for the new contract.")
    a.button(key=f"due_save_{target.id}").click()
    a.run()
    assert not a.exception
    assert a.error[0].value.startswith("Bola Okafor changed issue 2.9 at ")
    assert a.text_input(key=f"due_reason_{target.id}").value == "Waiting for the new contract."
    officers.expire_all()
    assert officers.exec(select(DueDateChange)).all() == []
    a.button(key=f"due_save_{target.id}").click()
    a.run()
    assert not a.error
    assert a.success[0].value == "Saved: issue 2.9 is now due 31 Mar 2027."
    open_card(a, target.id)  # (the card closed once saved) their save is in its latest updates
    assert "Checklist drafted." in texts(a)


def test_a_stale_self_assessment_is_refused(app: Callable[..., AppTest], seeded: Session) -> None:
    load_criteria(seeded)
    a = open_page(app, "self_assessment")  # A opens the form
    b = open_page(app, "self_assessment")  # B records an assessment of the same theme
    b.text_area[0].input("Theirs: we know our communities.")
    b.button[0].click().run()
    assert "Saved the self-assessment" in b.success[0].value
    a.run()  # a re-run of A's page after B's save (the form stays open)
    a.text_area[0].input("Mine: the census analysis is done.")
    a.button[0].click().run()
    assert not a.exception
    assert "recorded a self-assessment of this theme at " in a.error[0].value
    assert "while you were editing. Nothing was saved" in a.error[0].value
    assert a.text_area[0].value == "Mine: the census analysis is done."
    seeded.expire_all()
    assert [s.narrative for s in seeded.exec(select(SelfAssessment)).all()] == [
        "Theirs: we know our communities."
    ]
    a.button[0].click().run()  # checked against the one now shown: saved
    assert not a.error
    assert "Saved the self-assessment" in a.success[0].value


def test_a_stale_account_form_is_refused(app: Callable[..., AppTest], officers: Session) -> None:
    def users_page() -> AppTest:
        at = sign_in(app(), "lead@council.gov.uk")
        at.switch_page("../pages/users.py")
        at.run()
        at.selectbox(key="change_who").select(A).run()
        return at

    def labelled(elements: Any, label: str) -> Any:
        """The change form's widget of that label (the add form above has a Role too)."""
        return [element for element in elements if element.label == label][-1]

    a = users_page()  # A opens Asha's account
    b = users_page()  # B makes Asha a viewer (what a form holds is sent when it is saved)
    labelled(b.selectbox, "Role").select_index(list(Role).index(Role.VIEWER))
    labelled(b.multiselect, "Services or roles they act for").set_value([])
    labelled(b.button, "Save changes").click().run()
    assert not b.error, b.error[0].value
    a.run()  # a re-run of A's page after B's save
    labelled(a.checkbox, "Switched off (cannot sign in)").check()
    labelled(a.button, "Save changes").click().run()
    assert not a.exception
    message = a.error[0].value.replace("\u2060", "")  # (plain() breaks up the address)
    assert message.startswith(f"Someone else changed the account of {A} while you were editing.")
    assert "Nothing was saved" in message
    officers.expire_all()
    asha = officers.exec(select(User).where(User.email == A)).one()
    assert (asha.role, asha.disabled) == (Role.VIEWER.value, False)
    assert labelled(a.selectbox, "Role").value == Role.VIEWER  # the account as it is now
    labelled(a.checkbox, "Switched off (cannot sign in)").check()
    labelled(a.button, "Save changes").click().run()
    assert not a.error, a.error
    officers.expire_all()
    asha = officers.exec(select(User).where(User.email == A)).one()
    assert (asha.role, asha.disabled) == (Role.VIEWER.value, True)


def test_a_bulk_update_without_a_note_shows_no_nan(
    app: Callable[..., AppTest], officers: Session
) -> None:
    target = issue(officers, "2.9")
    order = sorted(issue(officers, r).id for r in ("1.3", "2.2", "2.4", "2.5", "2.8", "2.9"))
    a = open_table(open_my_issues(app, A))
    # a status changed in the table, its note cell left empty (which can come back as NaN)
    rows = {order.index(target.id): {"Status": "In progress", "Note": float("nan")}}
    a.session_state["bulk_0"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    a.button(key="bulk_save").click()
    a.run()
    assert not a.exception
    assert a.success[0].value == "Saved 1 issue: 2.9."
    assert history(officers, target.id) == [("Asha Patel", "Not started", "In progress", None)]
    shown = texts(open_card(a, target.id))  # its latest updates
    assert "nan" not in shown.split() and "> nan" not in shown and "None" not in shown
    assert "Asha Patel · Not started → In progress" in shown


def test_a_stale_criteria_link_is_refused(app: Callable[..., AppTest], seeded: Session) -> None:
    """A link is added or removed, never overwritten: a choice made before someone else linked
    (or unlinked) the same issue is refused in plain words, and nothing changes twice."""
    load_criteria(seeded)
    after_write()
    target = issue(seeded, "1.2")
    a = open_page(app, "criteria")  # A picks issue 1.2 to link
    a.selectbox(key="link_issue").set_value(target.id)
    b = open_page(app, "criteria")  # B links it first
    b.selectbox(key="link_issue").set_value(target.id)
    b.button[-1].click().run()
    assert b.success[0].value == "Linked issue 1.2 to criterion K1."

    def press(at: AppTest, label: str) -> AppTest:
        return next(button for button in at.button if button.label == label).click().run()

    press(a, "Link the issue")  # A's choice, made before B's link, is refused, not moved on
    assert not a.exception
    assert a.error[0].value == "Issue 1.2 is already linked to criterion K1."
    seeded.expire_all()
    assert [(c.issue_id, c.criterion_id) for c in seeded.exec(select(IssueCriterion))] == [
        (target.id, 1)
    ]
    # and the other way: A picks the link to remove, B removes it first
    a = open_page(app, "criteria")
    a.selectbox(key="unlink_issue").set_value(target.id)
    b = open_page(app, "criteria")
    press(b, "Remove the link")
    assert b.success[0].value == "Removed the link between issue 1.2 and K1."
    b.selectbox(key="link_issue").set_value(issue(seeded, "1.1").id)
    press(b, "Link the issue")  # another link, which A's stale choice must not remove
    press(a, "Remove the link")
    assert not a.exception
    assert a.error[0].value == "Issue 1.2 is not linked to criterion K1."
    seeded.expire_all()
    assert [c.issue_id for c in seeded.exec(select(IssueCriterion))] == [issue(seeded, "1.1").id]
