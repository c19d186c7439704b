"""Meeting packs: PowerPoint, PDF and Excel built from one plan, read back as a person would."""

import io
import re
import subprocess
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pptx import Presentation
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.formats.headers import Field
from dashboard.formats.words import percent_label
from dashboard.reads import progress
from dashboard.reads.exports import export_rows
from dashboard.reads.issues import issue_id_by_ref
from dashboard.reports.packs.committee import pdf_bytes, pdf_html
from dashboard.reports.packs.gather import HIDDEN_PERSON, PackData, pack_data
from dashboard.reports.packs.powerpoint import pptx_bytes
from dashboard.reports.packs.slides import SLIDE_HEIGHT, slide_height, slides
from dashboard.reports.packs.workbook import xlsx_bytes
from dashboard.rules.permissions import COMMAND_LINE_ADMIN as ADMIN
from dashboard.writes import updates
from dashboard.writes.import_plan import ImportOptions, run_import
from dashboard.writes.meetings import record_meeting
from models import StatusChange

TODAY = date(2026, 6, 1)
PLAN = "eflg-developing"
FORMULA_NOTE = '=HYPERLINK("https://evil.example","Click")'


def _change(session: Session, ref: str, status: str, note: str) -> None:
    found = issue_id_by_ref(session, PLAN, ref)
    assert found is not None
    updates.record_status_change(
        session=session, actor=ADMIN, issue_id=found[0], status=status, note=note,
        expected_version=found[1],
    )  # fmt: skip


@pytest.fixture
def data(seeded: Session) -> PackData:
    """The EFLG plan after a CMT meeting and three updates, one note shaped like a formula."""
    _change(seeded, "1.1", "Complete", "Launched.")
    meeting = record_meeting(
        session=seeded, actor=ADMIN, body="Corporate Management Team", title="CMT update",
        held_on=TODAY, today=TODAY, amber_days=30,
    )  # fmt: skip
    _change(seeded, "2.1", "Complete", "Agreed.")
    _change(seeded, "3.1", "In progress", FORMULA_NOTE)
    plan_id = int(progress.plans(seeded).set_index("slug").loc[PLAN, "plan_id"])
    return pack_data(seeded, plan_id, meeting.id, TODAY, 30, hide_people=False)


def _text(shape: object) -> str:
    return shape.text_frame.text if getattr(shape, "has_text_frame", False) else ""


def test_the_powerpoint_has_a_slide_per_theme_with_its_numbers(data: PackData) -> None:
    deck = Presentation(io.BytesIO(pptx_bytes(data)))
    slides = list(deck.slides)
    themes = data.themes
    assert len(themes) == 5
    titles = [_text(s.shapes[0]) for s in slides]
    assert titles[1] == "Overall progress" and titles[-3:] == [
        "Since the last meeting", "Issues complete over time", "Overdue and risks",
    ]  # fmt: skip
    for theme in themes.itertuples():
        slide = slides[titles.index(theme.theme)]
        figures = {_text(shape).split("\n")[1]: _text(shape).split("\n")[0]
                   for shape in slide.shapes if _text(shape).count("\n") == 1}  # fmt: skip
        assert figures["Issues"] == str(theme.issues)
        assert figures["Complete"] == f"{theme.percent_complete}%"
        # the theme's slide and its continuations: a native table each, every issue not yet
        # done in one of them, each once
        own = [s for s, t in zip(slides, titles, strict=True)
               if t in (theme.theme, f"{theme.theme} (continued)")]  # fmt: skip
        tables = [shape.table for s in own for shape in s.shapes if shape.has_table]
        refs = [t.cell(r, 0).text for t in tables for r in range(1, len(t.rows))]
        issues = data.issues[data.issues["theme"] == theme.theme]
        still_open = issues[~issues["status"].isin(["Complete", "Embedded", "Not applicable"])]
        assert sorted(refs) == sorted(still_open["ref"])
        for s in own[:-1]:
            assert "Continued on the next slide." in map(_text, s.shapes)
    first_theme = slides[titles.index("Knowing your community and equality mapping")]
    assert "20%" in [_text(shape).split("\n")[0] for shape in first_theme.shapes]  # 1.1 of 5
    assert "1 issue complete: 1.1." in map(_text, first_theme.shapes)
    overall = slides[1]
    pictures = [shape for shape in overall.shapes if shape.shape_type == 13]
    assert len(pictures) == 1
    alt = pictures[0]._element.nvPicPr.cNvPr.get("descr")
    assert alt.startswith("Issues by status in each theme.")
    since = slides[titles.index("Since the last meeting")]
    since_figures = [_text(shape) for shape in since.shapes]
    assert "1\nNewly complete" in since_figures  # 2.1 (1.1 was done before the meeting)


