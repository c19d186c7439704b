"""An equality lead keeps the plan in a real browser: rewords an issue and moves it to another
theme, adds one, retires one, hands a leaver's issues to a successor and puts the imported plan
on the Developing level; the Issue page, the overview, All plans and Readiness show it. An
officer and a viewer cannot reach the page."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.dates import uk_today
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database
from dashboard.writes import accounts
from dashboard.writes.meetings import record_meeting
from models import Lead

from .browser import StreamlitServer
from .conftest import screenshot, wait_for_app

PASSWORD = "correct horse battery"
PLAN = "eflg-developing"


def _database(folder: Path) -> tuple[str, dict[str, int]]:
    url = f"sqlite:///{folder / 'eflg.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
        lead = session.exec(
            select(Lead.id).where(Lead.name == "Improvement and Efficiency Officer")
        ).one()
        for email, role in (
            ("lead@council.gov.uk", "admin"),
            ("asha.patel@council.gov.uk", "officer"),
            ("cllr@council.gov.uk", "viewer"),
        ):
            accounts.add_user(
                session=session,
                actor=COMMAND_LINE_ADMIN,
                email=email,
                role=role,
                lead_ids=[lead] if role == "officer" else [],
                password=PASSWORD,
            )
        ids = {}
        for ref in ("2.9", "1.1"):
            found = issue_id_by_ref(session, PLAN, ref)
            assert found is not None
            ids[ref] = found[0]
        today = uk_today()
        record_meeting(
            session=session, actor=COMMAND_LINE_ADMIN, body="Corporate Management Team",
            title="CMT update", held_on=today, today=today, amber_days=30,
        )  # fmt: skip
    engine.dispose()
    return url, ids


@pytest.fixture(scope="module")
def plan_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StreamlitServer, dict]]:
    url, ids = _database(tmp_path_factory.mktemp("keep"))
    running = StreamlitServer(url)
    yield running, ids
    running.stop()


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()
    wait_for_app(page)


def choose(page: Page, label: str, option: str) -> None:
    """Pick from a drop-down as a person with a long list does: type, then choose."""
    box = page.get_by_label(label, exact=True)
    # (a choice just made redraws the forms under it; the old ones linger for a moment)
    expect(box).to_have_count(1)
    box.click()
    box.press_sequentially(option[:20])
    page.get_by_role("option", name=option).first.click()
    wait_for_app(page)


def test_an_equality_lead_keeps_the_plan(plan_server, page: Page) -> None:
    server, ids = plan_server
    sign_in(page, server.url, "lead@council.gov.uk")
    expect(page.get_by_role("link", name="Keep the plan")).to_be_visible()

    # Reword 2.9 and move it to the first theme (where 1.1 is, and a new issue goes).
    page.goto(f"{server.url}/edit_plan?plan={PLAN}&issue={ids['2.9']}")
    expect(page.get_by_role("heading", name="Keep the plan")).to_be_visible()
    wait_for_app(page)
    page.get_by_label("What the issue is to do").fill("Publish the workforce profile each year.")
    choose(page, "Theme", "KNOWING YOUR COMMUNITY AND EQUALITY MAPPING")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Issue 2.9 saved: wording, theme changed.")).to_be_visible()
    screenshot(page, "keep-the-plan")

    # Add an issue.
    page.goto(f"{server.url}/edit_plan?plan={PLAN}&issue=new")
    wait_for_app(page)
    page.get_by_label("Ref", exact=True).fill("1.9")
    page.get_by_label("What the issue is to do").fill("Hold a listening event with residents.")
    page.get_by_label("Timescale, as the plan writes it").fill("Spring 2027")
    page.get_by_label("Timescale, as the plan writes it").press("Enter")
    expect(page.get_by_text("Read as due by 31 May 2027.")).to_be_visible()
    page.get_by_role("button", name="Add this issue").click()
    expect(page.get_by_text("Issue 1.9 added")).to_be_visible()

    # Retire 1.1.
    page.goto(f"{server.url}/edit_plan?plan={PLAN}&issue={ids['1.1']}")
    wait_for_app(page)
    page.get_by_text("Retire this issue").first.click()
    page.get_by_label("Why is it being retired?").fill("Done by the county council.")
    page.get_by_role("button", name="Retire this issue").click()
    expect(page.get_by_text("Issue 1.1 retired.")).to_be_visible()

    # Hand the leaver's issues to a successor.
    page.get_by_role("tab", name="Leads").click()
    wait_for_app(page)
    choose(page, "Lead", "Improvement and Efficiency Officer (The Improvement Unit)")
    choose(page, "Hand to", "Community Development")
    page.get_by_role("button", name="Hand on the issues").click()
    expect(page.get_by_text("handed to Community Development")).to_be_visible()

    # Put the race equality plan (no framework of its own) on the Developing level.
    page.get_by_role("tab", name="The plan").click()
    wait_for_app(page)
    form = page.get_by_test_id("stExpander").filter(has_text="Put this plan on a framework level")
    choose(page, "Plan to put on a level", "Race Equality Scheme action plan 2008–11")
    form.get_by_role("button", name="Save").click()
    expect(page.get_by_text("is now on")).to_be_visible()

    # The Issue page shows the changes and the retirement.
    page.goto(f"{server.url}/issue?issue={ids['2.9']}")
    wait_for_app(page)
    expect(page.get_by_text("Publish the workforce profile each year.").first).to_be_visible()
    expect(page.get_by_role("cell", name="Wording changed from", exact=False).first).to_be_visible()
    page.goto(f"{server.url}/issue?issue={ids['1.1']}")
    wait_for_app(page)
    expect(page.get_by_text("This issue was retired from the plan")).to_be_visible()

    # All plans counts the new issue and not the retired one: still 32.
    page.goto(f"{server.url}/plans")
    wait_for_app(page)
    expect(page.get_by_text("5 themes or sections, 32 issues").first).to_be_visible()

    # From the overview's bar, the theme lists 2.9 reworded and the new 1.9, not the retired 1.1.
    page.goto(f"{server.url}/?plan={PLAN}")
    wait_for_app(page)
    page.get_by_role("link", name="Knowing your community and equality mapping").first.click()
    wait_for_app(page)
    issues = page.get_by_test_id("stMain")
    expect(
        issues.get_by_role("link", name="Publish the workforce profile each year.")
    ).to_be_visible()
    expect(
        issues.get_by_role("link", name="Hold a listening event with residents.")
    ).to_be_visible()
    expect(issues.get_by_role("link", name="1.1", exact=True)).to_have_count(0)

    # Readiness now offers the race equality plan at the Developing level.
    page.goto(f"{server.url}/readiness")
    wait_for_app(page)
    choose(page, "Plan", "Race Equality Scheme action plan 2008–11")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("table").first).to_be_visible()  # its readiness, theme by theme
    expect(main.get_by_text("Developing").first).to_be_visible()

    # Since the last meeting counts the changes to the plan itself.
    page.goto(f"{server.url}/meetings?plan={PLAN}")
    wait_for_app(page)
    figures = page.locator("dl.eflg-figures").first
    for label in ("New issues", "Issues retired", "Issues reworded", "Leads changed"):
        expect(figures.get_by_text(label, exact=True)).to_be_visible()


@pytest.mark.parametrize("email", ["asha.patel@council.gov.uk", "cllr@council.gov.uk"])
def test_an_officer_and_a_viewer_cannot_reach_it(plan_server, page: Page, email: str) -> None:
    server, _ids = plan_server
    sign_in(page, server.url, email)
    expect(page.get_by_role("link", name="Keep the plan")).to_have_count(0)
    page.goto(f"{server.url}/edit_plan?plan={PLAN}")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Keep the plan")).to_have_count(0)
    expect(page.get_by_role("button", name="Save changes")).to_have_count(0)
