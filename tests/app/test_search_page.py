"""Find an issue: the words are kept in the address (?q=…), the count is said in words, and
every result's ref and text open the issue's own page."""

import re
from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from dashboard.rules.search import MAX_QUERY_LENGTH
from tests.app.tables import tables

LINK = re.compile(r'<a href="issue\?issue=(\d+)" target="_self">([^<]*)</a>')


def _search(app: Callable[..., AppTest], words: str) -> AppTest:
    at = app("search")
    at.text_input(key="text_q").input(words).run()
    assert not at.exception, at.exception
    return at


def _said(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_a_ref_is_found_in_every_plan_and_each_result_links_to_its_issue(
    app: Callable[..., AppTest],
) -> None:
    at = _search(app, "1.1")
    assert at.query_params["q"] == "1.1"  # kept in the address, to share or bookmark
    found = tables(at)[0]
    assert set(found["Ref"][found["Found in"] == "Its ref"]) == {"1.1"}
    assert found["Found in"].iloc[0] == "Its ref"
    count = len(found)
    assert re.search(rf"\b{count} issues match “1\.1”\.", _said(at))
    links = LINK.findall(next(b.value for b in at.html if "<table" in b.value))
    assert len(links) == 2 * count  # the ref and the text of each row
    assert {text for _, text in links[::2]} == set(found["Ref"])


def test_an_address_with_words_opens_the_search_and_one_result_is_said_singular(
    app: Callable[..., AppTest],
) -> None:
    at = _search(app, "1.1")
    first = tables(at)[0]["Issue"].iloc[0]
    words = " ".join(first.split()[:6])
    at = app("search")
    at.query_params["q"] = words  # a shared address, or Back to an earlier search
    at.run()
    assert at.text_input(key="text_q").value == words
    shown = tables(at)[0]
    assert first in list(shown["Issue"])
    said = _said(at)
    if len(shown) == 1:
        assert f"1 issue matches “{words}”." in said
    else:
        assert f"{len(shown)} issues match “{words}”." in said


def test_no_match_says_so_with_a_hint_and_a_long_search_is_refused_plainly(
    app: Callable[..., AppTest],
) -> None:
    at = _search(app, "zzqx nothing like this")
    assert "No issue matches “zzqx nothing like this”." in _said(at)
    assert "Try fewer words" in " ".join(c.value for c in at.caption)
    assert tables(at) == []
    at = _search(app, "x" * (MAX_QUERY_LENGTH + 50))
    assert at.error and f"at most {MAX_QUERY_LENGTH} characters" in at.error[0].value
    assert tables(at) == []


def test_the_search_page_is_in_the_menu_and_starts_empty(app: Callable[..., AppTest]) -> None:
    at = app("search")
    assert at.title[0].value == "Find an issue"
    assert "ref (such as 4.2)" in _said(at)
    assert tables(at) == []
