"""An equality lead loads test criteria on the command line, records a self-assessment in the
browser judging them Met with evidence, and the readiness table's criteria-met figure changes."""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .browser import ROOT, StreamlitServer
from .conftest import download_file, screenshot, wait_for_app

KNOWING = "Knowing your community and equality mapping"
CRITERIA = f"""framework,theme,level,ref,criterion,guidance
eflg-2009,{KNOWING},Developing,K1,Test criterion one,Test guidance
eflg-2009,{KNOWING},Developing,K2,Test criterion two,
"""


def _cli(url: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=ROOT, env={**os.environ, "EFLG_DATABASE_URL": url},
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    return done.stdout


@pytest.fixture(scope="module")
def levels_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    """A seeded database with two test criteria loaded through the command line."""
    folder = tmp_path_factory.mktemp("levels")
    url = f"sqlite:///{folder / 'eflg.db'}"
    _cli(url, "seed")
    criteria = folder / "criteria.csv"
    criteria.write_text(CRITERIA, encoding="utf-8")
    assert "2 new" in _cli(url, "criteria", "import", str(criteria))
    running = StreamlitServer(url, extra_env={"EFLG_EVIDENCE_DIR": str(folder / "evidence")})
    yield running
    running.stop()


def _first_theme_row(page: Page):
    return page.get_by_role("row").filter(has_text=f"1. {KNOWING}").first


def test_recording_a_self_assessment_changes_readiness(
    levels_server: StreamlitServer, page: Page, tmp_path: Path
) -> None:
    page.goto(f"{levels_server.url}/readiness")
    expect(page.get_by_role("heading", name="Readiness for a level", level=1)).to_be_visible()
    wait_for_app(page)
    expect(_first_theme_row(page)).to_contain_text("0 of 2")
    expect(_first_theme_row(page)).to_contain_text("Criteria without evidence: K1, K2")

    page.get_by_role("link", name="Self-assessment").click()
    expect(page.get_by_role("heading", name="Self-assessment", level=1)).to_be_visible()
    wait_for_app(page)
    expect(
        page.get_by_text("No self-assessment has been recorded for this theme yet.")
    ).to_be_visible()
    page.get_by_role("textbox", name="Narrative").fill(
        "We keep a ward-level profile of our communities."
    )
    page.get_by_role("combobox", name="Level claimed").click()
    page.get_by_role("option", name="Developing").click()
    for ref in ("K1", "K2"):
        page.get_by_role("radiogroup", name=f"Judgement on {ref}").get_by_text(
            "Met", exact=True
        ).click()
        page.get_by_role("textbox", name=f"Evidence for {ref}").fill(
            f"https://example.org/{ref.lower()}"
        )
    page.get_by_role("button", name="Save self-assessment").click()
    expect(page.get_by_text("Saved the self-assessment of Knowing your community")).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_text("Level claimed: Developing.").first).to_be_visible()
    screenshot(page, "self-assessment")

    saved = tmp_path / "pack.pdf"
    download_file(page, "Download the pack (PDF)", saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="Readiness").click()
    expect(page.get_by_role("heading", name="Readiness for a level", level=1)).to_be_visible()
    wait_for_app(page)
    expect(_first_theme_row(page)).to_contain_text("2 of 2")
    expect(_first_theme_row(page)).not_to_contain_text("Criteria without evidence")
    screenshot(page, "readiness")


def test_a_criteria_file_with_mistakes_is_refused_with_row_errors(
    levels_server: StreamlitServer, page: Page, tmp_path: Path
) -> None:
    bad = tmp_path / "criteria.csv"
    bad.write_text(
        "framework,theme,level,ref,criterion,guidance\n"
        f"eflg-2009,{KNOWING},Brilliant,K9,Test criterion nine,\n",
        encoding="utf-8",
    )
    page.goto(f"{levels_server.url}/criteria")
    expect(page.get_by_role("heading", name="Level criteria", level=1)).to_be_visible()
    wait_for_app(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(bad))
    page.get_by_role("button", name="Check and load criteria").click()
    expect(page.get_by_text("No criteria were loaded: 1 problem found.")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Brilliant")
    expect(row).to_contain_text("must be Developing, Achieving or Excellent")
    expect(page.get_by_role("cell", name="Test criterion one")).to_be_visible()  # unchanged
