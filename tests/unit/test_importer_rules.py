"""Pure reading rules of the importer: headers, leads, characteristics, statuses, CSV text."""

from datetime import date, datetime
from pathlib import Path

import pytest
import yaml

from dashboard.cli.import_plan import parse_mapping
from dashboard.formats.headers import Field, recognise
from dashboard.formats.layout import read_layout
from dashboard.formats.sheets import (
    ImportFileError,
    Row,
    Table,
    cell_text,
    column_letter,
    decode_text,
    read_table,
)
from dashboard.rules.characteristics import CharacteristicMatcher
from dashboard.rules.errors import Refused
from dashboard.rules.lead_names import LeadName, directorate_candidates, split_lead_cell
from dashboard.writes.import_plan import read_status
from models import Status

CHARACTERISTICS = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "seed" / "characteristics.yaml").read_text("utf-8")
)
MATCHER = CharacteristicMatcher(
    (c["code"], c["name"], c["protected"], c["aliases"]) for c in CHARACTERISTICS
)
NINE = tuple(c["code"] for c in CHARACTERISTICS if c["protected"])


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Issues which need to be addressed", Field.ISSUE),
        ("Lead service/officer", Field.LEADS),
        ("Activity", Field.ISSUE),
        ("Timescales", Field.TIMESCALE),
        ("Performance Measures", Field.MEASURE),
        ("ACTION", Field.ISSUE),
        ("Date of  Completion", Field.TIMESCALE),
        ("How will success be measured?", Field.MEASURE),
        ("Responsibility/Delivery Lead", Field.LEADS),
        ("Code", Field.REF),
        ("Lead Service Area", Field.LEADS),
        ("Notes", Field.NOTES),
        ("Action/Target", Field.ISSUE),
        ("Protected Characteristics", Field.CHARACTERISTICS),
        ("Target date (MM/YY)", Field.TIMESCALE),
        ("RAG", Field.RAG),
        ("Progress", Field.STATUS),
        ("Whose job", None),
    ],
)
def test_header_synonyms(header: str, field: Field | None) -> None:
    assert recognise(header) is field


def test_map_option_accepts_labels_and_short_names() -> None:
    assert parse_mapping(["Whose job=Lead", "When=due", "Colour=ignore", "A=B=issue"]) == {
        "Whose job": Field.LEADS,
        "When": Field.TIMESCALE,
        "Colour": Field.IGNORE,
        "A=B": Field.ISSUE,
    }
    with pytest.raises(Refused, match="is not understood"):
        parse_mapping(["Whose job=Colour"])


SEED_003 = [
    "Equality & Diversity Officer, Chief Executive's Office Scrutiny Managers, "
    "Chief Executive's Office",
    "Equality & Diversity Officer, Chief Executive's Office Equality & Diversity "
    "Representatives - all directorates",
    "Equality & Diversity Officer and Policy & Performance Officer, Chief Executive's Office",
    "Senior Category Manager, Purchasing",
]
CEO = "Chief Executive's Office"


def test_role_directorate_runs_are_cut_after_each_directorate() -> None:
    found = directorate_candidates(SEED_003)
    assert split_lead_cell(SEED_003[0], directorates=found) == [
        LeadName("Equality & Diversity Officer", CEO),
        LeadName("Scrutiny Managers", CEO),
    ]
    assert split_lead_cell(SEED_003[1], directorates=found) == [
        LeadName("Equality & Diversity Officer", CEO),
        LeadName("Equality & Diversity Representatives - all directorates"),
    ]
    assert split_lead_cell(SEED_003[2], directorates=found) == [
        LeadName("Equality & Diversity Officer", CEO),
        LeadName("Policy & Performance Officer", CEO),
    ]
    assert split_lead_cell(SEED_003[3], directorates=found) == [
        LeadName("Senior Category Manager", "Purchasing")
    ]


@pytest.mark.parametrize(
    ("cell", "names"),
    [
        ("JMT/LSP/Comm.Devel", ["JMT", "LSP", "Comm.Devel"]),
        ("Community Development/ PR/ The Improvement Unit",
         ["Community Development", "PR", "The Improvement Unit"]),
        ("Head of HR; Head of Policy", ["Head of HR", "Head of Policy"]),
        ("Head of HR\nLearning and Development Manager",
         ["Head of HR", "Learning and Development Manager"]),
        ("Improvement and Efficiency Officer", ["Improvement and Efficiency Officer"]),
        ("Housing and Planning", ["Housing and Planning"]),
        ("Head of HR and Head of Policy", ["Head of HR", "Head of Policy"]),
        ("CMT / CMT", ["CMT"]),
        ("", []),
    ],
)  # fmt: skip
def test_lead_cells_split_on_separators_and_and(cell: str, names: list[str]) -> None:
    assert [lead.name for lead in split_lead_cell(cell)] == names


