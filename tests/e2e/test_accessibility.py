"""Every screen, reached as a user reaches it from the menu, passes axe-core (WCAG 2.2 AA) with
no violation at all."""

from playwright.sync_api import Page, expect

from .conftest import StreamlitServer, screenshot, wait_for_app
from .test_views import assert_accessible

PAGES = [
    "Overview", "Themes", "Services", "Coverage", "All plans", "Find an issue", "My issues",
    "Meetings", "Presentation", "Readiness", "Self-assessment", "Criteria", "Users",
    "Import a plan", "Keep the plan", "Publish equality information",
]  # fmt: skip


def test_every_page_in_the_menu_passes_axe(server: StreamlitServer, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 2000})
    page.goto(server.url)
    wait_for_app(page)
    menu = page.get_by_test_id("stSidebar")
    expect(menu.get_by_role("link", name="Overview")).to_be_visible()
    links = [
        t.strip() for t in menu.locator("a [data-testid=stMarkdownContainer]").all_inner_texts()
    ]
    assert links == PAGES  # a local administrator sees every page
    for name in PAGES:
        page.goto(server.url)
        wait_for_app(page)
        page.get_by_test_id("stSidebar").get_by_role("link", name=name, exact=True).click()
        wait_for_app(page)
        expect(page.locator("h1").first).to_be_visible()
        screenshot(page, f"a11y-{name.lower().replace(' ', '-')}")
        assert_accessible(page, name)


def test_issue_page_passes_axe(server: StreamlitServer, page: Page) -> None:
    page.goto(f"{server.url}/themes")
    wait_for_app(page)
    page.get_by_role("link", name="1.1").first.click()
    wait_for_app(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("1.1")
    # A row's link loads the page afresh: axe waits for the menu too (a scrolling menu with no
    # links drawn yet is, for that moment, a region the keyboard cannot reach).
    expect(page.get_by_test_id("stSidebar").get_by_role("link", name="Overview")).to_be_visible()
    wait_for_app(page)
    assert_accessible(page, "Issue")
