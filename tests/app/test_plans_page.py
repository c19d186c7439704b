"""The first screen lists every plan with its themes and issue counts."""

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from tests.app.tables import tables


def test_first_screen_lists_seeded_plans(app: Callable[..., AppTest]) -> None:
    at = app("plans")
    assert at.title[0].value == "Equality action plans"
    headers = [h.value for h in at.header]
    assert headers[0] == "EFLG Developing level action plan"
    assert "Race Equality Scheme action plan 2008–11" in headers
    assert len(headers) == 4
    text = " ".join(m.value for m in at.markdown)
    assert "5 themes or sections, 32 issues" in text
    eflg_table = tables(at)[0]
    assert list(eflg_table["Issues"]) == [5, 10, 3, 9, 5]
    assert "COMMUNITY ENGAGEMENT AND SATISFACTION" in list(eflg_table["Theme or section"])
    markup = " ".join(h.proto.body for h in at.get("html"))
    assert 'href="themes?plan=eflg-developing&amp;theme=' in markup  # each theme opens its page
    assert not at.error


def test_many_plans_are_shown_a_page_at_a_time(app: Callable[..., AppTest], seeded) -> None:
    from dashboard.store.demo import load_demo

    load_demo(seeded, "county", progress=lambda _m: None)  # 40 more plans
    at = app("plans")
    assert len(at.header) == 10
    assert "Plans 1 to 10 of 44." in [c.value for c in at.caption]
    page = next(s for s in at.selectbox if s.label == "Page")
    page.select("3").run()
    assert "Plans 21 to 30 of 44." in [c.value for c in at.caption]
    assert at.query_params["page"] == "3"
    organisation = next(s for s in at.selectbox if s.label == "Organisation")
    organisation.select("Staffordshire County Council").run()
    assert [h.value for h in at.header] == ["Race Equality Scheme action plan 2008–11"]