def test_a_known_lead_is_never_split() -> None:
    known = {"equality and diversity team"}
    cell = "Equality and Diversity Team"
    assert split_lead_cell(cell, known=lambda n: n.casefold() in known) == [LeadName(cell)]


@pytest.mark.parametrize(
    ("cell", "codes", "unknown"),
    [
        ("All", NINE, ()),
        ("all protected characteristics", NINE, ()),
        ("BME", ("race",), ()),
        ("Race, Religion or belief", ("race", "religion_belief"), ()),
        ("Gender reassignment", ("gender_reassignment",), ()),
        ("Gender", ("sex",), ()),
        ("Marriage and civil partnership", ("marriage_civil_partnership",), ()),
        ("Disabled people and carers", ("disability", "carers"), ()),
        ("LGBT", ("sexual_orientation", "gender_reassignment"), ()),
        ("Young people; Hair colour", ("age",), ("hair colour",)),
        ("Pregnancy/maternity", ("pregnancy_maternity",), ()),
        ("", (), ()),
    ],
)
def test_characteristics_cells(cell: str, codes: tuple[str, ...], unknown: tuple[str, ...]) -> None:
    reading = MATCHER.read(cell)
    assert sorted(reading.codes) == sorted(codes)
    assert reading.unknown == unknown


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Complete", Status.COMPLETE),
        ("completed", Status.COMPLETE),
        ("Not started", Status.NOT_STARTED),
        ("In Progress", Status.IN_PROGRESS),
        ("Amber", Status.IN_PROGRESS),
        ("Embedded", Status.EMBEDDED),
        ("N/A", Status.NOT_APPLICABLE),
        ("Sort of", None),
    ],
)
def test_status_words(text: str, status: Status | None) -> None:
    assert read_status(text) is status


def test_csv_text_in_utf8_bom_and_windows_1252() -> None:
    assert decode_text("caf\u00e9".encode("utf-8-sig")) == "caf\u00e9"
    assert decode_text("caf\u00e9 \u2013 \u20ac5".encode("cp1252")) == "caf\u00e9 \u2013 \u20ac5"
    with pytest.raises(ImportFileError, match="binary"):
        decode_text(b"\x00\x01\x02")


def test_semicolon_csv_and_quoted_multiline_cells() -> None:
    data = b'Action;Lead\n"Two\nlines";"A, B"\n\n;\n'
    table = read_table(data, "plan.csv")
    assert table.rows == (Row(1, ("Action", "Lead")), Row(2, ("Two\nlines", "A, B")))


def test_cells_read_as_a_person_sees_them() -> None:
    assert cell_text(datetime(2017, 3, 31)) == "31/03/2017"
    assert cell_text(date(2017, 3, 1)) == "01/03/2017"
    assert cell_text(2.0) == "2" and cell_text(1.1) == "1.1"
    assert cell_text("=SUM(A1:A3)") == "=SUM(A1:A3)"
    assert cell_text(None) == ""
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


def _table(*rows: tuple[str, ...]) -> Table:
    return Table(None, (), tuple(Row(n, r) for n, r in enumerate(rows, start=1)))


def test_layout_headings_objectives_and_repeated_headers() -> None:
    layout = read_layout(
        _table(
            ("Race Equality Scheme",),
            ("Activity", "Timescales", "Lead"),
            ("Policy Development",),
            ("Assess the impact of our policies:",),
            ("Train managers", "May 2008", "HR"),
            ("Activity", "Timescales", "Lead"),
            ("Procurement",),
            ("Buy fairly", "", "Purchasing"),
            ("", "2009", "Nobody"),
        ),
        {},
    )
    assert layout.header_row == 2 and layout.title_lines == ["Race Equality Scheme"]
    assert layout.sections == [("Policy Development", 3), ("Procurement", 7)]
    assert layout.skipped_header_rows == [6]
    assert [(i.row, i.section, i.objective) for i in layout.issues] == [
        (5, "Policy Development", "Assess the impact of our policies:"),
        (8, "Procurement", None),
    ]
    assert layout.blank_action_rows == [9]
