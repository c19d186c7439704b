"""Plans written as prose: actions read from labelled or numbered blocks of paragraphs
(formats/blocks.py). Paragraphs here are written from the text of real plans (see
tests/data/real_plans/); tests/data/test_import_prose.py reads the PDFs themselves."""

import io

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.formats.blocks import Paragraph, pdf_paragraphs, rows_from_paragraphs
from dashboard.formats.headers import Field, recognise
from dashboard.formats.layout import Layout, read_layout
from dashboard.formats.pdf import html_document, render_pdf
from dashboard.formats.sheets import Row, Table

H = Paragraph


def _layout(paragraphs: list[Paragraph]) -> Layout:
    rows = rows_from_paragraphs(paragraphs)
    assert rows is not None
    return read_layout(Table(None, (), tuple(Row(n, r) for n, r in enumerate(rows, 1))), {})


CAUSEWAY = [
    H("Equality Action Plan 2023 - 2027", heading=1, bold=True),
    H("This Action Plan has been developed following a cross cutting audit of the impact of the "
      "Causeway Coast and Glens Council work on the nine equality group categories."),
    H("Strategic Priorities", heading=2, bold=True),
    H("P1: Cohesive Leadership"),
    H("P3: Improvement and Innovation"),
    H("Action Ref: A - Cohesive Leadership", heading=2, bold=True),
    H("Issue Identified: 1. Foster deep-rooted equality and inclusion", heading=3, bold=True),
    H("Desired outcome(s): Section 75 duties integrated and mainstreamed into business planning "
      "processes"),
    H("Actions embedding:", bold=True),
    H("Equality training for all Elected Members.", bullet=True),
    H("Identification of a suite of equality related training for Elected Members", bullet=True),
    H("Timescale: 2023-2027"),
    H("Responsibility: Policy / Equality"),
    H("Role of Diversity Ambassador reinvigorated within Council.", bullet=True),
    H("Timescale: 2023-2027"),
    H("Responsibility: SLT, Diversity Ambassador, Equality"),
]  # fmt: skip


def test_bullets_followed_by_labelled_lines_are_actions_under_their_headings() -> None:
    layout = _layout(CAUSEWAY)
    assert layout.title_lines == ["Equality Action Plan 2023 - 2027"]
    first, second = layout.issues
    # Two bullets sharing one Timescale/Responsibility pair are one action of two lines.
    assert first.get(Field.ISSUE) == (
        "Equality training for all Elected Members.\n"
        "Identification of a suite of equality related training for Elected Members"
    )
    assert first.get(Field.TIMESCALE) == "2023-2027"
    assert first.get(Field.LEADS) == "Policy / Equality"
    assert second.get(Field.LEADS) == "SLT, Diversity Ambassador, Equality"
    # The heading's own label is left off; the outer heading is the theme, the inner one
    # (straight under it) the objective.
    assert first.section == second.section == "A - Cohesive Leadership"
    assert first.get(Field.OBJECTIVE) == "1. Foster deep-rooted equality and inclusion"
    # A labelled line before the first action belongs to every action under the heading.
    measure = "Section 75 duties integrated and mainstreamed into business planning processes"
    assert first.get(Field.MEASURE) == second.get(Field.MEASURE) == measure


def test_the_introduction_and_a_lead_in_line_are_not_actions() -> None:
    texts = [i.get(Field.ISSUE) for i in _layout(CAUSEWAY).issues]
    assert not any("cross cutting audit" in t or "Cohesive Leadership" in t for t in texts)
    assert not any("Actions embedding" in t for t in texts)


PEMBROKESHIRE = [
    H("Strategic Equality Plan 2024-28", heading=1, bold=True),
    H("Our Action Plan 2024-28", heading=2, bold=True),
    H("This Action Plan outlines how we will address the inequalities identified in Appendix 1 "
      "Supporting Evidence through the delivery of our Strategic Equality Objectives for "
      "2024 – 28."),
    H("Objective 1: Members and employees actively promote and facilitate a culture of inclusion",
      heading=2, bold=True),
    H("Action 1:", heading=3, bold=True),
    H("We will continue to ensure that all staff have access to support and training to support "
      "with a disability in the workplace (part of our Disability Confident Leader Accreditation "
      "Scheme)."),
    H("We will embed training for our managers around the social model of disability."),
    H("Service: Human Resources Business Partners and Learning and Development", bullet=True),
    H("Evidence: Numbers of staff that have accessed support and completed training", bullet=True),
    H("By when?: Ongoing", bullet=True),
    H("Action 3:", heading=3, bold=True),
    H("We will ensure there is a renewal update of Equality, Diversity and Inclusion (EDI) online "
      "training for all staff across the authority."),
    H("Service: Learning and Development", bullet=True),
    H("Evidence: Numbers of staff that have completed training", bullet=True),
    H("By when?: November 2023", bullet=True),
]  # fmt: skip


