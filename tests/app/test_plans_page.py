"""The first screen lists every plan with its themes and issue counts."""

from collections.abc import Callable

from streamlit.testing.v1 import AppTest


def test_first_screen_lists_seeded_plans(app: Callable[..., AppTest]) -> None:
    at = app("plans")
    assert at.title[0].value == "Equality action plans"
    headers = [h.value for h in at.header]
    assert headers[0] == "EFLG Developing level action plan"
    assert "Race Equality Scheme action plan 2008–11" in headers
    assert len(headers) == 4
    text = " ".join(m.value for m in at.markdown)
    assert "5 themes or sections, 32 issues" in text
    eflg_table = at.table[0].value
    assert list(eflg_table["Issues"]) == [5, 10, 3, 9, 5]
    assert "COMMUNITY ENGAGEMENT AND SATISFACTION" in list(eflg_table["Theme or section"])
    assert not at.error
