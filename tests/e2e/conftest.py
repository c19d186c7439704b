"""Real-browser tests: `streamlit run dashboard/app.py` (the st.App) in a subprocess, driven by
Playwright in Debian's Chromium (never a downloaded browser). A missing Chromium is a failure,
not a skip."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .browser import ARTIFACTS, StreamlitServer

__all__ = ["ARTIFACTS", "StreamlitServer", "download_file", "screenshot", "wait_for_app"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """The app on a fresh SQLite database, seeded on first start as a newcomer would see it."""
    database = tmp_path_factory.mktemp("e2e") / "eflg.db"
    running = StreamlitServer(f"sqlite:///{database}")
    yield running
    running.stop()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact (test-artifacts/NAME.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_app(page: Page) -> None:
    """Wait until Streamlit has finished running the script: no 'running' indicator (shown only
    once a run has taken a while) and the app's own run state not running. A click that lands
    while a run is still sending its last elements (the menu is drawn after the page) can be
    lost by Streamlit, as a person's would be."""
    page.wait_for_selector("[data-testid='stMain']")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && !['running', "
        "'rerunRequested'].includes(document.querySelector('[data-testid=\"stApp\"]')"
        "?.dataset.testScriptState)",
        timeout=30_000,
    )


def open_card(page: Page, ref: str) -> Locator:
    """Open the Update form of issue `ref` on My issues, and wait for the card's own run to
    finish (a save pressed during it can be lost, as a person's would be)."""
    card = page.get_by_test_id("stExpander").filter(
        has=page.get_by_text(f"Update {ref}", exact=True)
    )
    card.get_by_text(f"Update {ref}", exact=True).click()
    expect(card.get_by_label("Progress note")).to_be_visible()
    wait_for_app(page)
    return card


def download_file(page: Page, button: str, to: Path) -> None:
    """Press a download button whose file is built on the press, and save what arrives.

    Streamlit 1.67 drops such a press when it lands while the page is re-running (the server
    logs "Deferred file … not found" and no download starts); a person would press again, and
    so does this, once. A button that never delivers still fails."""
    for attempt in (1, 2):
        try:
            with page.expect_download(timeout=20_000 if attempt == 1 else 60_000) as download:
                page.get_by_role("button", name=button).click()
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            wait_for_app(page)
            continue
        download.value.save_as(to)
        return