def test_numbered_action_blocks_with_labelled_bullets() -> None:
    layout = _layout(PEMBROKESHIRE)
    first, third = layout.issues
    assert (first.get(Field.REF), third.get(Field.REF)) == ("Action 1", "Action 3")
    assert first.get(Field.ISSUE).split("\n") == [PEMBROKESHIRE[5].text, PEMBROKESHIRE[6].text]
    assert (
        first.get(Field.LEADS) == "Human Resources Business Partners and Learning and Development"
    )
    assert first.get(Field.MEASURE).startswith("Numbers of staff that have accessed")
    assert (first.get(Field.TIMESCALE), third.get(Field.TIMESCALE)) == ("Ongoing", "November 2023")
    # A numbered objective heading keeps its number; it is the theme, with no objective of its own.
    theme = (
        "Objective 1: Members and employees actively promote and facilitate a culture of inclusion"
    )
    assert first.section == third.section == theme
    assert first.get(Field.OBJECTIVE) == "" and first.objective is None
    assert layout.sections == [(theme, 3)]


ROYAL_BERKSHIRE = [
    H("Values and Culture in Fire and Rescue Services", heading=1, bold=True, page=1),
    H("Progress So Far", heading=3, bold=True, page=1),
    H("Our progress will be reviewed annually, the next review will take place in April 2025.",
      page=1),
    H("Recommendation 4", heading=1, bold=True, page=2),
    H("Recommendation 4:", heading=3, bold=True, page=2),
    H("By 1 June 2023, chief fire officers should assure themselves that updates on how concerns "
      "are being handled are shared with those who have raised them.", page=2),
    H("RBFRS action: Our policy outlines how concerns are to be handled and when and how updates "
      "should be provided.", page=2),
    H("Action: In Progress", page=2),
    H("Recommendation 28", heading=1, bold=True, page=3),
    H("Recommendation 28:", heading=3, bold=True, page=3),
    H("By 1 June 2023, chief fire officers should review how they gather and use equality and "
      "diversity data.", page=3),
    H("RBFRS action: We use EDI data to understand the full employee life cycle.", page=3),
    H("Learning and reviews of our EDI data are ongoing.", page=3),
    H("Action: Complete", page=3),
]  # fmt: skip


def test_a_progress_report_of_numbered_recommendations() -> None:
    layout = _layout(ROYAL_BERKSHIRE)
    fourth, twenty_eighth = layout.issues
    assert fourth.get(Field.REF) == "Recommendation 4"
    assert fourth.get(Field.ISSUE).startswith("By 1 June 2023, chief fire officers should assure")
    # The deadline opening the text is the timescale; the text keeps it.
    assert fourth.get(Field.TIMESCALE) == "By 1 June 2023"
    # 'Action: <a status>' is the status; the council's own 'action' is what it did: progress.
    assert (fourth.get(Field.STATUS), twenty_eighth.get(Field.STATUS)) == (
        "In Progress",
        "Complete",
    )
    assert fourth.get(Field.NOTES).startswith("Our policy outlines")
    assert twenty_eighth.get(Field.NOTES) == (
        "We use EDI data to understand the full employee life cycle.\n"
        "Learning and reviews of our EDI data are ongoing."
    )
    # A page heading naming the recommendation itself is not a theme; nor is the index page's.
    assert fourth.section is None and twenty_eighth.section is None
    assert layout.sections == []


NHS_ENGLAND = [
    H("NHS England equality objectives for 2024/25 and 2025/26", heading=1, bold=True),
    H("These equality objectives and equality targets for NHS England for 2024/25 and 2025/26 "
      "address our role as an NHS system leader, commissioner and our own role as an employer."),
    H("NHS England’s equality objectives and updated targets for 2024/25 and 2025/26", heading=2),
    H("These equality targets have been updated in light of the information in this report."),
    H("Equality objective 1 [COVID-19 and recovery]", heading=3, bold=True),
    H("To ensure that the equality and health inequality impacts of COVID-19 and key lessons "
      "learnt are fully considered."),
    H("Target 1: To ensure that operational, planning and associated guidance to systems "
      "considers how to address and reduce the adverse equality impacts of COVID-19."),
    H("Target 2: To work to ensure that key NHS England patient strategies consider the lessons "
      "learned from COVID-19."),
]  # fmt: skip


