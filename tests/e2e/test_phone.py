"""On a phone (390 × 844): an officer opens the menu, chooses a page and sees it (the menu closes);
ticks an issue off through its update form, every field on the screen; and the burn-up chart's
text is at least 12 px as drawn. axe finds no violation on My issues at that size."""

import base64
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .browser import StreamlitServer
from .conftest import open_card, screenshot, wait_for_app
from .test_tickoff import PASSWORD, database_with_officer
from .test_views import assert_accessible

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    running = StreamlitServer(database_with_officer(tmp_path_factory.mktemp("phone")))
    yield running
    running.stop()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="en-GB", has_touch=True)
    tab = context.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    context.close()


def menu_is_open(page: Page) -> bool:
    """The menu covers part of the page: its right edge is inside the screen."""
    box = page.get_by_test_id("stSidebar").bounding_box()
    return box is not None and box["x"] + box["width"] > 10


def choose_from_menu(page: Page, name: str) -> None:
    page.get_by_test_id("stExpandSidebarButton").click()
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True)
    expect(link).to_be_visible()
    page.wait_for_function(  # the menu has finished sliding in
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().x >= 0"
    )
    assert menu_is_open(page)
    link.click()
    wait_for_app(page)


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=stMain]');"
        " return Math.max(document.documentElement.scrollWidth, m.scrollWidth)"
        " - document.documentElement.clientWidth; }"
    )
    assert overflow <= 0, f"the page is {overflow} px wider than the phone's screen"


def test_officer_on_a_phone(phone_server: StreamlitServer, phone: Page) -> None:
    page = phone
    page.goto(phone_server.url)
    page.get_by_label("E-mail address").fill("asha.patel@council.gov.uk")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    wait_for_app(page)

    # the menu closes after a choice, and the page chosen is what is on the screen
    choose_from_menu(page, "My issues")
    heading = page.get_by_role("heading", name="My issues", level=1)
    expect(heading).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stSidebar]').getBoundingClientRect().right <= 0"
    )
    assert not menu_is_open(page)
    box = heading.bounding_box()
    assert box is not None
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('h1')?.innerText ?? ''",
        [box["x"] + 5, box["y"] + box["height"] / 2],
    )
    assert "My issues" in on_top  # nothing lies over the heading
    screenshot(page, "phone-menu-closed")

    # tick 2.9 off through its update form; every field and the button are on the screen
    card = open_card(page, "2.9")
    for field in (
        card.get_by_text("Complete", exact=True),
        card.get_by_label("Progress note"),
        card.get_by_role("button", name="Save update"),
    ):
        field.scroll_into_view_if_needed()
        found = field.bounding_box()
        assert found is not None and found["x"] >= 0 and found["x"] + found["width"] <= 390
    card.get_by_text("Complete", exact=True).click()
    card.get_by_label("Progress note").fill("Checklist in every tender.")
    card.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Saved: issue 2.9 is now Complete.")).to_be_visible()
    wait_for_app(page)
    no_sideways_scroll(page)
    screenshot(page, "phone-my-issues-saved")
    assert_accessible(page, "My issues on a phone")

    # the burn-up chart, drawn for a narrow screen: its smallest text at least 12 px
    choose_from_menu(page, "Meetings")
    expect(page.get_by_role("heading", name="Issues complete over time")).to_be_visible()
    chart = page.locator(".eflg-chart img").locator("visible=true").last
    chart.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=chart.element_handle()
    )
    source, shown, drawn = chart.evaluate(
        "img => [img.currentSrc, img.getBoundingClientRect().width, img.naturalWidth]"
    )
    svg = base64.b64decode(source.split(",", 1)[1]).decode()
    sizes = [float(s) for s in re.findall(r'font-size[:=]"?\s*([\d.]+)px', svg)]
    assert sizes, "the chart has no text"
    smallest = min(sizes) * shown / drawn
    assert smallest >= 12, f"the chart's smallest text is {smallest:.1f} px on a phone"
    assert shown <= 390
    screenshot(page, "phone-burn-up")
