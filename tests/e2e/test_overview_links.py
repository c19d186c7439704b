"""The overview's first screen at 1280×800 and 390×844, as a CMT member signed in sees it, says
what is furthest behind without scrolling, and every row on the Overview, Themes and Services
leads to the right page."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database
from dashboard.writes.accounts import add_user
from dashboard.writes.updates import record_status_change

from .conftest import StreamlitServer, screenshot, wait_for_app
from .test_views import assert_accessible

EFLG = "eflg-developing"
DOCS = Path(__file__).resolve().parents[2] / "docs"
THEMES = "% complete by theme, furthest behind first"
SERVICES = "Lead services furthest behind"
# Some progress, so the themes are not all level: 1 at 40%, 3 at 33%, 4 at 11%, 2 and 5 at 0%.
DONE = ["1.1", "1.2", "3.1", "4.2"]
PASSWORD = "correct horse battery"
CMT = "cmt@council.gov.uk"  # a viewer: the Corporate Management Team member the overview is for
LEAD = "lead@council.gov.uk"  # the equality lead, who may update any issue


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    url = f"sqlite:///{tmp_path_factory.mktemp('overview') / 'eflg.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
        for ref in DONE:
            found = issue_id_by_ref(session, EFLG, ref)
            assert found is not None
            record_status_change(
                session=session,
                actor=COMMAND_LINE_ADMIN,
                issue_id=found[0],
                status="Complete",
                note="Done",
                expected_version=found[1],
            )
        for email, role in ((CMT, "viewer"), (LEAD, "admin")):
            add_user(session=session, actor=COMMAND_LINE_ADMIN, email=email, role=role,
                     password=PASSWORD)  # fmt: skip
    engine.dispose()
    running = StreamlitServer(url)
    yield running
    running.stop()


def within_screen(page: Page, element: Locator) -> None:
    """The element is drawn wholly inside the first screen (nothing scrolled)."""
    viewport = page.viewport_size
    assert viewport is not None
    box = element.bounding_box()
    assert box is not None, element
    assert box["y"] >= 0 and box["x"] >= 0, box
    assert box["y"] + box["height"] <= viewport["height"], (box, viewport)
    assert box["x"] + box["width"] <= viewport["width"], (box, viewport)


def open_overview(
    page: Page, server: StreamlitServer, width: int, height: int, email: str = CMT
) -> None:
    """The overview at that size, signed in as `email` (first signing in, when not yet)."""
    page.set_viewport_size({"width": width, "height": height})
    page.goto(server.url)
    wait_for_app(page)
    title = page.locator("[data-testid=stMain] h1").first
    expect(title).to_have_text(re.compile("^(Sign in|Progress at a glance)$"))
    if title.inner_text() == "Sign in":
        page.get_by_label("E-mail address").fill(email)
        page.get_by_role("textbox", name="Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Progress at a glance")).to_be_visible()
        wait_for_app(page)
    expect(page.get_by_role("list", name=THEMES)).to_be_visible()
    scrolled = page.evaluate(
        "() => [window.scrollY, document.querySelector('[data-testid=stMain]').scrollTop]"
    )
    assert scrolled == [0, 0]


@pytest.mark.e2e
def test_the_desktop_first_screen_says_what_is_behind(server: StreamlitServer, page: Page) -> None:
    open_overview(page, server, 1280, 800)
    sentence = page.locator("p.eflg-lead")
    expect(sentence).to_have_text(
        "Furthest behind: Place shaping, leadership, partnership and organisational commitment "
        "(0%) and Corporate Management Team (0 of 6 done)"
    )
    within_screen(page, sentence)
    themes = page.get_by_role("list", name=THEMES).get_by_role("link")
    expect(themes).to_have_count(5)
    for n in range(5):
        within_screen(page, themes.nth(n))
    shown = [int(t.rstrip("%")) for t in themes.locator(".eflg-bar-figure").all_inner_texts()]
    assert shown == [0, 0, 11, 33, 40]  # furthest behind first
    expect(themes.nth(4)).to_contain_text("Knowing your community and equality mapping")
    expect(themes.nth(4)).to_contain_text("2 of 5 done · 3 not started")  # in words, not colour
    services = page.get_by_role("list", name=SERVICES).get_by_role("link")
    expect(services).to_have_count(5)
    for n in range(5):
        within_screen(page, services.nth(n))
    expect(services.first).to_contain_text("Corporate Management Team")
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "overview-desktop.png"))  # the first screen, as seen
    assert_accessible(page, "Overview (1280×800)")


@pytest.mark.e2e
def test_the_phone_first_screen_says_what_is_behind(server: StreamlitServer, page: Page) -> None:
    open_overview(page, server, 390, 844)
    sentence = page.locator("p.eflg-lead")
    expect(sentence).to_contain_text("(0%) and Corporate Management Team (0 of 6 done)")
    DOCS.mkdir(exist_ok=True)
    page.screenshot(path=str(DOCS / "overview-phone.png"))  # the first screen, as seen
    within_screen(page, sentence)  # the theme and service furthest behind, with their figures
    within_screen(page, page.get_by_text("Showing EFLG Developing level action plan"))
    for figure in page.get_by_role("definition").all():  # the headline figures
        within_screen(page, figure)
    themes = page.get_by_role("list", name=THEMES).get_by_role("link")
    expect(themes).to_have_count(5)
    for n in range(5):  # and every theme's bar, furthest behind first: the filters are folded
        within_screen(page, themes.nth(n))
    shown = [int(t.rstrip("%")) for t in themes.locator(".eflg-bar-figure").all_inner_texts()]
    assert shown == [0, 0, 11, 33, 40]
    screenshot(page, "overview-phone-full")  # the whole page, as a test artefact
    assert_accessible(page, "Overview (390×844)")


def follow(page: Page, link: Locator, heading: str | re.Pattern[str]) -> None:
    """Click a link and land on the page it names, the page's own heading showing."""
    link.click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()


