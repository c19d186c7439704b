"""A tiny run of the benchmark's browser section keeps it working (no timing assertions)."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from bench import sections


@pytest.mark.e2e
def test_bench_browser_section_gives_its_figures(browser: Browser, tmp_path: Path) -> None:
    figures = sections.browser_overview(
        url=f"sqlite:///{tmp_path / 'bench.db'}",
        scale="council",
        database="sqlite",
        runs=1,
        browser=browser,
    )
    by_name = {f.name: f for f in figures}
    chart = by_name["browser: overview charts drawn"]
    heading = by_name["browser: overview first heading"]
    assert chart.baseline and chart.baseline > 0 and chart.runs == 3
    assert 0 < heading.value <= chart.value  # the heading is on screen before the chart is drawn
    assert by_name["server peak memory"].value > 50  # a real Streamlit server, in MB
    as_big = by_name["browser: the hello-world page as big as the overview"]
    assert as_big.value > 0 and as_big.extra["elements drawn"] > 10  # the overview's, counted


@pytest.mark.e2e
def test_bench_first_page_and_save_sections_give_their_figures(
    browser: Browser, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'bench.db'}"
    first = sections.first_page(
        url=url, scale="council", database="sqlite", runs=1, browser=browser
    )
    save = sections.save_on_my_issues(
        url=url, scale="council", database="sqlite", runs=1, browser=browser
    )
    for figure in (*first, *save):
        assert figure.value > 0 and figure.baseline and figure.baseline > 0
    sections.judge([*first, *save])
    targeted = [figure for figure in (*first, *save) if figure.target]
    assert [figure.name for figure in targeted] == [
        "browser: first page after start",
        "browser: Save on My issues until Saved",
    ]
    assert all(figure.met is not None for figure in targeted)  # each judged against its target
    mine, as_big, in_page = save
    assert mine.extra["elements drawn"] > 10  # My issues after a save, counted
    assert abs(as_big.extra["elements drawn"] - mine.extra["elements drawn"]) <= 1  # as big
    # timed inside the page, from the click reaching it: less than Playwright's whole click
    assert 0 < in_page.value < mine.value and 0 < in_page.baseline < mine.baseline
