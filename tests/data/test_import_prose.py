"""The four real plans written as prose (no table) read into themes and actions as a person reads
them: each PDF through pdf_paragraphs and rows_from_paragraphs, then the usual layout reading,
checked against the hand-written expected files in tests/data/real_plans/.

Not checked here: `due` (read later from the timescale by rules/timescale.py), the split of a
lead cell into leads (rules/lead_names.py; the cell is checked to hold every expected lead) and
the characteristics (read later from the text). The end-to-end import through run_import needs
the Word and PDF reader (formats/documents.py) and is checked with it."""

import json
import re
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from dashboard.formats.blocks import pdf_paragraphs, rows_from_paragraphs
from dashboard.formats.headers import Field
from dashboard.formats.layout import Layout, SourceIssue, read_layout
from dashboard.formats.sheets import Row, Table
from dashboard.writes.import_plan import read_status

PLANS = Path(__file__).parent / "real_plans"
PROSE = (
    "causeway_coast_glens_equality_action_plan_2023_2027",
    "pembrokeshire_strategic_equality_plan_2024_28",
    "royal_berkshire_frs_values_culture_progress_2024",
    "nhs_england_equality_objectives_2024_26",
)


def _read(name: str) -> tuple[Layout, dict[str, Any]]:
    with pdfplumber.open(PLANS / f"{name}.pdf") as pdf:
        rows = rows_from_paragraphs(pdf_paragraphs(pdf))
    assert rows is not None, "no actions found"
    table = Table(None, (), tuple(Row(n, cells) for n, cells in enumerate(rows, start=1)))
    expected = json.loads((PLANS / f"{name}.expected.json").read_text(encoding="utf-8"))
    return read_layout(table, {}), expected


def _cell(issue: SourceIssue, which: Field) -> str | None:
    return issue.get(which) or None


def _as_printed(text: str | None) -> str | None:
    """A PDF's text layer keeps one space where the page had several (a web page printed to PDF
    collapses them), so two spaces in a transcribed paragraph are one in the PDF."""
    return re.sub(r" {2,}", " ", text) if text else text


@pytest.fixture(scope="module", params=PROSE)
def plan(request: pytest.FixtureRequest) -> tuple[Layout, dict[str, Any]]:
    return _read(request.param)


def test_every_action_is_read_and_nothing_else(plan: tuple[Layout, dict[str, Any]]) -> None:
    layout, expected = plan
    assert [i.get(Field.ISSUE) for i in layout.issues] == [e["text"] for e in expected["issues"]]
    assert layout.blank_action_rows == []
    assert layout.title_lines == [expected["title"]]


def test_refs_themes_and_objectives(plan: tuple[Layout, dict[str, Any]]) -> None:
    layout, expected = plan
    for issue, want in zip(layout.issues, expected["issues"], strict=True):
        assert _cell(issue, Field.REF) == want["ref"], want["text"][:40]
        assert issue.section == want["theme"], want["text"][:40]
        objective = _cell(issue, Field.OBJECTIVE) or issue.objective
        assert objective == want["objective"], want["text"][:40]


def test_leads_timescales_and_measures(plan: tuple[Layout, dict[str, Any]]) -> None:
    layout, expected = plan
    for issue, want in zip(layout.issues, expected["issues"], strict=True):
        leads = issue.get(Field.LEADS)
        assert bool(leads) == bool(want["leads"]), want["text"][:40]
        for lead in want["leads"]:
            assert lead in leads, (lead, leads)
        assert _cell(issue, Field.TIMESCALE) == want["timescale"], want["text"][:40]
        assert _cell(issue, Field.MEASURE) == want["measure"], want["text"][:40]


def test_status_and_progress(plan: tuple[Layout, dict[str, Any]]) -> None:
    layout, expected = plan
    for issue, want in zip(layout.issues, expected["issues"], strict=True):
        status = _cell(issue, Field.STATUS)
        assert (read_status(status) if status else None) == want["status"], want["text"][:40]
        assert _cell(issue, Field.NOTES) == _as_printed(want["progress"]), want["text"][:40]


def test_the_progress_report_leaves_out_its_running_header() -> None:
    """Royal Berkshire prints its report's name small at the top of every recommendation page;
    it is neither an action's text nor its objective, while the same words as the title stay."""
    with pdfplumber.open(PLANS / f"{PROSE[2]}.pdf") as pdf:
        texts = [p.text for p in pdf_paragraphs(pdf)]
    assert texts.count("Values and Culture in Fire and Rescue Services") == 1
    assert texts[0] == "Values and Culture in Fire and Rescue Services"
