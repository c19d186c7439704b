"""`widgets.table` and `widgets.section` with sorting and downloads, as another page calls them."""

from streamlit.testing.v1 import AppTest

from tests.app.tables import tables


def _page() -> None:
    import pandas as pd

    from dashboard.ui import widgets

    frame = pd.DataFrame(
        {"Theme": ["Leadership", "Access", "Data"], "% complete": ["9%", "100%", "33%"]}
    )
    widgets.section(
        "Progress by theme", caption="Furthest behind first", table=frame, name="themes",
        sortable=True, download=True,
    )  # fmt: skip
    widgets.table(frame, name="plain", download=True)


def test_a_section_sorts_by_percentage_and_offers_its_table_as_files() -> None:
    at = AppTest.from_function(_page, default_timeout=30)
    at.query_params["themes_sort"] = "complete"
    at.query_params["themes_order"] = "desc"
    at.run()
    assert not at.exception, at.exception
    sorted_table, plain = tables(at)
    assert list(sorted_table["Theme"]) == ["Access", "Data", "Leadership"]  # 100%, 33%, 9%
    assert list(plain["Theme"]) == ["Leadership", "Access", "Data"]  # as listed
    next(s for s in at.selectbox if s.key == "order_themes").select("asc").run()
    assert at.query_params["themes_order"] == "asc"
    assert list(tables(at)[0]["Theme"]) == ["Leadership", "Data", "Access"]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download this table (CSV)", "Download this table (Excel)"] * 2
