"""Presentation mode in a real browser at projector size: every slide from first to last."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import StreamlitServer, screenshot, wait_for_app

THEMES = [
    "Knowing your community and equality mapping",
    "Place shaping, leadership, partnership and organisational commitment",
    "Community engagement and satisfaction",
    "Responsive services and customer care",
    "A modern and diverse workforce",
]
TITLES = [
    "EFLG Developing level action plan",
    "Overall progress",
    *THEMES,
    "Since the last meeting",
    "Overdue and risks",
]


@pytest.mark.e2e
def test_the_presentation_walks_from_first_slide_to_last(
    server: StreamlitServer, page: Page
) -> None:
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{server.url}/present?plan=eflg-developing&public=1")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    next_button = page.get_by_role("button", name="Next")
    for number, title in enumerate(TITLES, start=1):
        expect(page.locator("h1")).to_have_text(title)
        expect(page).to_have_url(re.compile(rf"[?&]slide={number}(&|$)"))
        assert "public=1" in page.url
        expect(page.get_by_text(f"Slide {number} of {len(TITLES)}")).to_be_visible()
        if number == 2:
            screenshot(page, "present-overall")
        if number < len(TITLES):
            next_button.click()
            wait_for_app(page)
    expect(next_button).to_be_disabled()
    screenshot(page, "present-last")

    page.goto(f"{server.url}/present?plan=eflg-developing&slide=4&embed=true")
    wait_for_app(page)
    expect(page.locator("h1")).to_have_text(THEMES[1])
    page.get_by_role("button", name="Previous").click()
    wait_for_app(page)
    expect(page.locator("h1")).to_have_text(THEMES[0])
    expect(page).to_have_url(re.compile(r"slide=3"))
