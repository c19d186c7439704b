"""The progress screens in a real browser: reached from the menu, checked, photographed and run
through axe-core (WCAG 2.2 AA) with no violations allowed."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, StreamlitServer, screenshot, wait_for_app

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page: Page, name: str) -> None:
    """axe-core over the whole page, Streamlit's own parts included: no WCAG 2.2 AA violation at
    all. axe's further best-practice advice is written to test-artifacts/axe-best-practice.txt
    (the only item left is in Streamlit's file-upload widget, which the app cannot change)."""
    results = Axe().run(page)
    violations = results.response["violations"]
    wcag = [v for v in violations if set(v["tags"]) & set(WCAG_AA)]
    advice = [v for v in violations if v not in wcag]
    if advice:
        with (ARTIFACTS / "axe-best-practice.txt").open("a") as out:
            for v in advice:
                out.write(f"{name}: {v['id']} – {[n['html'][:120] for n in v['nodes']]}\n")
    assert not wcag, f"{name}:\n" + "\n".join(
        f"{v['id']}: {v['help']} – {[n['target'] for n in v['nodes']]}" for v in wcag
    )


def open_from_sidebar(page: Page, link: str) -> None:
    page.get_by_test_id("stSidebar").get_by_role("link", name=link, exact=True).click()
    wait_for_app(page)


@pytest.mark.e2e
def test_every_progress_page_from_the_navigation(server: StreamlitServer, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 2000})  # the page scrolls inside its frame
    page.goto(server.url)
    wait_for_app(page)

    expect(page.get_by_role("heading", name="Progress at a glance", level=1)).to_be_visible()
    expect(
        page.get_by_role("heading", name="% complete by theme, furthest behind first")
    ).to_be_visible()
    expect(page.get_by_role("definition").first).to_have_text("32")
    expect(page.get_by_text("Furthest behind: ")).to_be_visible()
    page.get_by_text("Show as a table").click()
    shown_as_table = page.get_by_test_id("stExpander").filter(has_text="Show as a table")
    table = shown_as_table.get_by_test_id("stExpanderDetails").first
    expect(
        table.get_by_role("link", name="Knowing your community and equality mapping")
    ).to_be_visible()
    bars = page.get_by_role("list", name="% complete by theme, furthest behind first")
    expect(bars.get_by_role("link")).to_have_count(5)
    expect(bars.get_by_role("link").first).to_contain_text("0 of 10 done")
    screenshot(page, "views-overview")
    assert_accessible(page, "Overview")

    open_from_sidebar(page, "Themes")
    expect(page.get_by_role("heading", name="Themes", level=1)).to_be_visible()
    expect(
        page.get_by_role("heading", name="Knowing your community and equality mapping")
    ).to_be_visible()
    expect(page.get_by_text("5 issues · 0% complete · 0 overdue")).to_be_visible()
    screenshot(page, "views-theme")
    assert_accessible(page, "Themes")

    page.get_by_role("link", name="Highlight the importance of demographic profiling").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Issue 1.3", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Improvement and Efficiency Officer")).to_be_visible()
    assert "issue=" in page.url
    screenshot(page, "views-issue")
    assert_accessible(page, "Issue")

    open_from_sidebar(page, "Services")
    expect(page.get_by_role("heading", name="Services", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d+% complete · \d+ of \d+ done"))).to_be_visible()
    # it opens on the service furthest behind; a service's bar on the overview opens its own
    open_from_sidebar(page, "Overview")
    services = page.get_by_role("list", name="Lead services furthest behind")
    services.get_by_role("link", name=re.compile("^The Improvement Unit")).click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="The Improvement Unit", level=2)).to_be_visible()
    expect(
        page.get_by_role("cell", name="Through Improvement and Efficiency Officer").first
    ).to_be_visible()
    screenshot(page, "views-service")
    assert_accessible(page, "Services")

    open_from_sidebar(page, "Coverage")
    expect(
        page.get_by_role("heading", name="Coverage of protected characteristics", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Not named by any issue in this plan").first).to_be_visible()
    screenshot(page, "views-coverage")
    assert_accessible(page, "Coverage")

    open_from_sidebar(page, "All plans")
    expect(page.get_by_role("heading", name="Equality action plans", level=1)).to_be_visible()
    assert_accessible(page, "All plans")


@pytest.mark.e2e
def test_a_filtered_overview_survives_a_reload(server: StreamlitServer, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 2000})
    page.goto(f"{server.url}/?plan=race-equality-scheme-2008-11")
    wait_for_app(page)
    expect(page.get_by_role("definition").first).to_have_text("19")
    expect(page.get_by_role("heading", name="Overdue issues")).to_be_visible()
    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("definition").first).to_have_text("19")
    assert "plan=race-equality-scheme-2008-11" in page.url
    screenshot(page, "views-overview-res")
    assert_accessible(page, "Overview (Race Equality Scheme)")
