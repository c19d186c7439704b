"""Two app servers on one database: a tick-off on one shows on the other at its next page run,
although the other had the old figures in its cache."""

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from .browser import StreamlitServer
from .conftest import wait_for_app
from .test_tickoff import PASSWORD, database_with_officer, tick_off_issue_2_9


def sign_in(page: Page, server: StreamlitServer) -> None:
    page.goto(server.url)
    page.get_by_label("E-mail address").fill("asha.patel@council.gov.uk")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Asha Patel")).to_be_visible()
    wait_for_app(page)


def all_plans(page: Page) -> None:
    page.get_by_role("link", name="All plans").click()
    wait_for_app(page)


def test_a_tick_off_on_one_server_shows_on_the_other(
    tmp_path: Path, browser: Browser, page: Page
) -> None:
    url = database_with_officer(tmp_path)
    first, second = StreamlitServer(url), StreamlitServer(url)
    try:
        other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        other.set_default_timeout(20_000)
        sign_in(other, second)
        all_plans(other)  # the second server now holds 0% in its cache
        expect(other.get_by_text(re.compile(r"32 issues · 0% complete"))).to_be_visible()

        sign_in(page, first)
        tick_off_issue_2_9(page, "Pre-assessment now in every tender")

        all_plans(other)  # the next page run on the second server
        expect(other.get_by_text(re.compile(r"32 issues · 3% complete"))).to_be_visible()
    finally:
        first.stop()
        second.stop()