def test_objective_heading_with_its_paragraph_then_numbered_targets() -> None:
    layout = _layout(NHS_ENGLAND)
    assert [i.get(Field.REF) for i in layout.issues] == ["Target 1", "Target 2"]
    assert layout.issues[1].get(Field.ISSUE) == (
        "To work to ensure that key NHS England patient strategies consider the lessons learned "
        "from COVID-19."
    )
    for issue in layout.issues:
        # Under a heading that has its own introduction, the nearest heading is the theme and
        # the paragraph between it and the first target the objective.
        assert issue.section == "Equality objective 1 [COVID-19 and recovery]"
        assert issue.get(Field.OBJECTIVE) == NHS_ENGLAND[5].text
        assert not issue.get(Field.LEADS) and not issue.get(Field.TIMESCALE)


def test_the_header_row_names_only_columns_the_dashboard_recognises() -> None:
    for document in (CAUSEWAY, PEMBROKESHIRE, ROYAL_BERKSHIRE, NHS_ENGLAND):
        rows = rows_from_paragraphs(document)
        assert rows is not None
        header = next(r for r in rows if len(r) > 1)
        assert all(recognise(cell) is not None for cell in header), header
        assert Field.ISSUE in {recognise(cell) for cell in header}


def test_a_word_plan_with_bold_lines_and_status_labels() -> None:
    """A Word plan with no heading styles: a short bold line is a theme; 'Action:' begins each
    action; a status label holding a status is the status, one holding words is progress."""
    layout = _layout([
        H("Fair access to services", bold=True),
        H("Action: Publish the Welsh language standards report"),
        H("Lead: Head of Customer Services"),
        H("Status: Complete"),
        H("Action: Review the complaints procedure"),
        H("Lead officer: Corporate Equality Officer"),
        H("Progress: Draft procedure out for consultation"),
        H("Target date: March 2025"),
    ])  # fmt: skip
    first, second = layout.issues
    assert first.section == second.section == "Fair access to services"
    assert first.get(Field.ISSUE) == "Publish the Welsh language standards report"
    assert (first.get(Field.LEADS), first.get(Field.STATUS)) == (
        "Head of Customer Services",
        "Complete",
    )
    assert second.get(Field.ISSUE) == "Review the complaints procedure"
    assert second.get(Field.LEADS) == "Corporate Equality Officer"
    assert second.get(Field.STATUS) == ""
    assert second.get(Field.NOTES) == "Draft procedure out for consultation"
    assert second.get(Field.TIMESCALE) == "March 2025"


@pytest.mark.parametrize(
    "paragraphs",
    [
        [],
        [H("Our equality plan", heading=1), H("We value everyone."), H("Thank you for reading.")],
        # One block only: not a plan of actions.
        [H("Action 1: Train all staff."), H("Lead: HR")],
        [H("Train all staff."), H("Timescale: 2025"), H("More about our approach.")],
        # Labels nobody recognises and numbers with no colon are prose.
        [H("Note: this is prose."), H("Aside: so is this."), H("Chapter 1 begins here"),
         H("Chapter 2 begins here")],
    ],
)  # fmt: skip
def test_prose_with_fewer_than_two_blocks_is_not_read(paragraphs: list[Paragraph]) -> None:
    assert rows_from_paragraphs(paragraphs) is None


def _pdf(body: str) -> pdfplumber.PDF:
    css = "@page { @top-center { content: 'Equality plan 2025'; font-size: 8pt; } }"
    return pdfplumber.open(io.BytesIO(render_pdf(html_document("Plan", body, css))))


def test_pdf_paragraphs_joins_wrapped_lines_and_leaves_out_page_furniture() -> None:
    long = " ".join(["We will review how every service gathers equality monitoring data."] * 4)
    body = (
        "<h1>Equality plan</h1><h2>Objective 1: Fair services</h2>"
        f"<p><b>Action 1:</b> {long}</p>"
        "<ul><li>Lead: Head of Policy</li><li>By when?: 2026</li></ul>"
        "<p style='page-break-before: always'><b>Action 2:</b> Train all staff.</p>"
        "<p>Timescale: March 2026</p><p>Responsibility: Learning and Development</p>"
        "<p style='page-break-before: always'>Our next review is in April 2027.</p>"
    )
    with _pdf(body) as pdf:
        assert len(pdf.pages) == 3
        paragraphs = pdf_paragraphs(pdf)
    texts = [p.text for p in paragraphs]
    assert f"Action 1: {long}" in texts  # one paragraph over several printed lines
    assert not any("Equality plan 2025" in t or "Page" in t for t in texts)
    assert (paragraphs[0].text, paragraphs[0].heading) == ("Equality plan", 1)
    assert (paragraphs[1].heading, paragraphs[1].page) == (2, 1)
    lead = next(p for p in paragraphs if p.text == "Lead: Head of Policy")
    assert lead.bullet and lead.heading is None
    # Lines spaced as one paragraph still part where a labelled line begins.
    assert "Timescale: March 2026" in texts and "Responsibility: Learning and Development" in texts
    assert next(p for p in paragraphs if p.text.startswith("Action 2")).page == 2
    rows = rows_from_paragraphs(paragraphs)
    assert rows is not None and rows[0] == ("Equality plan",)
    layout = _layout(paragraphs)
    assert [i.get(Field.LEADS) for i in layout.issues] == [
        "Head of Policy",
        "Learning and Development",
    ]
    assert layout.issues[1].get(Field.TIMESCALE) == "March 2026"
    # The closing paragraph on the last page belongs to no action.
    assert not any("April 2027" in i.get(f) for i in layout.issues for f in Field)


