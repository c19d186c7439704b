"""A newcomer starts `streamlit run` on an empty database and finds the seeded plans listed."""

from playwright.sync_api import Page, expect

from .conftest import StreamlitServer, screenshot, wait_for_app


def test_plans_are_listed_in_a_real_browser(server: StreamlitServer, page: Page) -> None:
    page.goto(f"{server.url}/plans")
    expect(page.get_by_role("heading", name="Equality action plans")).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="EFLG Developing level action plan")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Race Equality Scheme action plan 2008–11")
    ).to_be_visible()
    expect(page.get_by_text("5 themes or sections, 32 issues")).to_be_visible()
    expect(page.get_by_role("cell", name="COMMUNITY ENGAGEMENT AND SATISFACTION")).to_be_visible()
    screenshot(page, "first-screen")
