"""Presentation mode in a real browser at projector size (1280×720): every slide from first to
last fits the screen, the keys a presenter and a clicker use move between slides, issue rows
lead to their issue, and a slide passes axe."""

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import StreamlitServer, screenshot, wait_for_app
from .test_views import assert_accessible

THEMES = [
    "Knowing your community and equality mapping",
    "Place shaping, leadership, partnership and organisational commitment",
    "Community engagement and satisfaction",
    "Responsive services and customer care",
    "A modern and diverse workforce",
]
# The bottom of the lowest block on the slide (the page's own top-level blocks, not what a
# closed "Show the chart as a table" holds).
CONTENT_BOTTOM = """() => Math.max(...[...document.querySelectorAll(
    "[data-testid='stMainBlockContainer'] > [data-testid='stVerticalBlock'] > *")]
    .map(e => e.getBoundingClientRect().bottom))"""


def _open(page: Page, address: str) -> None:
    """Open a slide at projector size; the first page after the server starts may wait for it
    to seed the database."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(address, timeout=90_000)
    page.locator("h1").wait_for(timeout=90_000)
    wait_for_app(page)


def _slide(page: Page, number: int) -> None:
    expect(page).to_have_url(re.compile(rf"[?&]slide={number}(&|$)"))
    wait_for_app(page)
    expect(page.get_by_text(re.compile(rf"^Slide {number} of \d+$"))).to_be_visible()


@pytest.mark.e2e
def test_every_slide_fits_the_screen_from_first_to_last(
    server: StreamlitServer, page: Page
) -> None:
    _open(page, f"{server.url}/present?plan=eflg-developing&public=1")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    counter = page.get_by_text(re.compile(r"^Slide 1 of \d+$"))
    expect(counter).to_be_visible()
    count = int(counter.inner_text().rsplit(" ", 1)[-1])
    titles = []
    for number in range(1, count + 1):
        _slide(page, number)
        expect(page.locator("h1")).not_to_be_empty()
        if number == 2:  # the chart, drawn on the server, arrives as an image
            expect(page.locator(".eflg-chart img")).to_be_visible()
        titles.append(page.locator("h1").inner_text())
        assert "public=1" in page.url
        bottom = page.evaluate(CONTENT_BOTTOM)
        assert bottom <= 720, f"slide {number} ({titles[-1]}) ends at {bottom:.0f} px"
        expect(page.get_by_role("link", name="Leave the presentation")).to_be_in_viewport()
        screenshot(page, f"present-{number:02d}")
        if number < count:
            page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    # every theme in order, a long one continued on the next slide, then the closing slides
    assert titles[:2] == ["EFLG Developing level action plan", "Overall progress"]
    themes = [t.removesuffix(" (continued)") for t in titles[2:-2]]
    assert list(dict.fromkeys(themes)) == THEMES
    assert f"{THEMES[1]} (continued)" in titles
    assert titles[-2:] == ["Since the last meeting", "Overdue and risks"]
    assert count == len(titles) > 2 + len(THEMES) + 2


@pytest.mark.e2e
def test_the_keys_and_a_clicker_move_between_slides(server: StreamlitServer, page: Page) -> None:
    _open(page, f"{server.url}/present?plan=eflg-developing&slide=1")
    _slide(page, 1)
    count = int(page.get_by_text(re.compile(r"^Slide 1 of \d+$")).inner_text().split()[-1])
    for key, number in [("ArrowRight", 2), ("PageDown", 3), ("ArrowLeft", 2), ("PageUp", 1),
                        ("End", count), ("Home", 1)]:  # fmt: skip
        page.keyboard.press(key)
        _slide(page, number)
    page.keyboard.press("ArrowLeft")  # on the first slide: stays there
    page.wait_for_timeout(300)
    _slide(page, 1)


@pytest.mark.e2e
def test_an_issue_row_on_a_slide_opens_its_issue_and_the_slide_passes_axe(
    server: StreamlitServer, page: Page
) -> None:
    _open(page, f"{server.url}/present?plan=eflg-developing&slide=3")
    _slide(page, 3)
    expect(page.locator("h1")).to_have_text(THEMES[0])
    assert_accessible(page, "presentation, a theme's slide")
    row = page.locator("table").get_by_role("link").first
    words = row.inner_text()
    row.click()
    expect(page).to_have_url(re.compile(r"/issue\?issue=\d+"))
    wait_for_app(page)
    expect(page.get_by_text(words).first).to_be_visible()
