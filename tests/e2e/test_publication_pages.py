"""The folder `publish build` writes, opened as the public opens it: every page of every seed plan
for every nation in Chromium, axe-core finds no WCAG 2.2 AA violation, the keyboard alone reaches
every link, and at 320 CSS px nothing is wider than the screen."""

from pathlib import Path

import pytest
from playwright.sync_api import Page

from dashboard.cli.main import main
from dashboard.reports.publication.site import PAGES
from dashboard.rules.publication import Nation

from .conftest import screenshot
from .test_views import assert_accessible

SLUGS = [
    "eflg-developing",
    "race-equality-scheme-2008-11",
    "corporate-equalities-strategy",
    "childrens-services-equality-strategy",
]


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, Nation], Path]:
    root = tmp_path_factory.mktemp("published")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EFLG_DATABASE_URL", f"sqlite:///{root / 'eflg.db'}")
        assert main(["seed"]) == 0
        built = {}
        for slug in SLUGS:
            for nation in Nation:
                out = root / slug / nation.value
                assert main(["publish", "build", "--plan", slug, "--nation", nation.value,
                             "--out", str(out)]) == 0  # fmt: skip
                built[slug, nation] = out
    return built


def _tab_through(page: Page) -> set[str]:
    """Every link the Tab key reaches, from the top of the page to the end."""
    reached: set[str] = set()
    page.keyboard.press("Tab")
    for _ in range(200):
        href = page.evaluate(
            "document.activeElement && document.activeElement.getAttribute('href')"
        )
        if href is None:
            break
        if href in reached and href != "#main":
            break
        reached.add(href)
        page.keyboard.press("Tab")
    return reached


@pytest.mark.e2e
def test_every_published_page_passes_axe_and_the_keyboard_reaches_every_link(
    folders: dict[tuple[str, Nation], Path], page: Page
) -> None:
    for (slug, nation), folder in folders.items():
        for name, heading in PAGES:
            page.goto((folder / name).as_uri())
            assert page.locator("h1").inner_text() == heading
            assert " on " in page.locator(".dated").first.inner_text()
            assert_accessible(page, f"{slug} {nation.value} {name}")
            links = set(
                page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
            )
            assert _tab_through(page) >= links, f"{slug} {nation.value} {name}"
    screenshot(page, "published-objectives")


@pytest.mark.e2e
def test_published_pages_reflow_at_320_pixels(
    folders: dict[tuple[str, Nation], Path], page: Page
) -> None:
    page.set_viewport_size({"width": 320, "height": 800})
    folder = folders[SLUGS[0], Nation.ENGLAND]
    for name, _ in PAGES:
        page.goto((folder / name).as_uri())
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 320, f"{name} is {wide} px wide at 320 px"
    page.goto((folder / "objectives.html").as_uri())
    labels = page.eval_on_selector_all(  # each cell says its column before its value
        "tbody tr:first-child td", "els => els.map(e => getComputedStyle(e, '::before').content)"
    )
    assert '"Status: "' in labels[3] or "Status" in labels[3], labels
    screenshot(page, "published-objectives-phone")


@pytest.mark.e2e
def test_the_readme_screenshot(folders: dict[tuple[str, Nation], Path], page: Page) -> None:
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto((folders[SLUGS[0], Nation.ENGLAND] / "objectives.html").as_uri())
    page.screenshot(path=str(Path(__file__).parents[2] / "docs" / "published-page.png"))