def _long_texts(data: PackData, times: int) -> PackData:
    """The plan with every issue's words said `times` over, and long lead names."""
    issues = data.issues.assign(
        text=[" ".join([str(t)] * times) for t in data.issues["text"]],
        leads=[f"{lead} / Head of Neighbourhood and Community Engagement Services"
               for lead in data.issues["leads"]],
    )  # fmt: skip
    return replace(data, issues=issues)


@pytest.mark.parametrize("times", [1, 6])
def test_every_shape_of_the_powerpoint_stays_on_its_slide(data: PackData, times: int) -> None:
    """Long issues continue on more slides; not a table, picture or line runs off the bottom."""
    long = _long_texts(data, times)
    deck = Presentation(io.BytesIO(pptx_bytes(long)))
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.left + shape.width <= deck.slide_width, (number, shape.name)
            assert shape.top + shape.height <= deck.slide_height, (number, shape.name)
            if shape.has_table:  # its rows add up to the height the shape says
                assert sum(row.height for row in shape.table.rows) == shape.height
    if times > 1:
        assert len(deck.slides) > len(Presentation(io.BytesIO(pptx_bytes(data))).slides)


def test_no_issue_is_left_out_of_the_slides(data: PackData) -> None:
    """Every issue's ref is on a slide: the open ones in their theme's table, the done ones
    listed by ref; and every issue's words are there in full, however long."""
    long = _long_texts(data, 6)
    deck = slides(long)
    words = "\n".join(
        [*[line for s in deck for line in s.lines],
         *[cell for s in deck if s.table for row in s.table.rows for cell in row]]
    )  # fmt: skip
    for issue in long.issues.itertuples():
        assert re.search(rf"(^|[ ,:\n]){re.escape(issue.ref)}([.,\n]|$)", words), issue.ref
    for theme in long.themes.itertuples():
        own = [s for s in deck if s.title in (theme.theme, f"{theme.theme} (continued)")]
        cells = [row[1] for s in own if s.table for row in s.table.rows]
        joined = " ".join(cells).replace(" … … ", " ")
        issues = long.issues[long.issues["theme"] == theme.theme]
        still_open = ~issues["status"].isin(["Complete", "Embedded", "Not applicable"])
        for text in issues.loc[still_open, "text"]:
            assert " ".join(text.split()) in joined  # never cut short
        assert all(slide_height(s) <= SLIDE_HEIGHT for s in own)


def test_the_pdf_renders_and_has_every_themes_figures(data: PackData, tmp_path: Path) -> None:
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pdf_bytes(data))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "2", str(pdf), str(tmp_path / "page")],
        check=True,
    )
    assert sorted(p.name for p in tmp_path.glob("page-*.png")) == ["page-01.png", "page-02.png"]
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    words = " ".join(text.split())
    for theme in data.themes.itertuples():
        assert theme.theme in words
        pct = percent_label(theme.issues, theme.counted, theme.percent_complete)
        assert (
            f"{theme.issues} issues; {pct} complete; {theme.overdue} overdue; "
            f"{theme.amber} due soon and not started." in words
        )
    assert "Since the last meeting" in words and "From CMT update, 1 Jun 2026 to now." in words
    assert "Appendix: every issue" in words
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    assert re.search(r"Tagged:\s+yes", info.stdout)


def test_the_pdf_marks_up_headings_and_tables(data: PackData) -> None:
    document = pdf_html(data)
    assert document.count("<h1>") == 1
    assert "<h2>Summary</h2>" in document and "<h3>Newly complete</h3>" in document
    assert "<caption>Progress by theme</caption>" in document
    assert "<th scope='col'>Theme</th>" in document


def test_overdue_then_due_soon_in_the_same_order_on_the_slide_and_in_the_paper(
    seeded: Session,
) -> None:
    """Overdue issues first, then those due soon and not started, each soonest due first (plan
    order within a day): the risk slide and the committee paper list them alike."""
    plan_id = int(
        progress.plans(seeded).set_index("slug").loc["race-equality-scheme-2008-11", "plan_id"]
    )
    data = pack_data(seeded, plan_id, None, date(2008, 9, 15), 60, hide_people=False)
    risk_slides = [s for s in slides(data) if s.title.startswith("Overdue and risks")]
    on_slide = [(row[0], row[-1]) for s in risk_slides if s.table for row in s.table.rows]
    document = pdf_html(data)
    risk_table = document[document.index("<caption>Overdue issues") :].split("</table>")[0]
    in_paper = [
        (row[0], row[-1])
        for row in re.findall(r"<tr><td>([^<]*)</td>(?:<td>[^<]*</td>)*?<td>([^<]*)</td></tr>",
                              risk_table)
    ]  # fmt: skip
    red, amber = "▲ Red – overdue", "◆ Amber – due soon, not started"
    expected = [("2.3", red), ("3.2", red), ("5.1", red), ("2.1", red), ("1.1", red),
                ("1.4", amber), ("2.4", amber)]  # fmt: skip
    assert on_slide == expected
    assert in_paper == expected


