"""Issue 17 (parts 2, 3 and 4): headers read by their words, columns by their cells, the header
row found under title rows, 'Completed' cells, year spans and lead cells as people write them.
Header wordings and cell texts are quoted from tests/data/real_plans and from the issue."""

from datetime import date

import pytest

from dashboard.formats.headers import Field, columns_of, find_header_row, recognise
from dashboard.formats.layout import read_layout
from dashboard.formats.sheets import Row, Table
from dashboard.rules.lead_names import split_lead_cell
from dashboard.rules.timescale import Precision, Recurrence, parse_timescale
from dashboard.writes.import_plan import ImportPreview, leading_status, read_completed, read_status
from models import Status


def _rows(*rows: tuple[str, ...]) -> list[Row]:
    return [Row(n, r) for n, r in enumerate(rows, start=1)]


def _is_status(text: str) -> bool:
    return read_status(text) is not None


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # named in issue 17 as failing or read as the wrong field
        ("Equality Action Description", Field.ISSUE),
        ("Action(s)", Field.ISSUE),  # NBC
        ("Actions embedding", Field.ISSUE),
        ("Commitment", Field.ISSUE),
        ("Recommendation", Field.ISSUE),
        ("Completed", Field.COMPLETED),  # Tamworth
        ("By when", Field.TIMESCALE),  # Tamworth
        # the real plans' other headers
        ("Action By", Field.LEADS),  # NBC
        ("Outcome/PI", Field.MEASURE),  # NBC
        ("Projected Timescale", Field.TIMESCALE),  # NBC
        ("Update", Field.NOTES),  # NBC
        ("Lead Responsible", Field.LEADS),  # NHS trust
        ("RAG Rating", Field.RAG),  # NHS trust
        ("Outcome", Field.MEASURE),  # Tamworth, NHS trust
        ("Major objective", Field.OBJECTIVE),  # Oxford
        ("Action to be taken", Field.ISSUE),  # Oxford
        ("Timetable", Field.TIMESCALE),  # Oxford
        ("Responsibility", Field.LEADS),  # Oxford
        ("State Protected Characterstics as listed below", Field.CHARACTERISTICS),  # Rotherham
        ("Action Item as summarised from the Race Equality Policy", Field.ISSUE),  # Brookes
        ("Progress to date", Field.NOTES),  # Brookes
        ("Final action status", Field.STATUS),  # Scottish Government
        ("Success criteria", Field.MEASURE),  # Brookes
        # words that say nothing a plan's columns hold
        ("Title of analysis", None),  # Rotherham's form label
        ("Summary of findings", None),
        ("Whose job", None),
    ],
)
def test_headers_are_read_by_their_words(header: str, field: Field | None) -> None:
    assert recognise(header) is field


def test_a_clear_header_beats_its_cells_unless_they_flatly_contradict_it() -> None:
    header, *body = _rows(
        ("Action", "Action Description", "Final action status"),
        ("Action 1", "Publish statistics for the ‘Prefer not to say’ option for data", "Delayed"),
        ("Action 2", "Review the collection of sex and gender data across the surveys", "Done"),
    )
    a, b, c = columns_of(header, {}, body=body, is_status=_is_status)
    assert (a.field, b.field, c.field) == (Field.REF, Field.ISSUE, Field.STATUS)
    assert a.reason == (
        "its header 'Action' would mean the actions, but its cells look like refs "
        "(Action 1, Action 2): read as the refs"
    )
    assert b.reason == "its header 'Action Description' means the actions"


def test_action_cells_like_refs_stay_the_actions_when_no_other_column_can_be() -> None:
    header, *body = _rows(("Action", "Lead"), ("Action 1", "Team"), ("Action 2", "Team"))
    action, lead = columns_of(header, {}, body=body)
    assert action.field is Field.ISSUE and lead.field is Field.LEADS


def test_an_unclear_header_is_decided_by_its_cells() -> None:
    header, *body = _rows(
        ("Impact Area", "Progress 2021-25"),
        ("Tackling youth homelessness", "23.6% of all homeless applications in 23/24 were "
         "from 16-25 year olds"),
        ("The number of children with ASN completing award bearing courses", "94.6% of ASN "
         "learners completed award bearing courses in 23-24"),
    )  # fmt: skip
    impact, progress = columns_of(header, {}, body=body, is_status=_is_status)
    assert progress.field is Field.NOTES
    assert progress.reason.startswith(
        "its header 'Progress 2021-25' could be a status or progress notes: its cells look like "
        "long sentences"
    )
    assert impact.field is Field.ISSUE
    assert "no column names the actions" in impact.reason


