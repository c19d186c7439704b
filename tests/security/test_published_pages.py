"""Attacks on the public path /published/ (dashboard/ui/published.py), served with no sign-in:
it must show published versions only, exactly as kept, and nothing else of the server, whatever
the address or the words an equality lead (or someone who took over their account) wrote."""

from collections.abc import Iterator
from datetime import date

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dashboard.reads import publication as reads
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.rules.publication import Nation
from dashboard.ui import server
from dashboard.writes.publication import DraftWords, publish, save_draft
from models import Issue, Plan

PLAN = "eflg-developing"
HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>\n\n=HYPERLINK("http://x")'
REASONS = {"employees": "Fewer than 150 staff."}


@pytest.fixture
def client(
    engine: Engine, seeded: Session, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """The server's own routes and middleware (host check, security headers, script tags) on
    the test database, as `streamlit run` serves them."""
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_resource.clear()
    app = Starlette(routes=server.ROUTES, middleware=server.middleware(("testserver",), None))
    with TestClient(app) as running:
        yield running
    st.cache_resource.clear()


def _plan_id(session: Session) -> int:
    found = session.exec(select(Plan.id).where(Plan.slug == PLAN)).one()
    assert found is not None
    return found


def _publish(session: Session, narrative: dict[str, str]) -> int:
    before = reads.draft(session, _plan_id(session), Nation.ENGLAND)
    words = DraftWords(narrative, REASONS, None, None, False)
    seen = before.at if before else None
    draft = save_draft(session, COMMAND_LINE_ADMIN, _plan_id(session), Nation.ENGLAND, words, seen)
    today = date(2026, 12, 3)
    choices = reads.choices_from_draft(draft, Nation.ENGLAND, None, today, 30)
    row = publish(session, reads.gather(session, PLAN, choices, None, today), COMMAND_LINE_ADMIN)
    assert row.id is not None
    return row.id


def test_a_draft_is_never_served(client: TestClient, seeded: Session) -> None:
    words = DraftWords({"Introduction": "Not yet public."}, {}, None, None, False)
    save_draft(seeded, COMMAND_LINE_ADMIN, _plan_id(seeded), Nation.ENGLAND, words, None)
    listing = client.get("/published/")
    assert listing.status_code == 200 and "Nothing has been published yet." in listing.text
    assert "Not yet public" not in listing.text
    missing = client.get("/published/1/")
    assert missing.status_code == 404 and "no published equality information" in missing.text


def test_hostile_words_are_shown_as_words_and_no_script_is_added(
    client: TestClient, seeded: Session
) -> None:
    number = _publish(seeded, {"Introduction": HOSTILE})
    page = client.get(f"/published/{number}/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<script" not in page.text and "<img" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    data = client.get(f"/published/{number}/actions.csv")
    assert data.headers["content-type"].startswith("text/csv")
    assert "\n=" not in data.text and ",=" not in data.text


@pytest.mark.parametrize(
    "address",
    [
        "/published/1/../../../etc/passwd",
        "/published/1/%2e%2e/%2e%2e/pyproject.toml",
        "/published/1/index.html%00.pdf",
        "/published/1/.env",
        "/published/-1/",
        "/published/99999999999999999999999/",
        "/published/1/index.html/",
        "/published/latest/eflg-developing/atlantis/",
        "/published/latest/..%2f..%2f/england/",
    ],
)
def test_no_address_reaches_anything_but_a_published_file(
    client: TestClient, seeded: Session, address: str
) -> None:
    _publish(seeded, {"Introduction": "Published words."})
    answer = client.get(address)  # a redirect is followed: it must end on a published file
    assert answer.status_code in (404, 200), answer.status_code
    if answer.status_code == 200:
        assert answer.url.path.startswith("/published/1/")
        assert "Published words." in answer.text or answer.url.path.endswith(".html")
    assert "Traceback" not in answer.text and "[tool" not in answer.text


def test_the_public_path_only_reads(client: TestClient, seeded: Session) -> None:
    number = _publish(seeded, {"Introduction": "Published words."})
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert client.request(method, f"/published/{number}/").status_code == 405


def test_a_later_edit_of_the_plan_changes_nothing_served(
    client: TestClient, seeded: Session
) -> None:
    first = _publish(seeded, {"Introduction": "First words."})
    before = client.get(f"/published/{first}/objectives.html").content
    issue = seeded.exec(select(Issue).where(Issue.ref == "1.1")).first()
    assert issue is not None
    issue.text = "Reworded after publication"
    seeded.add(issue)
    seeded.commit()
    assert client.get(f"/published/{first}/objectives.html").content == before
    second = _publish(seeded, {"Introduction": "Second words."})
    latest = client.get(f"/published/latest/{PLAN}/england/", follow_redirects=False)
    assert latest.status_code == 307 and latest.headers["location"] == f"/published/{second}/"
    assert (
        b"Reworded after publication" in client.get(f"/published/{second}/objectives.html").content
    )
    listing = client.get("/published/").text
    assert listing.index(f"href='{second}/'") < listing.index(f"href='{first}/'")
