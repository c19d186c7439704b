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
