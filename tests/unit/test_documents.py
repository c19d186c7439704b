"""Word and PDF plans read as rows as a person reads the document: merged cells, several
paragraphs in a cell, a table inside a cell, headings between tables, and each row's place."""

import io

import pytest
from docx import Document

from dashboard.formats.headers import Field
from dashboard.formats.layout import read_layout
from dashboard.formats.sheets import ImportFileError, Problem, read_table
from tests.data.documents.make_documents import pdf_of


def _docx(build) -> bytes:  # type: ignore[no-untyped-def]
    document = Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _merged_plan(document) -> None:  # type: ignore[no-untyped-def]
    document.add_paragraph("Anyshire equality action plan", style="Title")
    table = document.add_table(rows=5, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Ref", "Action", "Lead"], strict=True):
        cell.text = text
    heading = table.cell(1, 0).merge(table.cell(1, 2))  # across the table: a section
    heading.text = "Knowing our communities"
    table.cell(2, 0).text = "1.1"
    action = table.cell(2, 1)
    action.text = "Publish ward profiles"
    action.add_paragraph("and a summary for councillors")  # a second paragraph in the cell
    table.cell(3, 0).text = "1.2"
    table.cell(3, 1).text = "Refresh the census analysis"
    lead = table.cell(2, 2).merge(table.cell(3, 2))  # down two rows: one lead for both
    lead.text = "Policy Team"
    table.cell(4, 0).text = "1.3"
    inner = table.cell(4, 1)
    inner.text = "Agree a protocol"
    nested = inner.add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "with health"
    nested.cell(0, 1).text = "and police"
    table.cell(4, 2).text = "Head of HR"
    table.cell(4, 2).add_paragraph("Communications")


def test_merged_cells_paragraphs_and_a_nested_table_read_as_the_document_shows() -> None:
    table = read_table(_docx(_merged_plan), "plan.docx")
    cells = [row.cells for row in table.rows]
    assert cells == [
        ("Anyshire equality action plan",),
        ("Ref", "Action", "Lead"),
        ("Knowing our communities",),  # merged across: once, in its first column
        ("1.1", "Publish ward profiles\nand a summary for councillors", "Policy Team"),
        ("1.2", "Refresh the census analysis", "Policy Team"),  # merged down: copied
        ("1.3", "Agree a protocol\nwith health and police", "Head of HR\nCommunications"),
    ]
    assert [table.places[row.number] for row in table.rows] == [
        "paragraph 1",
        "table 1, row 1",
        "table 1, row 2",
        "table 1, row 3",
        "table 1, row 4",
        "table 1, row 5",
    ]
    layout = read_layout(table, {})
    assert layout.title_lines == ["Anyshire equality action plan"]
    assert layout.sections == [("Knowing our communities", 3)]
    assert [i.get(Field.LEADS) for i in layout.issues] == [
        "Policy Team",
        "Policy Team",
        "Head of HR\nCommunications",
    ]


def test_headings_between_tables_are_sections_and_body_text_is_left_out() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("Workforce plan 2026", style="Title")
        document.add_paragraph("This plan sets out what we will do.")
        for theme, action in (("Recruitment", "Advertise widely"), ("Pay", "Publish the gap")):
            heading = document.add_paragraph()
            heading.add_run(theme).bold = True  # a short paragraph all in bold
            table = document.add_table(rows=2, cols=2)
            table.cell(0, 0).text, table.cell(0, 1).text = "Action", "Lead"
            table.cell(1, 0).text, table.cell(1, 1).text = action, "HR"
            document.add_paragraph("See the appendix for details.")

    table = read_table(_docx(build), "plan.docx")
    layout = read_layout(table, {})
    assert layout.title_lines == ["Workforce plan 2026", "This plan sets out what we will do."]
    assert [s for s, _row in layout.sections] == ["Recruitment", "Pay"]
    assert [(i.section, i.get(Field.ISSUE)) for i in layout.issues] == [
        ("Recruitment", "Advertise widely"),
        ("Pay", "Publish the gap"),
    ]
    assert layout.skipped_header_rows  # the second table's header row


def test_a_pdf_table_with_merged_cells_and_wrapped_lines() -> None:
    long = (
        "Run unconscious bias training for every manager in each directorate this year, "
        "then again for every new manager on joining the council in the years that follow"
    )
    html = (
        "<style>td,th{border:1px solid black;padding:4px} table{border-collapse:collapse;"
        "width:100%}</style><h1>Anyshire plan</h1><table>"
        '<tr><th style="width:70%">Action</th><th>Lead</th></tr>'
        '<tr><td colspan="2">Workforce</td></tr>'
        f"<tr><td>{long}</td><td>Head of HR<br>Learning Manager</td></tr>"
        '<tr><td>Publish the pay gap</td><td rowspan="2">Policy Team</td></tr>'
        "<tr><td>Refresh the census analysis</td></tr></table>"
    )
    table = read_table(pdf_of(html), "plan.pdf")
    assert [row.cells for row in table.rows] == [
        ("Anyshire plan",),
        ("Action", "Lead"),
        ("Workforce",),
        (long, "Head of HR\nLearning Manager"),  # wrapped lines rejoined; a break kept
        ("Publish the pay gap", "Policy Team"),
        ("Refresh the census analysis", "Policy Team"),  # merged down: copied
    ]
    assert table.places[4] == "page 1, table 1, row 3"


def test_a_problem_on_a_document_row_names_its_place_instead_of_the_row_number() -> None:
    problem = Problem(7, "C 'Status'", "Sort of", "this status is not one the dashboard knows.")
    assert str(problem).startswith("Row 7, column C 'Status'")
    placed = Problem(7, "C 'Status'", None, "the status is unknown.", place="table 2, row 3")
    assert str(placed) == "Table 2, row 3, column C 'Status': the status is unknown."


def test_a_document_with_no_table_and_no_labelled_blocks_is_refused_plainly() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("Our equality plan", style="Title")
        document.add_paragraph("We will treat everyone fairly.")

    for data, name in (
        (_docx(build), "plan.docx"),
        (pdf_of("<h1>Our equality plan</h1><p>We will treat everyone fairly.</p>"), "plan.pdf"),
    ):
        with pytest.raises(ImportFileError, match="^No table of actions was found in this"):
            read_table(data, name)


def test_an_unruled_pdf_table_is_read_by_its_columns_lining_up() -> None:
    rows = "".join(
        f"<tr><td>Action {n} for the plan{tail}</td><td>Team {n}{lead}</td><td>March 2027</td></tr>"
        for n, tail, lead in (
            (1, "", ""),
            (2, " and a long tail of words that wraps onto a second line of its cell", ""),
            (3, "", " and the long tail of a lead's name"),
        )
    )
    html = (
        "<style>td{vertical-align:top;padding:0 4pt}</style><h1>Anyshire plan</h1>"
        "<table style='width:100%'><tr><td style='width:50%'>Action</td>"
        "<td style='width:25%'>Lead</td><td>Timescale</td></tr>"
        f"<tr><td colspan=3>Workforce</td></tr>{rows}</table>"
        "<p>Signed by the chief executive on the day the plan was agreed.</p>"
    )
    table = read_table(pdf_of(html), "plan.pdf")
    assert [row.cells for row in table.rows] == [
        ("Anyshire plan",),
        ("Action", "Lead", "Timescale"),
        ("Workforce",),
        ("Action 1 for the plan", "Team 1", "March 2027"),
        ("Action 2 for the plan and a long tail of words that wraps onto a second line of its "
         "cell", "Team 2", "March 2027"),
        ("Action 3 for the plan", "Team 3 and the long tail of a lead's name", "March 2027"),
    ]  # fmt: skip


def test_hidden_text_in_a_word_document_is_left_out_and_said() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Action", "Lead"
        cell = table.cell(1, 0).paragraphs[0]
        cell.add_run("Publish the profile")
        cell.add_run(" and the secret list").font.hidden = True
        table.cell(1, 1).text = "HR"

    table = read_table(_docx(build), "plan.docx")
    assert table.rows[1].cells == ("Publish the profile", "HR")
    assert [str(n) for n in table.notes] == [
        "Some of the document's text is formatted as hidden (Word shows it only when asked "
        "to), so it was left out."
    ]


def test_a_heading_above_a_table_with_section_rows_is_its_first_section() -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("Anyshire equality plan", style="Title")
        document.add_paragraph("Knowing our communities", style="Heading 2")
        table = document.add_table(rows=4, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "Action", "Lead"
        table.cell(1, 0).text, table.cell(1, 1).text = "Publish ward profiles", "Policy"
        table.cell(2, 0).merge(table.cell(2, 1)).text = "A diverse workforce"
        table.cell(3, 0).text, table.cell(3, 1).text = "Publish the pay gap", "HR"

    layout = read_layout(read_table(_docx(build), "plan.docx"), {})
    assert layout.title_lines == ["Anyshire equality plan"]
    assert [(i.section, i.get(Field.ISSUE)) for i in layout.issues] == [
        ("Knowing our communities", "Publish ward profiles"),
        ("A diverse workforce", "Publish the pay gap"),
    ]
