"""An equality lead uploads a workbook, maps one column by hand, checks it, imports it and finds
the new plan on the "All plans" page."""

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.fixtures_import import unmapped_xlsx

from .conftest import StreamlitServer, screenshot, wait_for_app


def test_upload_map_preview_apply_and_see_the_plan(
    server: StreamlitServer, page: Page, tmp_path: Path
) -> None:
    workbook = tmp_path / "Newtown equality plan.xlsx"
    workbook.write_bytes(unmapped_xlsx())
    page.goto(f"{server.url}/import_plan")
    expect(page.get_by_role("heading", name="Import a plan")).to_be_visible()
    wait_for_app(page)

    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(workbook)
    expect(page.get_by_role("heading", name="Columns")).to_be_visible()
    wait_for_app(page)

    page.get_by_label("Title of the new plan").fill("Newtown equality plan 2026")
    page.get_by_label("Title of the new plan").press("Enter")
    wait_for_app(page)
    page.get_by_label("Organisation", exact=True).click()
    page.get_by_role("option", name="Another organisation…").click()
    wait_for_app(page)
    page.get_by_label("Name of the organisation").fill("Newtown Borough Council")
    page.get_by_label("Name of the organisation").press("Enter")
    wait_for_app(page)

    # "Whose job" is not a header anyone could guess: say by hand that it holds the lead.
    page.get_by_label("Column B: Whose job").click()
    page.keyboard.type("Lead")
    page.keyboard.press("Enter")
    wait_for_app(page)

    page.get_by_role("button", name="Check the file").click()
    wait_for_app(page)
    expect(page.get_by_text("Into a new plan Newtown equality plan 2026")).to_be_visible()
    expect(page.get_by_role("cell", name="Set up a disability forum")).to_be_visible()
    expect(page.get_by_text("New leads (3)")).to_be_visible()
    screenshot(page, "import-preview")

    page.get_by_role("button", name="Import 4 actions").click()
    wait_for_app(page)
    expect(page.get_by_text("Imported into 'Newtown equality plan 2026': 4 new")).to_be_visible()
    screenshot(page, "import-done")

    page.get_by_role("link", name="See all plans").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Newtown equality plan 2026")).to_be_visible()
    expect(
        page.get_by_text("Newtown Borough Council · 2 themes or sections, 4 issues")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Listening to residents")).to_be_visible()
