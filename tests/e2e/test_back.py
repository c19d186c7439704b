"""The browser's Back button undoes one filter choice (issue 16, item 2): each choice changes
the address once, and going Back shows the page as the address before it says."""

import re
import time
from collections.abc import Callable

from playwright.sync_api import Page, expect

from dashboard.ui.widgets import CHANGE_FILTERS

from .browser import StreamlitServer
from .conftest import screenshot, wait_for_app

CHARACTERISTIC = "Protected characteristic"


def choose(page: Page, label: str, option: str) -> None:
    wait_for_app(page)
    page.get_by_role("combobox", name=label).click()
    wanted = page.get_by_role("option", name=option, exact=True)
    try:
        expect(wanted).to_be_visible(timeout=5_000)
    except AssertionError:  # a first run finishing on a busy machine closed the list: again
        page.get_by_role("combobox", name=label).click()
    wanted.click()
    wait_for_app(page)


def shown(page: Page, label: str) -> str:
    """The choice a drop-down shows."""
    box = page.get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True))
    return box.get_by_role("combobox", name=label).input_value() or box.inner_text()


def eventually(check: Callable[[], bool], what: str, seconds: float = 15) -> None:
    """Wait for what the page shows to settle (a re-run on a busy machine may start late)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(what)
        time.sleep(0.2)


def test_back_undoes_one_filter_choice(server: StreamlitServer, page: Page) -> None:
    page.goto(server.url)
    wait_for_app(page)
    # the overview's filters are folded under a line saying what is shown
    expect(page.get_by_text(re.compile(r"^Showing .* · All characteristics$"))).to_be_visible()
    expect(page.get_by_role("combobox", name=CHARACTERISTIC)).to_be_hidden()
    page.get_by_text(CHANGE_FILTERS).click()
    expect(page.get_by_role("combobox", name=CHARACTERISTIC)).to_be_visible()
    start = page.url
    choose(page, CHARACTERISTIC, "Race")
    expect(page).to_have_url(f"{server.url}/?characteristic=race")
    expect(page.get_by_text(re.compile(r"^Showing .* · Race$"))).to_be_visible()
    choose(page, CHARACTERISTIC, "Disability")
    expect(page).to_have_url(f"{server.url}/?characteristic=disability")

    page.go_back()
    wait_for_app(page)
    expect(page).to_have_url(f"{server.url}/?characteristic=race")
    page.wait_for_timeout(500)  # any address the page would write back has been written
    expect(page).to_have_url(f"{server.url}/?characteristic=race")
    eventually(lambda: "Race" in shown(page, CHARACTERISTIC), "Race is shown again")
    screenshot(page, "back-one-choice")

    page.go_back()
    wait_for_app(page)
    page.wait_for_timeout(500)
    expect(page).to_have_url(start)
    eventually(
        lambda: "All characteristics" in shown(page, CHARACTERISTIC), "all characteristics again"
    )


def test_back_undoes_one_choice_of_theme_and_of_plan(server: StreamlitServer, page: Page) -> None:
    page.goto(f"{server.url}/themes")
    wait_for_app(page)
    expect(page.get_by_role("combobox", name="Theme")).to_be_visible()
    first_theme = shown(page, "Theme")
    page.get_by_role("combobox", name="Theme").click()
    page.get_by_role("option").nth(1).click()  # the second theme
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"theme="))
    eventually(lambda: shown(page, "Theme") != first_theme, "the second theme is shown")
    second_theme = shown(page, "Theme")
    page.get_by_role("combobox", name="Plan").click()
    page.get_by_role("option").nth(1).click()  # the second plan
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"plan="))

    page.go_back()  # the plan choice undone, the theme choice kept
    wait_for_app(page)
    page.wait_for_timeout(500)
    expect(page).not_to_have_url(re.compile(r"plan="))
    expect(page).to_have_url(re.compile(r"theme="))
    eventually(lambda: shown(page, "Theme") == second_theme, "the second theme is kept")
    page.go_back()  # and then the theme choice
    wait_for_app(page)
    page.wait_for_timeout(500)
    expect(page).to_have_url(f"{server.url}/themes")
    eventually(lambda: shown(page, "Theme") == first_theme, "the first theme again")
