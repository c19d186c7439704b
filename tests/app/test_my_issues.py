"""My issues and sign-in, run through the real entry script (AppTest)."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.dates import uk_today
from dashboard.rules.permissions import Actor
from dashboard.ui.cache import after_write
from dashboard.writes import updates
from dashboard.writes.accounts import add_user
from models import Issue, Lead, Role, StatusChange
from tests.app.tables import tables

PASSWORD = "correct horse battery"
OFFICER = "asha.patel@council.gov.uk"
ADMIN = Actor(name="Ben Ade", role=Role.ADMIN)


@pytest.fixture
def accounts(seeded: Session) -> Session:
    """An officer for the Improvement and Efficiency Officer (leads 2.9), a viewer and an admin."""
    lead = seeded.exec(
        select(Lead.id).where(Lead.name == "Improvement and Efficiency Officer")
    ).one()
    assert lead is not None
    add_user(
        session=seeded,
        actor=ADMIN,
        email=OFFICER,
        role="officer",
        lead_ids=[lead],
        password=PASSWORD,
    )
    add_user(
        session=seeded, actor=ADMIN, email="cllr@council.gov.uk", role="viewer", password=PASSWORD
    )
    add_user(
        session=seeded, actor=ADMIN, email="lead@council.gov.uk", role="admin", password=PASSWORD
    )
    return seeded


def sign_in(at: AppTest, email: str, password: str = PASSWORD) -> AppTest:
    assert at.title[0].value == "Sign in"
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def open_my_issues(app: Callable[..., AppTest], email: str = OFFICER) -> AppTest:
    at = sign_in(app(), email)
    at.switch_page("../pages/my_issues.py")
    at.run()
    assert not at.exception, at.exception
    return at


def open_card(at: AppTest, issue_id: int) -> AppTest:
    """Open an issue's Update (as a click on it does: the page runs again to draw its forms)."""
    at.session_state[f"card_{issue_id}"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def open_everything(at: AppTest) -> AppTest:
    """Open every issue's Update and the table (each card's key is in the session after a run;
    AppTest lists session keys only through the session's own state)."""
    keys = [k for k in at.session_state._state._state.filtered_state if k.startswith("card_")]
    for key in keys:
        at.session_state[key] = True
    return open_table(at)


def open_table(at: AppTest) -> AppTest:
    """Open the table that updates several issues at once."""
    at.session_state["bulk_open"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def issue(session: Session, ref: str) -> Issue:
    found = issue_id_by_ref(session, "eflg-developing", ref)
    assert found is not None
    got = session.get(Issue, found[0], populate_existing=True)
    assert got is not None
    return got


def texts(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_local_administrator_banner_until_accounts_exist(app: Callable[..., AppTest]) -> None:
    at = app("my_issues")
    assert "Running as the local administrator: no accounts are set up yet" in at.warning[0].value
    assert "python -m dashboard users add" in at.warning[0].value
    assert at.title[0].value == "My issues"
    assert at.selectbox(key="choice_lead").label == "Show the issues led by"


def test_sign_in_form_and_lock_out(app: Callable[..., AppTest], accounts: Session) -> None:
    refused = "do not match an account that can sign in. After 5 wrong tries an account is locked"
    at = app()
    for _ in range(5):
        at = sign_in(at, OFFICER, "wrong password")
        assert refused in at.error[0].value
    at = sign_in(at, OFFICER, PASSWORD)  # the right password, but locked: the same words
    assert refused in at.error[0].value
    assert at.title[0].value == "Sign in"


def test_viewer_sees_no_editing_pages(app: Callable[..., AppTest], accounts: Session) -> None:
    at = sign_in(app(), "cllr@council.gov.uk")
    assert "Viewer" in at.sidebar.caption[0].value
    for editing_page in ("my_issues", "users"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"../pages/{editing_page}.py")


def test_officer_ticks_off_an_issue(app: Callable[..., AppTest], accounts: Session) -> None:
    at = open_my_issues(app)
    target = issue(accounts, "2.9")
    assert "6 issues" in texts(at)
    assert "Issue 1.1" not in texts(at)  # another service's issue is not listed
    # every card starts closed, its forms not drawn until it is opened
    assert len([e for e in at.expander if e.label.startswith("Update ")]) == 6
    assert not at.text_area and not at.radio and not at.main.button
    open_card(at, target.id)
    assert [t.key for t in at.text_area] == [f"note_{target.id}_0"]
    key = f"{target.id}_0"
    at.radio(key=f"status_{key}").set_value("Complete")
    at.text_area(key=f"note_{key}").input("Equality pre-assessment is now in every tender.")
    at.text_input(key=f"link_{key}").input("https://intranet.example.org/tenders")
    at.button(key=f"save_{key}").click()
    at.run()
    assert not at.error
    assert at.success[0].value == "Saved: issue 2.9 is now Complete."
    saved = issue(accounts, "2.9")
    assert (saved.status, saved.updated_by, saved.version) == ("Complete", "Asha Patel", 2)
    # done: the card closes with "Saved" on it; opened again, the note is in its latest
    # updates as typed and the form is fresh for the next update
    assert not at.text_area
    open_card(at, target.id)
    assert "Equality pre-assessment is now in every tender." in texts(at)
    assert at.text_area(key=f"note_{target.id}_1").value in ("", None)
    assert not at.success  # said once


def test_required_note(app: Callable[..., AppTest], accounts: Session) -> None:
    at = open_my_issues(app)
    target = issue(accounts, "2.9")
    open_card(at, target.id)
    key = f"{target.id}_0"
    at.radio(key=f"status_{key}").set_value("Not applicable")
    at.button(key=f"save_{key}").click()
    at.run()
    assert "Write a progress note to mark issue 2.9 as Not applicable" in at.error[0].value
    assert issue(accounts, "2.9").status == "Not started"


def test_conflict_keeps_the_note(app: Callable[..., AppTest], accounts: Session) -> None:
    at = open_my_issues(app)
    target = issue(accounts, "2.9")
    open_card(at, target.id)  # the form is drawn, then someone else saves
    updates.record_status_change(
        session=accounts,
        actor=ADMIN,
        issue_id=target.id,
        status="In progress",
        note="Checklist drafted.",
        expected_version=target.version,
    )
    key = f"{target.id}_0"
    mine = "All tenders now include the pre-assessment."
    at.radio(key=f"status_{key}").set_value("Complete")
    at.text_area(key=f"note_{key}").input(mine)
    at.button(key=f"save_{key}").click()
    at.run()
    message = at.error[0].value
    assert message.startswith("Ben Ade changed issue 2.9 at ")
    assert "while you were editing. Your note is still in the box below" in message
    assert at.text_area(key=f"note_{key}").value == mine
    assert issue(accounts, "2.9").status == "In progress"
    # having seen their change, the second save goes through
    at.button(key=f"save_{key}").click()
    at.run()
    assert not at.error
    assert issue(accounts, "2.9").status == "Complete"


def test_bulk_update(app: Callable[..., AppTest], accounts: Session) -> None:
    at = open_my_issues(app)
    assert not at.main.button  # the table is drawn only when asked for
    open_table(at)
    first, second = issue(accounts, "1.3"), issue(accounts, "2.4")
    # the table lists the officer's six issues in the order they were added to the plan
    order = sorted(issue(accounts, ref).id for ref in ("1.3", "2.2", "2.4", "2.5", "2.8", "2.9"))
    rows = {
        order.index(first.id): {"Status": "In progress"},
        order.index(second.id): {"Status": "Complete"},
    }
    at.session_state["bulk_0"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.button(key="bulk_save").click()
    at.run()
    assert "Write a progress note to mark issue 2.4 as Complete" in at.error[0].value
    assert issue(accounts, "1.3").status == "Not started"  # all or nothing

    rows[order.index(second.id)]["Note"] = "Guidance issued to all officers."
    at.session_state["bulk_0"] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.button(key="bulk_save").click()
    at.run()
    assert not at.error
    assert at.success[0].value == "Saved 2 issues: 1.3, 2.4."
    assert issue(accounts, "1.3").status == "In progress"
    assert issue(accounts, "2.4").status == "Complete"
    assert len(accounts.exec(select(StatusChange)).all()) == 2


def test_script_in_a_note_is_shown_as_text(app: Callable[..., AppTest], accounts: Session) -> None:
    target = issue(accounts, "2.9")
    updates.record_status_change(
        session=accounts,
        actor=ADMIN,
        issue_id=target.id,
        status="In progress",
        note="<script>alert('x')</script> **bold** [link](javascript:alert(1))",
        expected_version=target.version,
    )
    at = open_card(open_my_issues(app), target.id)  # its latest updates
    shown = texts(at)
    assert "<script>" not in shown
    assert "\\<script\\>alert\\('x'\\)\\</script\\>" in shown
    assert "\\*\\*bold\\*\\*" in shown
    # (the word joiner after the colon stops GitHub's Markdown making a link of it)
    assert "\\[link\\]\\(javascript\\:\u2060alert\\(1\\)\\)" in shown


def test_admin_picks_a_lead_and_manages_users(
    app: Callable[..., AppTest], accounts: Session
) -> None:
    at = open_my_issues(app, "lead@council.gov.uk")
    organisation = at.selectbox(key="choice_organisation")
    organisation.select(next(o for o in organisation.options if "its action plan" in o)).run()
    picker = at.selectbox(key="choice_lead")
    customer = next(o for o in picker.options if o.startswith("Customer Services"))
    picker.select_index(picker.options.index(customer)).run()
    assert "2 issues" in texts(at)

    at.switch_page("../pages/users.py")
    at.run()
    assert at.title[0].value == "Users"
    assert OFFICER in list(tables(at)[0]["E-mail"])
    at.text_input[0].input("new.officer@council.gov.uk")
    at.text_input[2].input("a long enough password")
    at.multiselect[0].select(next(o for o in at.multiselect[0].options if "Customer" in o))
    at.button[0].click()
    at.run()
    assert not at.error, at.error
    assert at.success[0].value == "New Officer can now sign in."
    assert "new.officer@council.gov.uk" in list(tables(at)[0]["E-mail"])


def headers(at: AppTest) -> list[str]:
    return [h.value for h in at.header]


def test_overdue_then_due_soon_first(app: Callable[..., AppTest], accounts: Session) -> None:
    today = uk_today()
    late, soon, later = issue(accounts, "2.5"), issue(accounts, "2.8"), issue(accounts, "2.2")
    for target, due in ((late, today - timedelta(days=3)), (soon, today + timedelta(days=10)),
                        (later, today + timedelta(days=200))):  # fmt: skip
        target.due_date, target.due_precision = due, "day"
        accounts.add(target)
    accounts.commit()
    after_write()
    at = open_my_issues(app)
    assert headers(at)[:2] == ["Overdue (1)", "Due soon (1)"]
    assert "1 overdue, 1 due soon" in texts(at)
    cards = [
        m.value for m in at.markdown if m.value.startswith("**2.") or m.value.startswith("**1.")
    ]
    assert cards[0].startswith("**2.5**") and cards[1].startswith("**2.8**")
    assert not any(c.startswith("**2.8**") for c in cards[2:])  # listed once only


def test_a_link_opens_that_issues_form_first(
    app: Callable[..., AppTest], accounts: Session
) -> None:
    target = issue(accounts, "2.9")
    at = sign_in(app(), OFFICER)
    at.query_params["issue"] = str(target.id)
    at.switch_page("../pages/my_issues.py")
    at.run()
    assert not at.exception
    assert headers(at)[0] == "Update issue 2.9"
    assert at.expander[0].label == "Update 2.9"
    assert at.expander[0].proto.expanded  # the form is open, ready to use
    key = f"{target.id}_0"
    at.radio(key=f"status_{key}").set_value("In progress")
    at.text_area(key=f"note_{key}").input("Checklist drafted.")
    at.button(key=f"save_{key}").click()
    at.run()
    assert at.success[0].value == "Saved: issue 2.9 is now In progress."
    assert issue(accounts, "2.9").status == "In progress"
    assert len(accounts.exec(select(StatusChange)).all()) == 1  # one history row for one save


def test_a_link_to_another_services_issue_says_so(
    app: Callable[..., AppTest], accounts: Session
) -> None:
    other = issue(accounts, "1.1")
    at = sign_in(app(), OFFICER)
    at.query_params["issue"] = str(other.id)
    at.switch_page("../pages/my_issues.py")
    at.run()
    assert "not led by a service you act for" in at.info[0].value
    assert "Update issue 1.1" not in headers(at)
