"""Publishing from the app, as an equality lead does it in Chromium against the server as the
README starts it: write a section on the Publish page, publish, follow the link to the public
page; then, as a member of the public with no sign-in, the list of published versions and the
page itself, at a laptop's width and a phone's."""

from playwright.sync_api import Browser, Page, expect

from .conftest import StreamlitServer, screenshot, wait_for_app
from .test_phone import no_sideways_scroll
from .test_views import assert_accessible

TITLE = "Publish equality information"
WORKFORCE = "We employ 312 people; 4% have told us they are disabled."


def test_an_equality_lead_publishes_and_the_public_reads_it(
    server: StreamlitServer, page: Page, browser: Browser
) -> None:
    page.set_viewport_size({"width": 1280, "height": 2000})  # the page scrolls inside its frame
    page.goto(f"{server.url}/publish?plan=eflg-developing&nation=england")
    wait_for_app(page)
    expect(
        page.get_by_role("heading", name="Publish equality information", level=1)
    ).to_be_visible()
    assert_accessible(page, "Publish equality information")
    page.get_by_role("textbox", name="Our workforce", exact=True).fill(WORKFORCE)
    page.get_by_role("button", name="Save and publish").click()
    wait_for_app(page)
    expect(page.get_by_text("Published version 1 on")).to_be_visible()
    screenshot(page, "publish-page")

    page.get_by_role("link", name="Version 1").click()
    page.wait_for_url("**/published/1/")
    expect(page.locator("h1")).to_have_text("Overview")
    expect(page.get_by_text(WORKFORCE)).to_be_visible()
    assert " on " in page.locator(".dated").first.inner_text()
    assert_accessible(page, "published version 1")

    public = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        reader = public.new_page()  # no cookie, no sign-in
        reader.goto(f"{server.url}/published/")
        expect(reader.locator("h1")).to_have_text("Published equality information")
        assert_accessible(reader, "published versions")
        reader.get_by_role("link", name="Equality information:").first.click()
        expect(reader.get_by_text(WORKFORCE)).to_be_visible()
        reader.reload()
        expect(reader.get_by_text(WORKFORCE)).to_be_visible()
        wide = reader.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"the public page is {wide} px wide on a phone"
        reader.goto(f"{server.url}/published/latest/eflg-developing/england/")
        expect(reader.get_by_text(WORKFORCE)).to_be_visible()
        screenshot(reader, "published-phone")
    finally:
        public.close()


def test_the_publish_page_fits_a_phone(server: StreamlitServer, page: Page) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.url}/publish?plan=eflg-developing&nation=wales")
    wait_for_app(page)
    expect(
        page.get_by_role("heading", name="Publish equality information", level=1)
    ).to_be_visible()
    no_sideways_scroll(page)
    screenshot(page, "publish-page-phone")