def test_progress_holding_status_words_is_the_status() -> None:
    header, *body = _rows(("Action", "Progress"), ("Train staff", "Complete"), ("Audit", "Ongoing"))
    _, progress = columns_of(header, {}, body=body, is_status=_is_status)
    assert progress.field is Field.STATUS and "status words" in progress.reason


def test_a_column_with_no_header_holding_refs_is_the_ref_column() -> None:
    header, *body = _rows(
        ("", "Action", "Lead", "Timescale"),
        ("1.0", "Annual review of the scheme and action plan", "AG/ZW", "By end of October 2015"),
        ("2.1", "Annual report to cabinet on scheme", "AG/ZW", "By end of December 2016"),
    )
    ref, *_ = columns_of(header, {}, body=body)
    assert (ref.letter, ref.field) == ("A", Field.REF)
    assert ref.reason == "no header: its cells look like refs (1.0, 2.1)"


def test_the_left_of_two_action_columns_is_the_objective() -> None:
    """Oxford Brookes: 'Area/specific task' beside 'Action/development'."""
    header, *body = _rows(
        ("Area/specific task", "Action/development", "Lead"),
        ("Revise race equality policy and action plan", "Redraft Race Equality Policy and "
         "action plan to reflect feedback from consultation and new legislation", "EODC"),
        ("Introduction of a Race Equality Action Group (REAG)", "Identify group members, agree "
         "scope of group and terms of reference (See race equality policy)",
         "Director of HR, EODC"),
    )  # fmt: skip
    area, action, _ = columns_of(header, {}, body=body)
    assert (area.field, action.field) == (Field.OBJECTIVE, Field.ISSUE)
    assert "objective each action sits under" in area.reason


def test_a_column_neither_header_nor_cells_explain_is_not_read_and_says_so() -> None:
    header, *body = _rows(("Action", "Colour"), ("Train staff", "x"), ("Audit", "y"))
    _, colour = columns_of(header, {}, body=body)
    assert colour.field is None
    assert colour.reason == "not read: its header 'Colour' and its cells do not say what it holds"


def test_the_users_mapping_wins_over_words_and_cells() -> None:
    header, *body = _rows(("Action", "By when"), ("Train staff", "March 2009"))
    _, when = columns_of(header, {"By when": Field.NOTES}, body=body)
    assert when.field is Field.NOTES and when.reason == "you chose to read it as progress notes"
    assert not when.recognised


def test_the_header_row_is_found_under_a_form_of_label_rows() -> None:
    """Rotherham: title, guidance, label/value rows ('Lead Manager' | 'Simon Dennis'), then the
    table's header."""
    rows = _rows(
        ("5. Summary of findings and Equality Analysis Action Plan",),
        ("If the analysis is done at the right time in the decision-making process ...",),
        ("Title of analysis", "Council Plan and Year Ahead Delivery Plan Progress Update"),
        ("Directorate and service area", "Assistant Chief Executive, Policy, Performance"),
        ("Lead Manager", "Simon Dennis"),
        ("Summary of findings", "The Year Ahead Delivery Plan addresses inequalities"),
        ("Action/Target", "State Protected Characterstics as listed below", "Target date (MM/YY)"),
        ("Continue to provide update reports to Cabinet twice a year", "All", "Six monthly"),
    )
    assert find_header_row(rows, {}) == 6


def test_the_header_row_is_found_with_only_two_cells_under_title_rows() -> None:
    """Oxford Brookes' progress table: a table-title line, then a two-column header."""
    table = Table(None, (), tuple(_rows(
        ("Table six – progress against REP action plan - Staff",),
        ("Action Item as summarised from the Race Equality Policy", "Progress to date"),
        ("Information and awareness sessions on RR(A)A for all staff", "Awareness sessions "
         "have commenced as part of the wider EOD staff development programme."),
    )))  # fmt: skip
    layout = read_layout(table, {})
    assert layout.header_row == 2
    assert layout.title_lines == ["Table six – progress against REP action plan - Staff"]
    assert [c.field for c in layout.columns] == [Field.ISSUE, Field.NOTES]


