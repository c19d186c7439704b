"""Markdown and HTML injection in a real browser (Debian's Chromium): the hostile database of
test_text_pages.py served by `streamlit run dashboard/app.py`, the main pages opened, and the
links and images the browser really draws counted. None may point to the attacker's site, no
script may run, and the hostile text must read exactly as it was typed."""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlmodel import Session

from dashboard.store.db import make_engine, migrate
from tests.e2e.browser import StreamlitServer
from tests.e2e.conftest import wait_for_app
from tests.security.test_text_pages import HOSTILE, hostile_database

# What the attacker's markup would draw: links and images to their site, their icon.
DRAWN = """() => ({
  links: document.querySelectorAll('a[href*="evil.example"]').length,
  images: document.querySelectorAll('img[src*="evil.example"], img[src="x"]').length,
  icons: [...document.querySelectorAll('[data-testid="stIconMaterial"], span[role="img"]')]
    .filter(e => e.textContent.includes('lock_open')).length,
  text: document.querySelector('[data-testid="stMain"]').innerText.replaceAll('\\u2060', ''),
})"""


AS_TYPED = """typed => document.querySelector('[data-testid="stMain"]').innerText
  .replaceAll('\\u2060', '').replace(/\\s+/g, ' ').includes(typed)"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StreamlitServer, dict]]:
    """The app on the hostile database, with no accounts (the local administrator sees every
    page, and each page can be opened at its own address)."""
    folder = tmp_path_factory.mktemp("browser")
    engine = make_engine(f"sqlite:///{folder / 'eflg.db'}")
    migrate(engine)
    with Session(engine, expire_on_commit=False) as session:
        where = hostile_database(session, folder / "evidence", accounts=False)
    engine.dispose()
    server = StreamlitServer(str(engine.url), {"EFLG_EVIDENCE_DIR": str(folder / "evidence")})
    yield server, where
    server.stop()


def test_no_link_image_or_script_of_the_attacker_is_drawn_on_the_main_pages(
    served: tuple[StreamlitServer, dict], page: Page
) -> None:
    server, where = served
    plan = f"plan={where['plan']}"
    addresses = [
        f"/?{plan}",
        f"/themes?{plan}",
        f"/services?lead={where['lead']}",
        "/plans",
        f"/issue?issue={where['first']}",
        f"/issue?issue={where['issue']}",
        f"/my_issues?lead={where['lead']}",
        f"/meetings?{plan}",
        f"/present?{plan}&slide=1",
        f"/readiness?{plan}",
        f"/self_assessment?{plan}&theme={where['theme']}",
        "/criteria",
    ]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    drawn: dict[str, dict] = {}
    not_as_typed = []
    for address in addresses:
        page.goto(server.url + address)
        wait_for_app(page)
        if address.startswith("/my_issues"):  # every card's forms and history, and the table
            cards = page.get_by_test_id("stExpander")
            for n in range(cards.count()):
                cards.nth(n).locator("summary").click()
                page.wait_for_timeout(300)  # (its run starts)
                wait_for_app(page)
        expect(page.get_by_text("evil.example").first).to_be_attached()
        try:  # the page may still be drawing its later sections: wait for the text as typed
            page.wait_for_function(AS_TYPED, arg=HOSTILE.split(" :material")[0], timeout=15_000)
        except PlaywrightTimeoutError:
            not_as_typed.append(address)
        seen = page.evaluate(DRAWN)
        drawn[address] = {k: seen[k] for k in ("links", "images", "icons")}
    assert drawn == {a: {"links": 0, "images": 0, "icons": 0} for a in addresses}
    assert dialogs == []
    assert not_as_typed == []
