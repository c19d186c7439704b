"""No stale overwrite, in the browser (issue 16): Officer A opens the update form of 2.9 and
types; Officer B saves 2.9; A saves another issue; A saves 2.9 and is refused, the note kept."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlmodel import Session, select

from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database
from dashboard.writes import accounts
from models import Lead

from .browser import StreamlitServer
from .conftest import open_card, screenshot, wait_for_app

PASSWORD = "correct horse battery"
A, B = "asha.patel@council.gov.uk", "bola.okafor@council.gov.uk"
MINE = "Pre-assessment added to the tender checklist."


def two_officers(folder: Path) -> str:
    """A seeded SQLite database with two officers for the Improvement and Efficiency Officer
    (who leads issues 2.8 and 2.9 of the EFLG plan)."""
    url = f"sqlite:///{folder / 'eflg.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
        lead = session.exec(
            select(Lead.id).where(Lead.name == "Improvement and Efficiency Officer")
        ).one()
        for email in (A, B):
            accounts.add_user(session=session, actor=COMMAND_LINE_ADMIN, email=email,
                              role="officer", lead_ids=[lead], password=PASSWORD)  # fmt: skip
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    running = StreamlitServer(two_officers(tmp_path_factory.mktemp("stale")))
    yield running
    running.stop()


def my_issues(page: Page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)
    page.get_by_role("link", name="My issues").click()
    expect(page.get_by_role("heading", name="My issues", level=1)).to_be_visible()
    wait_for_app(page)


def b_saves(browser: Browser, url: str, ref: str, note: str) -> None:
    """Officer B, in a browser of their own, marks issue `ref` In progress with `note`."""
    other = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        b = other.new_page()
        b.set_default_timeout(20_000)
        my_issues(b, url, B)
        form = open_card(b, ref)
        form.get_by_text("In progress", exact=True).click()
        form.get_by_label("Progress note").fill(note)
        form.get_by_role("button", name="Save update").click()
        expect(b.get_by_text(f"Saved: issue {ref} is now In progress.")).to_be_visible()
    finally:
        other.close()


def test_a_stale_form_is_refused_and_keeps_the_note(
    server: StreamlitServer, page: Page, browser: Browser
) -> None:
    my_issues(page, server.url, A)  # A opens the form of 2.9 and types
    a_card = open_card(page, "2.9")
    a_card.get_by_label("Progress note").fill(MINE)

    b_saves(browser, server.url, "2.9", "Checklist drafted with procurement.")

    card_2_8 = open_card(page, "2.8")  # A saves another issue: the page runs again
    card_2_8.get_by_label("Progress note").fill("Met the service leads.")
    card_2_8.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Saved: issue 2.8 is now Not started.")).to_be_visible()
    wait_for_app(page)
    expect(a_card.get_by_label("Progress note")).to_be_visible()  # still open, as typed in
    expect(a_card.get_by_label("Progress note")).to_have_value(MINE)
    screenshot(page, "stale-form-before-save")
    a_card.get_by_role("button", name="Save update").click()  # A saves 2.9: refused
    wait_for_app(page)
    refusal = a_card.get_by_test_id("stAlertContentError")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("Bola Okafor changed issue 2.9 at ")
    expect(refusal).to_contain_text("while you were editing. Your note is still in the box below")
    expect(a_card.get_by_label("Progress note")).to_have_value(MINE)
    expect(a_card.get_by_text("Checklist drafted with procurement.")).to_be_visible()
    expect(page.get_by_text("Traceback")).to_have_count(0)
    screenshot(page, "stale-form-refused")


def card_of(page: Page, ref: str) -> Locator:
    """An issue's whole card on My issues: its headline and its Update."""
    return (
        page.get_by_test_id("stVerticalBlock")
        .filter(has=page.get_by_text(f"Update {ref}", exact=True))
        .last
    )


def test_a_card_shows_the_issue_as_saved_and_opens_again_as_it_is_now(
    server: StreamlitServer, page: Page, browser: Browser
) -> None:
    """A save that leaves the page's order as it was draws that card alone, from the issue as
    the save left it; opened again later, the card shows a colleague's change made since."""
    my_issues(page, server.url, A)
    form = open_card(page, "2.8")
    form.get_by_text("Amber", exact=True).click()
    form.get_by_label("Progress note").fill("Waiting for the budget decision.")
    form.get_by_role("button", name="Save update").click()
    expect(
        page.get_by_text("Saved: issue 2.8 is now Not started. Your RAG rating: Amber.")
    ).to_be_visible()
    wait_for_app(page)
    expect(card_of(page, "2.8")).to_contain_text("Amber · No due date")
    expect(form.get_by_label("Progress note")).to_have_count(0)  # done: the card closed

    b_saves(browser, server.url, "2.8", "Budget agreed at CMT.")

    form = open_card(page, "2.8")  # opened again: the issue as it is now, both notes in it
    expect(card_of(page, "2.8")).to_contain_text("In progress · RAG")
    expect(form.get_by_text("Budget agreed at CMT.")).to_be_visible()
    expect(form.get_by_text("Waiting for the budget decision.")).to_be_visible()
    form.get_by_label("Progress note").fill("Work started.")
    form.get_by_role("button", name="Save update").click()  # no conflict: the form is new
    expect(page.get_by_text("Saved: issue 2.8 is now In progress.")).to_be_visible()
    expect(page.get_by_text("Traceback")).to_have_count(0)