def test_sub_rows_of_one_action_are_one_action() -> None:
    """Oxford Brookes: one action over two rows (A, B, D merged), two criteria, two dates."""
    text = "Consult with staff and students and other interested parties"
    table = Table(None, (), tuple(_rows(
        ("Action/development", "Success criteria", "Lead", "Timescale"),
        (text, "Awareness of revised policy amongst staff", "EODC", "October 2004"),
        (text, "All staff and students and local community aware", "EODC", "January 2005"),
    )))  # fmt: skip
    (issue,) = read_layout(table, {}).issues
    assert issue.get(Field.TIMESCALE) == "October 2004\nJanuary 2005"
    assert parse_timescale(issue.get(Field.TIMESCALE)).due == date(2005, 1, 31)


@pytest.mark.parametrize(
    ("cell", "status", "note"),
    [  # Tamworth's 'Completed' column
        ("15/10/2015", Status.COMPLETE, "15/10/2015"),
        ("February 2015", Status.COMPLETE, "February 2015"),
        ("Presented and approved by CMT on 19/10/2015", Status.COMPLETE,
         "Presented and approved by CMT on 19/10/2015"),
        ("Completed January 2016", Status.COMPLETE, "Completed January 2016"),
        ("Ongoing", Status.IN_PROGRESS, "Ongoing"),
        ("In progress - report due 2016", Status.IN_PROGRESS, "In progress - report due 2016"),
    ],
)  # fmt: skip
def test_completed_cells_are_never_not_started(cell: str, status: Status, note: str) -> None:
    assert read_completed(cell) == (status, note)


def test_a_status_word_opening_a_narrative_is_read() -> None:
    cell = "Delayed: Data collection on sex/ gender was updated in line with Scottish Government"
    assert read_status(cell) is None
    assert leading_status(cell) is Status.IN_PROGRESS


@pytest.mark.parametrize(
    ("cell", "due", "precision", "recurrence"),
    [
        ("2023-2027", date(2027, 12, 31), Precision.YEAR, None),  # Causeway
        ("2023–24", date(2024, 3, 31), Precision.FINANCIAL_YEAR, None),
        ("2024/25 – 2026/27", date(2027, 3, 31), Precision.FINANCIAL_YEAR, None),
        ("2015-19", date(2019, 12, 31), Precision.YEAR, None),
        ("By summer 2025 the review will report, with changes in October 2025",
         date(2025, 10, 31), Precision.MONTH, None),
        ("2023-2027\nQuarterly", date(2027, 12, 31), Precision.YEAR, Recurrence.QUARTERLY),
        ("Sept 2004 and ongoing", date(2004, 9, 30), Precision.MONTH, Recurrence.ONGOING),
        ("By end of February 15", date(2015, 2, 28), Precision.MONTH, None),  # Tamworth
    ],
)  # fmt: skip
def test_year_spans_and_several_dates(
    cell: str, due: date, precision: Precision, recurrence: Recurrence | None
) -> None:
    reading = parse_timescale(cell)
    assert (reading.due, reading.precision, reading.recurrence) == (due, precision, recurrence)
    assert reading.warning is None


def test_a_slash_between_years_not_in_a_row_is_still_not_guessed() -> None:
    assert parse_timescale("2009/11").due is None


KNOWN = {"learning and development"}


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("SLT, Diversity Ambassador, Equality", ["SLT", "Diversity Ambassador", "Equality"]),
        ("Policy / Equality", ["Policy", "Equality"]),
        ("Corporate Manager\n(Human Resources)", ["Corporate Manager (Human Resources)"]),
        ("Corporate Manager (Human Resources)\nHealth Wellbeing and Access Team Leader\n"
         "Facilities & Asset Management", ["Corporate Manager (Human Resources)",
         "Health Wellbeing and Access Team Leader", "Facilities & Asset Management"]),
        ("Human Resources Business Partners and Learning and Development",
         ["Human Resources Business Partners", "Learning and Development"]),
        ("Learning and Development and Democratic Services",
         ["Learning and Development", "Democratic Services"]),
        ("Director of HR, EODC", ["Director of HR", "EODC"]),
        ("EODC, Director & Deputy Director of HR, Director of A&SA",
         ["EODC", "Director of HR", "Deputy Director of HR", "Director of A&SA"]),
        ("Director of Workforce & Development", ["Director of Workforce & Development"]),
        ("Director of HR & Head of Policy", ["Director of HR", "Head of Policy"]),
        ("EODC, external consultant", ["EODC", "external consultant"]),
        ("ZW and Directors", ["ZW", "Directors"]),
        ("- Director of Workforce & Development\n- Equality & Inclusion Manager",
         ["Director of Workforce & Development", "Equality & Inclusion Manager"]),
    ],
)  # fmt: skip
def test_lead_cells_as_people_write_them(cell: str, names: list[str]) -> None:
    assert [lead.name for lead in split_lead_cell(cell)] == names
    known = [lead.name for lead in split_lead_cell(cell, known=lambda n: n.casefold() in KNOWN)]
    assert known == names