def test_pdf_paragraphs_joins_a_paragraph_running_over_the_page() -> None:
    sentence = "Every service will review how it gathers and uses equality monitoring data"
    long = ", ".join([sentence] * 60) + "."
    with _pdf(f"<h1>Equality plan</h1><p>{long}</p><p>Next paragraph.</p>") as pdf:
        assert len(pdf.pages) == 2
        texts = [p.text for p in pdf_paragraphs(pdf)]
    assert texts == ["Equality plan", long, "Next paragraph."]


def test_a_theme_label_and_labels_beyond_the_usual_columns_are_kept() -> None:
    layout = _layout([
        H("Theme: Knowing your communities"),
        H("Update the equality profile of the borough."),
        H("Protected characteristics: Age; Disability"),
        H("RAG: Green"),
        H("Ask residents about access to services."),
        H("Timescale: 2026"),
    ])  # fmt: skip
    first, second = layout.issues
    assert first.section == second.section == "Knowing your communities"
    assert first.get(Field.CHARACTERISTICS) == "Age; Disability"
    assert (first.get(Field.RAG), second.get(Field.RAG)) == ("Green", "")
    assert second.get(Field.TIMESCALE) == "2026"


def test_labels_on_lines_of_their_own_and_refs_before_their_action() -> None:
    """A Word plan with the label in bold on one line and its value below it; each action is
    named by its 'Ref:' before its text, and a list under a label is that label's value."""
    layout = _layout([
        H("Ref: A1"),
        H("Action:", bold=True),
        H("Publish the annual equality report."),
        H("Lead officer:", bold=True),
        H("Head of Policy"),
        H("Ref: A2"),
        H("Action: Review the complaints procedure"),
        H("Performance measures:", bold=True),
        H("Complaints answered within 10 days", bullet=True),
        H("Residents' satisfaction", bullet=True),
        H("Timescale:", bold=True),
        H("March 2026"),
    ])  # fmt: skip
    first, second = layout.issues
    assert (first.get(Field.REF), second.get(Field.REF)) == ("A1", "A2")
    assert first.get(Field.ISSUE) == "Publish the annual equality report."
    assert first.get(Field.LEADS) == "Head of Policy"
    assert second.get(Field.ISSUE) == "Review the complaints procedure"
    assert (
        second.get(Field.MEASURE) == "Complaints answered within 10 days\nResidents' satisfaction"
    )
    assert second.get(Field.TIMESCALE) == "March 2026"
    assert not first.get(Field.MEASURE) and not first.get(Field.TIMESCALE)


def test_a_one_page_pdf_loses_its_page_number_but_keeps_its_text() -> None:
    body = "<h1>Equality plan</h1><p>Timescale: 2026</p><p>1</p>"
    with pdfplumber.open(io.BytesIO(render_pdf(html_document("Plan", body)))) as pdf:
        texts = [p.text for p in pdf_paragraphs(pdf)]
    assert texts == ["Equality plan", "Timescale: 2026", "1"]  # "Page 1 of 1" left out


_WORDS = st.sampled_from(
    ["Action 1:", "Action 2:", "Timescale:", "Lead:", "By when?", "Status: Complete", "Ref: A",
     "Objective 1:", "Theme:", "2026", "Learning and Development", "We will", ":", "•", "-", "\n"]
)  # fmt: skip
_PARAGRAPHS = st.lists(
    st.builds(
        Paragraph,
        text=st.lists(_WORDS | st.text(max_size=8), max_size=5).map(" ".join),
        heading=st.none() | st.integers(1, 4),
        bold=st.booleans(),
        bullet=st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=60, deadline=None)
@given(_PARAGRAPHS)
def test_any_paragraphs_give_none_or_rows_the_layout_reads(paragraphs: list[Paragraph]) -> None:
    rows = rows_from_paragraphs(paragraphs)
    if rows is None:
        return
    header = next(r for r in rows if len(r) > 1)
    layout = read_layout(Table(None, (), tuple(Row(n, r) for n, r in enumerate(rows, 1))), {})
    assert layout.header_row == rows.index(header) + 1
    assert len(layout.issues) >= 2 and all(i.get(Field.ISSUE) for i in layout.issues)