@pytest.mark.e2e
@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_every_row_leads_to_its_page(
    server: StreamlitServer, page: Page, width: int, height: int
) -> None:
    open_overview(page, server, width, height, LEAD)
    themes = page.get_by_role("list", name=THEMES).get_by_role("link")
    follow(
        page, themes.first, "Place shaping, leadership, partnership and organisational commitment"
    )
    assert re.search(rf"/themes\?plan={EFLG}&theme=\d+$", page.url), page.url
    expect(page.get_by_role("heading", name="Themes", level=1)).to_be_visible()

    # On Themes, every issue row is a link to that issue.
    rows = page.locator("table.eflg-table tbody tr")
    expect(rows).to_have_count(10)
    for n in range(rows.count()):
        expect(rows.nth(n).get_by_role("link").first).to_have_attribute(
            "href", re.compile(r"^issue\?issue=\d+$")
        )
    follow(page, rows.nth(8).get_by_role("link").first, "Issue 2.9")
    leads = page.locator("table.eflg-table").nth(1)
    expect(leads.get_by_role("link", name="Improvement and Efficiency Officer")).to_be_visible()
    expect(page.get_by_role("link", name="Update this issue")).to_have_attribute(
        "href", re.compile(r"^my_issues\?issue=\d+$")
    )
    follow(page, leads.get_by_role("link", name="Improvement and Efficiency Officer"),
           "Improvement and Efficiency Officer")  # fmt: skip
    assert "/services?lead=" in page.url

    # On Services, every issue row is a link; one opens its issue.
    rows = page.locator("table.eflg-table tbody tr")
    expect(rows.first).to_be_visible()
    for n in range(rows.count()):
        expect(rows.nth(n).get_by_role("link").first).to_have_attribute(
            "href", re.compile(r"^issue\?issue=\d+$")
        )
    follow(page, rows.first.get_by_role("link").first, re.compile(r"^Issue \d"))

    # Back on the overview: a service's bar, and an issue in the recent changes.
    open_overview(page, server, width, height)
    services = page.get_by_role("list", name=SERVICES).get_by_role("link")
    follow(page, services.first, "Corporate Management Team")
    assert "/services?lead=" in page.url
    open_overview(page, server, width, height)
    changes = page.locator("table.eflg-table").last
    expect(changes.locator("tbody tr")).to_have_count(len(DONE))
    for n in range(len(DONE)):
        expect(changes.locator("tbody tr").nth(n).get_by_role("link")).to_have_count(1)
    follow(page, changes.get_by_role("link").first, "Issue 4.2")


@pytest.mark.e2e
def test_the_overview_tables_open_inside_their_folds_with_every_row_a_link(
    server: StreamlitServer, page: Page
) -> None:
    open_overview(page, server, 1280, 800)
    folds = page.get_by_test_id("stExpander")
    themes = folds.filter(has_text="Show as a table")
    services = folds.filter(has_text="lead services as a table")
    for fold in (themes, services):  # closed, a fold holds no table yet
        expect(fold.locator("table")).to_have_count(0)
    for fold, rows in ((themes, 5), (services, 11)):
        fold.locator("summary").click()
        table = fold.locator("table.eflg-table")
        expect(table.locator("tbody tr")).to_have_count(rows)
        for n in range(rows):  # every row leads to its theme or service
            expect(table.locator("tbody tr").nth(n).get_by_role("link")).to_have_count(1)
        expect(fold.get_by_role("button", name="Download this table (CSV)")).to_be_visible()
        # in a column a third of the screen wide, each row is a card: nothing runs out of the
        # fold and over what is beside it
        outer, inner = fold.bounding_box(), table.bounding_box()
        assert outer is not None and inner is not None
        assert inner["x"] + inner["width"] <= outer["x"] + outer["width"], (inner, outer)
    screenshot(page, "overview-tables-open")
    assert_accessible(page, "Overview, both tables open")
