"""An officer signs in with a local account, ticks an issue off and the plans page changes; a
note with a script in it stays text; an open server with no sign-in refuses to start."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database
from dashboard.writes import accounts
from models import Lead

from .browser import StreamlitServer
from .conftest import open_card, screenshot, wait_for_app

PASSWORD = "correct horse battery"


def database_with_officer(folder: Path, *, password: str | None = PASSWORD) -> str:
    """A seeded SQLite database with Asha Patel, officer for the Improvement and Efficiency
    Officer (who leads issue 2.9 of the EFLG plan)."""
    url = f"sqlite:///{folder / 'eflg.db'}"
    seed_with_officer(url, password=password)
    return url


def seed_with_officer(url: str, *, password: str | None = PASSWORD) -> None:
    """Migrate and seed the database at `url` and add Asha Patel (see database_with_officer)."""
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
        lead = session.exec(
            select(Lead.id).where(Lead.name == "Improvement and Efficiency Officer")
        ).one()
        assert lead is not None
        accounts.add_user(session=session, actor=COMMAND_LINE_ADMIN,
                          email="asha.patel@council.gov.uk", role="officer", lead_ids=[lead],
                          password=password)  # fmt: skip
    engine.dispose()


def tick_off_issue_2_9(page: Page, note: str) -> None:
    """From any page: open My issues, mark 2.9 Complete with a note, and save."""
    page.get_by_role("link", name="My issues").click()
    expect(page.get_by_role("heading", name="My issues", level=1)).to_be_visible()
    wait_for_app(page)
    card = open_card(page, "2.9")
    card.get_by_text("Complete", exact=True).click()
    card.get_by_label("Progress note").fill(note)
    card.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Saved: issue 2.9 is now Complete.")).to_be_visible()
    wait_for_app(page)


@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    running = StreamlitServer(database_with_officer(tmp_path_factory.mktemp("tickoff")))
    yield running
    running.stop()


def test_officer_signs_in_and_ticks_off_an_issue(local_server: StreamlitServer, page: Page) -> None:
    page.goto(local_server.url)
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("E-mail address").fill("asha.patel@council.gov.uk")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Asha Patel")).to_be_visible()
    wait_for_app(page)
    page.get_by_role("link", name="All plans").click()
    wait_for_app(page)
    plan = page.get_by_text(re.compile(r"5 themes or sections, 32 issues · 0% complete"))
    expect(plan).to_be_visible()

    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    note = "<script>alert('x')</script><b>Done</b>: checklist in every tender"
    tick_off_issue_2_9(page, note)
    if not page.get_by_text(note).is_visible():
        page.get_by_text("Update 2.9", exact=True).click()
    expect(page.get_by_text(note)).to_be_visible()  # shown as typed, not run or styled
    assert dialogs == []
    assert page.evaluate("document.querySelectorAll('main script, main b').length") == 0
    screenshot(page, "my-issues-after-save")

    page.get_by_role("link", name="All plans").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"32 issues · 3% complete"))).to_be_visible()


def finished_count(page: Page) -> int:
    """The number My issues gives as finished, in its opening sentence."""
    words = page.get_by_text(re.compile(r"^\d+ issues: ")).inner_text()
    found = re.search(r"(\d+) finished", words)
    assert found, words
    return int(found.group(1))


def test_a_note_redraws_only_its_card(local_server: StreamlitServer, page: Page) -> None:
    """A save that leaves the page's counts as they were sends that card alone (a handful of
    messages, not the whole page); one that finishes an issue redraws the page, its count too."""
    page.goto(local_server.url)
    page.get_by_label("E-mail address").fill("asha.patel@council.gov.uk")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My issues", level=1)).to_be_visible()
    wait_for_app(page)
    received: list[object] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda frame: received.append(frame)))
    page.reload()  # (so the page's WebSocket is watched from its start)
    expect(page.get_by_role("heading", name="My issues", level=1)).to_be_visible()
    wait_for_app(page)
    before = finished_count(page)
    summary = page.get_by_test_id("stExpander").locator("summary")
    labels = [t.split("Update ", 1)[1].strip() for t in summary.all_inner_texts() if "Update " in t]
    ref = next(r for r in labels if r != "2.9")
    label = f"Update {ref}"
    card = page.get_by_test_id("stExpander").filter(has=page.get_by_text(label, exact=True))

    def save(status: str | None, note: str) -> int:
        """Open the card, fill it in, save: the number of messages the save brought back."""
        card.get_by_text(label, exact=True).click()
        if status:
            card.get_by_text(status, exact=True).click()
        card.get_by_label("Progress note").fill(note)
        wait_for_app(page)
        received.clear()
        card.get_by_role("button", name="Save update").click()
        expect(
            page.get_by_text(f"Saved: issue {ref} is now {status or 'Not started'}.")
        ).to_be_visible()
        wait_for_app(page)
        return len(received)

    messages = save(None, "Met the service leads.")
    assert messages < 20, messages  # the card alone (the whole page: over 60)
    expect(card.get_by_label("Progress note")).to_be_hidden()  # the card closed once saved
    assert finished_count(page) == before
    messages = save("Complete", "Done: the checklist is in use.")
    assert messages > 40, messages  # the whole page again
    assert finished_count(page) == before + 1


def test_open_server_without_sign_in_refuses(
    tmp_path_factory: pytest.TempPathFactory, page: Page
) -> None:
    database = tmp_path_factory.mktemp("open") / "eflg.db"
    running = StreamlitServer(f"sqlite:///{database}", address="0.0.0.0")
    try:
        page.goto(f"http://127.0.0.1:{running.port}")
        expect(page.get_by_role("heading", name="Sign-in is not set up")).to_be_visible()
        expect(page.get_by_text("It will not start like this.")).to_be_visible()
        expect(page.get_by_role("link", name="My issues")).to_have_count(0)
        expect(page.get_by_text("Running as the local administrator")).to_have_count(0)
        screenshot(page, "open-server-refused")
    finally:
        running.stop()
