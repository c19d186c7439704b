"""Hostile searches on Find an issue: SQL injection, LIKE wildcards, 10,000 characters, NUL,
FTS query syntax and HTML/script. Each ends in a plain sentence or plain results (the words
shown exactly as typed, never as markup), and nothing in the database changes."""

from collections.abc import Callable

import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.reads.search import search_issues
from dashboard.reads.summaries import leads_by_issue
from dashboard.rules.search import SearchRefused, parse
from models import Issue, Lead, Plan, StatusChange
from tests.app.conftest import app  # noqa: F401  (the AppTest fixture)
from tests.app.tables import tables

HOSTILE = [
    "'; DROP TABLE issue; --",
    '" OR 1=1 --',
    "1.1' OR '1'='1",
    "%",
    "_",
    "%%%_%",
    "\\%",
    "NEAR(a b) OR * AND NOT",  # FTS5 query syntax
    '"unclosed',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](https://evil.example) **bold** :material/lock_open:",
]
REFUSED = ["x" * 10_000, "housing\x00", "\x00", "a\x1bb"]


def _counts(session: Session) -> list[int]:
    return [
        session.exec(select(func.count()).select_from(m)).one()
        for m in (Issue, Lead, Plan, StatusChange)
    ]


def _truly_matching(session: Session, query: str) -> set[int]:
    """The issues holding every word as typed (the literal characters), found in Python."""
    words = parse(query).words
    leads = leads_by_issue(session, list(session.exec(select(Issue.id)).all()))
    notes: dict[int, list[str]] = {}
    for issue_id, note in session.exec(select(StatusChange.issue_id, StatusChange.note)).all():
        notes.setdefault(issue_id, []).append((note or "").lower())
    found = set()
    for issue in session.exec(select(Issue)).all():
        assert issue.id is not None
        fields = [issue.text.lower()]
        fields += [name.lower() for name in leads.get(issue.id, [])]
        if all(
            w == issue.ref.lower()
            or any(w in f for f in fields)
            or (len(w) >= 3 and any(w in n for n in notes.get(issue.id, [])))
            for w in words
        ):
            found.add(issue.id)
    return found


@pytest.mark.parametrize("query", HOSTILE)
def test_a_hostile_search_finds_only_the_literal_words_and_changes_nothing(
    seeded: Session, query: str
) -> None:
    before = _counts(seeded)
    found = search_issues(seeded, query)
    truly = _truly_matching(seeded, query)
    assert len(truly) < seeded.exec(select(func.count()).select_from(Issue)).one()
    assert set(found["issue_id"]) == truly  # a wildcard or a quote matches nothing extra
    assert _counts(seeded) == before


@pytest.mark.parametrize("query", REFUSED, ids=["10000 characters", "NUL", "only NUL", "escape"])
def test_an_overlong_or_nul_search_is_refused_in_words(seeded: Session, query: str) -> None:
    before = _counts(seeded)
    with pytest.raises(SearchRefused) as refused:
        search_issues(seeded, query)
    assert "search" in str(refused.value)
    assert _counts(seeded) == before


@pytest.mark.parametrize("query", [*HOSTILE[:3], *HOSTILE[9:], "x" * 10_000, "a\x00b"])
def test_the_page_shows_a_hostile_search_as_plain_words(
    app: Callable[..., AppTest],  # noqa: F811
    query: str,
) -> None:
    at = app("search")
    at.text_input(key="text_q").input(query).run()
    assert not at.exception
    for block in at.html:  # the results table: every cell escaped, links only to issues
        assert "<script" not in block.value and "<img" not in block.value
        assert "evil.example" not in block.value
    shown = " ".join(m.value for m in at.markdown) + " ".join(e.value for e in at.error)
    assert "Traceback" not in shown
    if len(query) > 200 or "\x00" in query:
        assert at.error and "search" in at.error[0].value
    else:
        assert "match" in shown  # "No issue matches …" or a count
        assert all(len(t) > 0 for t in tables(at))
