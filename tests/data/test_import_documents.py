"""A council's plan as a Word document or a PDF imports as it is: seed 002 as the council's Word
document (a heading and a table per theme), seed 003 as a ruled PDF table crossing pages with its
header repeated. The files are tests/data/documents/ (made by make_documents.py there)."""

from pathlib import Path

from sqlmodel import Session

from dashboard.rules.timescale import parse_timescale
from tests import fixtures_import as fx
from tests.data.test_import_layouts import STAFFORDSHIRE, UNNAMED_002, _import, _issues

DOCUMENTS = Path(__file__).resolve().parent / "documents"


def test_seed_002_word_document_imports_its_themes_issues_and_leads(seeded: Session) -> None:
    data = (DOCUMENTS / "seed002_developing_action_plan.docx").read_bytes()
    result = _import(seeded, data, "Developing action plan.docx", organisation=UNNAMED_002)
    assert result.plan_title == (
        "Equalities Framework for Local Government – Developing level – Action plan"
    )  # the title paragraph above the first table
    assert result.new_leads == []
    got = _issues(seeded, str(result.plan_slug))
    seed = fx.seed_plan("1-eflg-developing")
    expected = {
        issue["ref"]: (section["heading"], issue["text"], issue["leads"])
        for section in seed["sections"]
        for issue in section["issues"]
    }
    assert len(got) == 32
    assert {ref: (g["theme"], g["text"], g["leads"]) for ref, g in got.items()} == expected
    themes = [g["theme"] for g in got.values()]
    counts = [themes.count(s["heading"]) for s in seed["sections"]]
    assert counts == [5, 10, 3, 9, 5]


def test_seed_003_pdf_imports_its_activities_sections_timescales_and_leads(
    seeded: Session,
) -> None:
    data = (DOCUMENTS / "res_action_plan_2008_11.pdf").read_bytes()
    result = _import(
        seeded,
        data,
        "RES action plan.pdf",
        organisation=STAFFORDSHIRE,
        new_plan_title="RES action plan (from the PDF)",
    )
    assert result.new_leads == []
    got = _issues(seeded, str(result.plan_slug))
    seed = fx.seed_plan("2-race-equality-scheme-2008-11")
    assert len(got) == 19
    for section in seed["sections"]:
        for issue in section["issues"]:
            mine = got[issue["ref"]]
            assert mine["theme"] == section["heading"], issue["ref"]
            assert mine["text"] == issue["text"], issue["ref"]
            assert mine["timescale"] == issue["timescale"], issue["ref"]
            assert mine["due"] == parse_timescale(issue["timescale"]).due
            assert mine["leads"] == issue["leads"], issue["ref"]
            assert mine["objective"] == issue["objective"], issue["ref"]
    # The table crossed two page breaks; the header repeated on each new page was skipped.
    assert got["2.3"]["theme"] == "Community & Staff Engagement"  # first row of page 2


def test_reimporting_the_word_document_changes_nothing(seeded: Session) -> None:
    data = (DOCUMENTS / "seed002_developing_action_plan.docx").read_bytes()
    first = _import(seeded, data, "plan.docx", organisation=UNNAMED_002)
    again = _import(seeded, data, "plan.docx", plan_slug=first.plan_slug)
    assert (len(again.new), len(again.updated), len(again.unchanged)) == (0, 0, 32)
