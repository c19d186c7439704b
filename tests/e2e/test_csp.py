"""The server's Content-Security-Policy (dashboard/ui/server.py) leaves the app whole: every page
in the menu and the drill-down Issue page renders in Chromium, every chart image is drawn, and
the browser reports no violation of the policy at all (Streamlit's own frontend included)."""

import pytest
from playwright.sync_api import Page, expect

from .conftest import StreamlitServer, wait_for_app


@pytest.mark.e2e
def test_every_page_renders_under_the_policy_with_no_violation(
    server: StreamlitServer, page: Page
) -> None:
    violations: list[str] = []
    page.expose_function("eflgViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "window.eflgViolation(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile))"
    )
    page.goto(server.url)
    wait_for_app(page)
    links = page.get_by_test_id("stSidebar").get_by_role("link")
    expect(links.filter(has_text="Import a plan")).to_be_visible()
    addresses = sorted({str(links.nth(i).get_attribute("href")) for i in range(links.count())})
    assert len(addresses) >= 12, addresses  # the local administrator sees every page
    charts = 0
    for address in [*addresses, "issue?issue=1"]:  # relative, as the menu writes them
        page.goto(f"{server.url}/{address}")
        wait_for_app(page)
        expect(page.get_by_role("heading", level=1).first).to_be_visible()
        assert page.get_by_test_id("stException").count() == 0, address
        # (the ones this screen's width shows: a chart's phone version is hidden on a laptop)
        images = page.get_by_test_id("stMain").locator("figure.eflg-chart img:visible")
        if address == "meetings":  # the meetings always draw one (the overview's bars are HTML)
            expect(images.first).to_be_visible()
        for n in range(images.count()):
            images.nth(n).scroll_into_view_if_needed()
            assert images.nth(n).evaluate("img => img.complete && img.naturalWidth > 0"), address
        charts += images.count()
        assert violations == [], f"{address}: {violations}"
    assert charts >= 1, "the meetings' chart was among those drawn"
