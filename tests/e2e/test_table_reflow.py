"""Phone width (390 px) and 400 % zoom (1280 px seen as 320 px, WCAG 1.4.10 reflow): every page
an equality lead can open fits the screen across, with no sideways scrolling; tables show each
row as a card, each value under its column's name, and stay tables for screen readers."""

import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .conftest import ARTIFACTS, StreamlitServer, screenshot, wait_for_app
from .test_views import assert_accessible

# Every page a local administrator reaches (dashboard/main_script.py), by its address.
PAGES = {
    "Overview": "",
    "Themes": "themes",
    "Services": "services",
    "Coverage": "coverage",
    "All plans": "plans",
    "My issues": "my_issues",
    "Meetings": "meetings",
    "Presentation": "present",
    "Readiness": "readiness",
    "Self-assessment": "self_assessment",
    "Criteria": "criteria",
    "Users": "users",
    "Import a plan": "import_plan",
    "Issue": "issue?issue=1",
}

# Elements whose right edge passes the screen: the page's own, and each table's parts.
OVERFLOWING = """() => {
    const width = window.innerWidth;
    const main = document.querySelector("[data-testid=stMain]");
    const out = [];
    for (const el of main.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        if (el.closest("thead")) continue;  // kept for screen readers, not shown (1 px, clipped)
        if (box.right > width + 1) {
            out.push(`${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80) +
                     ` right=${Math.round(box.right)} text=${(el.innerText || "").slice(0, 40)}`);
        }
    }
    return {
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: width,
        out: out.slice(0, 10),
    };
}"""


@pytest.mark.e2e
@pytest.mark.parametrize(("width", "height"), [(390, 844), (320, 800)])
def test_no_page_runs_past_a_narrow_screen(
    server: StreamlitServer, page: Page, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    overflowing = {}
    for name, address in PAGES.items():
        page.goto(f"{server.url}/{address}")
        wait_for_app(page)
        expect(page.locator("h1").first).to_be_visible()
        try:  # (an image may be laid out a moment after it arrives: give it that moment)
            page.wait_for_function(
                f"() => {{ const f = ({OVERFLOWING})(); "
                "return f.scrollWidth <= f.innerWidth && f.out.length === 0; }",
                timeout=5_000,
            )
        except PlaywrightTimeoutError:
            found = page.evaluate(OVERFLOWING)
            overflowing[name] = [f"scrollWidth={found['scrollWidth']}", *found["out"]]
        screenshot(page, f"reflow-{width}-{name.lower().replace(' ', '-')}")
    assert not overflowing, overflowing


@pytest.mark.e2e
def test_a_table_on_a_phone_is_cards_of_named_values_and_still_a_table(
    server: StreamlitServer, page: Page
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/coverage")
    wait_for_app(page)
    table = page.locator("table.eflg-table").first
    expect(table).to_be_visible()
    # Screen readers still meet a table with its column headers.
    expect(page.get_by_role("table").first).to_be_visible()
    assert page.get_by_role("columnheader", name="Characteristic").count() == 1
    cell = table.locator("td[data-label='Whole plan']").first
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == '"Whole plan"'  # each value under its column's name
    box = table.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
    table.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "reflow-coverage-cards.png"))
    assert_accessible(page, "Coverage at 390 px")
    # Copying the table copies words, never the icons' names.
    page.goto(f"{server.url}/readiness")
    wait_for_app(page)
    readiness = page.locator("table.eflg-table").first
    readiness.scroll_into_view_if_needed()
    text = readiness.inner_text()
    assert "pending" not in text and "check_circle" not in text and "remove" not in text
    page.screenshot(path=str(ARTIFACTS / "reflow-readiness-cards.png"))
    assert_accessible(page, "Readiness at 390 px")


@pytest.mark.e2e
def test_sorting_a_table_is_kept_in_the_address(server: StreamlitServer, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 1600})
    page.goto(f"{server.url}/coverage")
    wait_for_app(page)
    page.get_by_role("combobox", name="Sort by").click()
    page.get_by_role("option", name="Whole plan").click()
    wait_for_app(page)
    page.get_by_role("combobox", name="Order").click()
    page.get_by_role("option", name="Z to A, largest or latest first").click()
    wait_for_app(page)
    expect(page).to_have_url(
        re.compile(
            r"coverage_sort=whole-plan&coverage_order=desc|coverage_order=desc&coverage_sort=whole-plan"
        )
    )
    header = page.get_by_role("columnheader", name="Whole plan")
    expect(header).to_have_attribute("aria-sort", "descending")
    counts = page.locator("td[data-label='Whole plan']").all_inner_texts()
    numbers = [0 if c.startswith("None") else int(c) for c in counts]
    assert numbers == sorted(numbers, reverse=True) and len(set(numbers)) > 1