def test_a_known_lead_decides_where_and_splits() -> None:
    cell = "Health Wellbeing and Access"
    assert [lead.name for lead in split_lead_cell(cell)] == [cell]
    known = {"health wellbeing", "access"}
    assert [lead.name for lead in split_lead_cell(cell, known=lambda n: n.casefold() in known)] == [
        "Health Wellbeing",
        "Access",
    ]


def test_the_command_line_summary_says_how_each_column_was_read() -> None:
    header, *body = _rows(("Action", "By when"), ("Train staff", "March 2009"))
    preview = ImportPreview("plan.csv", header_row=1, columns=columns_of(header, {}, body=body))
    preview.errors = []
    text = preview.summary()
    assert "Columns (header on row 1):" in text
    assert "  B 'By when': Timescale or due date (its header 'By when' means a timescale)." in text
    assert "(s)" not in text


def test_a_heading_merged_across_a_word_table_and_a_part_repeated_header() -> None:
    """NBC: the section is merged across all six cells, and the table repeats only
    'Objective | Action(s)' of its header mid-table."""
    heading = "1. Eliminate discrimination that is unlawful under the Disability Discrimination Act"
    header = ("Objective", "Action(s)", "Outcome/PI", "Action By", "Projected Timescale", "Update")
    table = Table(None, (), tuple(_rows(
        ("Disability Equality Scheme Action Plan 2006 – 2009",),
        header,
        (heading,) * 6,
        ("Encourage disabled people to apply for jobs at all levels",
         "Advertise in publications relevant to disabled people", "Review current practice",
         "Corporate Manager\n(Human Resources)", "March 2007",
         "Update needed from People Operations Manager"),
        ("Objective", "Action(s)", "", "", "", ""),
        ("Literature/facilities for meetings and interviews should automatically be accessible",
         "Raise awareness regarding disabled people’s needs for attending meetings",
         "More accessible meetings", "Corporate Manager (Human Resources)", "March 2008", ""),
    )))  # fmt: skip
    layout = read_layout(table, {})
    assert layout.header_row == 2
    assert layout.sections == [(heading, 3)]
    assert layout.skipped_header_rows == [5]
    assert [(i.row, i.section) for i in layout.issues] == [(4, heading), (6, heading)]
    assert [c.field for c in layout.columns] == [
        Field.OBJECTIVE, Field.ISSUE, Field.MEASURE, Field.LEADS, Field.TIMESCALE, Field.NOTES
    ]  # fmt: skip


def test_pages_of_a_report_on_one_sheet_each_keep_their_heading() -> None:
    """North Lanarkshire: report title, then per page a page title, an outcome heading and the
    'Impact Area | Progress 2021-25' header again."""
    first = "Equality Outcome1. The housing needs of older and young people are met"
    second = "Equality Outcome 4 - The educational attainment for children is improved"
    header = ("Impact Area", "Progress 2021-25")
    table = Table(None, (), tuple(_rows(
        ("The Public Sector Equality Duty Composite Report 2025",),
        ("Progress 2021-25 Outcomes 1 to 3",),
        (first,),
        header,
        ("Tackling youth homelessness", "23.6% of all homeless applications in 23/24 were from "
         "16-25 year olds"),
        ("Progress 2021-25 Outcomes 4 to 6",),
        (second,),
        header,
        ("The number of children with ASN completing award bearing courses", "94.6% of ASN "
         "learners completed award bearing courses in 23-24"),
    )))  # fmt: skip
    layout = read_layout(table, {})
    assert layout.header_row == 4
    assert layout.title_lines == [
        "The Public Sector Equality Duty Composite Report 2025",
        "Progress 2021-25 Outcomes 1 to 3",
    ]
    assert [i.section for i in layout.issues] == [first, second]
    assert layout.skipped_header_rows == [8]


def test_a_later_row_using_header_words_does_not_take_the_header() -> None:
    rows = _rows(
        ("Diversity and Equality Action Plan 2015 – 2019",),
        ("Action", "By when", "Responsible officer"),
        ("Annual review", "Target date", "Equality Officer", "Progress update", "Status"),
    )
    assert find_header_row(rows, {}) == 1