def test_the_workbook_reimports_as_the_same_plan(
    data: PackData, seeded: Session, tmp_path: Path
) -> None:
    """The pack's Issues sheet, headed in words, imported back into its plan changes nothing:
    each heading is read as its field and the columns added for reading are left out."""
    book = tmp_path / "pack.xlsx"
    book.write_bytes(xlsx_bytes(data))
    assert load_workbook(book).sheetnames == [
        "Issues", "Summary", "Themes", "Services", "Since last meeting", "New progress notes",
    ]  # fmt: skip
    before = export_rows(seeded, PLAN)
    changes_before = len(seeded.exec(select(StatusChange)).all())
    result = run_import(
        seeded, book.read_bytes(), book.name, actor=ADMIN, options=ImportOptions(), dry_run=False
    )
    assert result.ok and result.applied, result.summary()
    assert not result.warnings, [str(w) for w in result.warnings]
    assert (len(result.new), len(result.updated), len(result.unchanged)) == (0, 0, 32)
    readings = {c.header: c.reading for c in result.columns}
    assert readings["Plan"] == Field.PLAN.value and readings["Issue"] == Field.ISSUE.value
    assert readings["Due date"] == Field.DUE_DATE.value
    assert readings["Due date precision"] == Field.DUE_PRECISION.value
    assert readings["How often"] == Field.RECURRENCE.value
    assert readings["Timescale as written"] == Field.TIMESCALE.value
    assert readings["RAG (council's rating)"] == Field.RAG.value
    assert {readings[h] for h in ("RAG (by dates)", "Latest progress note", "Last updated")} == {
        "Left out"
    }
    assert export_rows(seeded, PLAN) == before
    assert len(seeded.exec(select(StatusChange)).all()) == changes_before


def test_the_workbook_reads_as_a_person_would(data: PackData) -> None:
    """Headings in words, a filter row and frozen headings on every sheet, real numbers, dates
    and percentages, the two RAG ratings, the latest note and the last update of each issue."""
    book = load_workbook(io.BytesIO(xlsx_bytes(data)))
    for sheet in book:
        headings = [c.value for c in sheet[1]]
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, sheet.title
        assert not [h for h in headings if "_" in str(h) or str(h) != str(h).strip()], headings
        assert not [h for h in headings if str(h)[0].islower()], headings
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(8 <= w <= 60 for w in widths), (sheet.title, widths)
        texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        assert not {"None", "nan", "NaT", "<NA>"} & set(texts), sheet.title
        assert not [t for t in texts if re.fullmatch(r"\d+%", t)], sheet.title  # never "3%"
    headings = [c.value for c in book["Issues"][1]]
    issues = {
        row[2].value: dict(zip(headings, [c.value for c in row], strict=True))
        for row in book["Issues"].iter_rows(min_row=2)
    }
    assert len(issues) == 32
    assert issues["3.1"]["Latest progress note"] == "'" + FORMULA_NOTE
    assert (
        issues["2.1"]["Status"] == "Complete" and issues["2.1"]["Latest progress note"] == "Agreed."
    )
    assert isinstance(issues["2.1"]["Last updated"], datetime)
    assert issues["1.2"]["Last updated"] is None and issues["1.2"]["Latest progress note"] is None
    assert {i["RAG (by dates)"] for i in issues.values()} <= {
        "▲ Red – overdue", "◆ Amber – due soon, not started", "● Green – on track",
        "● Green – no due date", "✓ Complete", "– Not applicable",
    }  # fmt: skip
    themes = book["Themes"]
    first = [c for c in themes[2]]
    assert first[0].value == "Knowing your community and equality mapping"
    assert first[3].value == pytest.approx(0.2) and first[3].number_format == "0%"
    assert all(isinstance(c.value, int) for c in first[1:3])
    summary = {row[0].value: row[1] for row in book["Summary"].iter_rows(min_row=2)}
    complete = summary["Complete (Complete or Embedded)"]
    assert complete.number_format == "0%" and isinstance(complete.value, float)
    assert summary["Issues"].value == 32 and isinstance(summary["Figures as at"].value, datetime)
    services = [[c.value for c in row] for row in book["Services"].iter_rows(min_row=2)]
    assert services and all(isinstance(r[1], int) for r in services)
    notes = [[c.value for c in row] for row in book["New progress notes"].iter_rows(min_row=2)]
    assert [(r[0], r[2]) for r in notes] == [("2.1", "Agreed."), ("3.1", "'" + FORMULA_NOTE)]


def test_due_dates_are_dates_and_reimport_unchanged(seeded: Session, tmp_path: Path) -> None:
    """A plan with due dates: each is a real date in the workbook (23 Nov 2026 style), and the
    Issues sheet imported back changes none of them."""
    slug = "race-equality-scheme-2008-11"
    plan_id = int(progress.plans(seeded).set_index("slug").loc[slug, "plan_id"])
    data = pack_data(seeded, plan_id, None, TODAY, 30, hide_people=False)
    book = tmp_path / "pack.xlsx"
    book.write_bytes(xlsx_bytes(data))
    sheet = load_workbook(book)["Issues"]
    assert sheet["I1"].value == "Due date"
    dated = [c for c in sheet["I"][1:] if c.value is not None]
    assert dated and all(isinstance(c.value, datetime) for c in dated)
    assert {c.number_format for c in dated} == {"d mmm yyyy"}
    exported = {r["ref"]: r["due"] for r in export_rows(seeded, slug)}
    assert {str(sheet.cell(c.row, 3).value): c.value.date().isoformat() for c in dated} == {
        ref: due for ref, due in exported.items() if due
    }
    before = export_rows(seeded, slug)
    result = run_import(
        seeded, book.read_bytes(), book.name, actor=ADMIN, options=ImportOptions(), dry_run=False
    )
    assert result.ok and not result.warnings and not result.updated, result.summary()
    assert export_rows(seeded, slug) == before


MISSING_WORDS = re.compile(r"\b(?:None|nan|NaN|NaT)\b|<NA>")


def test_no_pack_shows_a_missing_value_as_a_word(seeded: Session) -> None:
    """Blank measures, issues never updated, no due date, no changes of a kind since a meeting:
    every pack of every seeded plan leaves the cell empty or says so in words, never "None",
    "nan" or "NaT"."""
    meeting = record_meeting(
        session=seeded, actor=ADMIN, body="Corporate Management Team", title="CMT update",
        held_on=TODAY, today=TODAY, amber_days=30,
    )  # fmt: skip
    _change(seeded, "1.1", "In progress", "Started.")
    for plan_id in progress.plans(seeded)["plan_id"]:
        for since in (None, meeting.id):
            data = pack_data(seeded, int(plan_id), since, TODAY, 30, hide_people=False)
            paper = re.sub(r"<[^>]+>", " ", pdf_html(data))
            deck = Presentation(io.BytesIO(pptx_bytes(data)))
            texts = [_text(shape) for slide in deck.slides for shape in slide.shapes]
            tables = [shape.table for slide in deck.slides for shape in slide.shapes
                      if shape.has_table]  # fmt: skip
            texts += [cell.text for table in tables for row in table.rows for cell in row.cells]
            book = load_workbook(io.BytesIO(xlsx_bytes(data)))
            texts += [str(c.value) for s in book for row in s.iter_rows() for c in row if c.value]
            found = MISSING_WORDS.findall(paper) + [t for t in texts if MISSING_WORDS.search(t)]
            assert not found, (data.plan_slug, since, found[:5])


def test_a_formula_like_note_is_neutralised(data: PackData) -> None:
    book = load_workbook(io.BytesIO(xlsx_bytes(data)))
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    texts = [v for v in cells if isinstance(v, str)]
    assert "'" + FORMULA_NOTE in texts
    assert not [v for v in texts if v.startswith(("=", "+", "-", "@"))]


def test_names_of_people_can_be_hidden(seeded: Session) -> None:
    plan_id = int(progress.plans(seeded).set_index("slug").loc[PLAN, "plan_id"])
    shown = pack_data(seeded, plan_id, None, TODAY, 30, hide_people=False)
    hidden = pack_data(seeded, plan_id, None, TODAY, 30, hide_people=True)
    assert "Mel Staton" in pdf_html(shown)
    document = pdf_html(hidden)
    assert "Mel Staton" not in document and HIDDEN_PERSON in document
    deck = Presentation(io.BytesIO(pptx_bytes(hidden)))
    every_text = [
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    assert not [t for t in every_text if "Mel Staton" in t]
    assert "Mel Staton" not in str(load_workbook(io.BytesIO(xlsx_bytes(hidden)))["Issues"])
    issues_sheet = load_workbook(io.BytesIO(xlsx_bytes(hidden)))["Issues"]
    assert not [c.value for row in issues_sheet.iter_rows() for c in row if c.value == "Mel Staton"]


def test_packs_from_the_command_line(
    data: PackData, engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    for kind in ("pptx", "pdf", "xlsx"):
        out = tmp_path / f"pack.{kind}"
        assert main(["pack", "--format", kind, "--out", str(out), "--plan", PLAN]) == 0
        assert out.stat().st_size > 1000
    assert main(["pack", "--format", "pdf", "--out", str(out), "--plan", "nope"]) == 2
    assert main(["pack", "--format", "pdf", "--out", str(out), "--since", "99"]) == 2
