"""Rules that read a plan with no column for something: statuses from a progress report's notes,
characteristics from an action's own words, themes from an objective column that groups the
rows, and two teams beside an acronym. Cell texts are the real plans' (tests/data/real_plans)."""

import pytest
import yaml

from dashboard.formats.headers import Field
from dashboard.formats.layout import read_layout
from dashboard.formats.plan_title import organisation_in
from dashboard.formats.sheets import Row, Table
from dashboard.rules.characteristics import CharacteristicMatcher
from dashboard.rules.lead_names import split_lead_cell
from dashboard.store.seed import SEED_DIR
from dashboard.writes.import_plan import progress_status
from models import Status

SEEDED = yaml.safe_load((SEED_DIR / "characteristics.yaml").read_text("utf-8"))
MATCHER = CharacteristicMatcher(
    (c["code"], c["name"], c.get("protected", True), c.get("aliases", [])) for c in SEEDED
)


@pytest.mark.parametrize(
    ("note", "status"),
    [  # Oxford Brookes' progress table
        ("Introduction Day has been modified and now includes a section on Brookes EO policies",
         Status.COMPLETE),
        ("Recruitment & Selection training has been completely overhauled ... a University wide "
         "programme is due to commence early 2004. Progress ongoing", Status.IN_PROGRESS),
        ("A pilot work experience initiative will commence in September 2003", Status.IN_PROGRESS),
        ("Completed and presented to the board", Status.COMPLETE),
        ("23.6% of all homeless applications in 23/24 were from 16-25 year olds",
         Status.IN_PROGRESS),
        ("   ", None),
    ],
)  # fmt: skip
def test_a_progress_note_gives_a_status_only_complete_when_it_says_so(
    note: str, status: Status | None
) -> None:
    assert progress_status(note) is status


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Gypsy/traveller children and young people with disabilities",
         ("age", "disability", "race")),
        ("Information and awareness sessions on RR(A)A for all staff", ("race",)),
        ("advancing equality for people of all ages", ("age",)),
        ("Explore data on trans status for looked after children aged 16+",
         ("gender_reassignment",)),
        ("We will send the survey to all staff in the belief that older systems fail", ()),
        ("Publish the gender pay gap; consult disabled people", ("disability", "sex")),
    ],
)  # fmt: skip
def test_characteristics_named_in_a_sentence(text: str, codes: tuple[str, ...]) -> None:
    assert MATCHER.named_in(text) == codes


def _table(*rows: tuple[str, ...]) -> Table:
    return Table(None, (), tuple(Row(n, r) for n, r in enumerate(rows, start=1)))


def test_an_objective_column_that_groups_the_rows_is_the_themes() -> None:
    """University of Oxford: 'Major objective' merged down over the actions, no theme rows."""
    layout = read_layout(
        _table(
            ("Major objective", "Action", "Responsibility"),
            ("Policy development and review", "Review the admissions policy", "EDU"),
            ("Policy development and review", "Publish the race equality policy", "EDU"),
            ("Consultation", "Consult student unions", "Registrar"),
        ),
        {},
    )
    assert [i.section for i in layout.issues] == [
        "Policy development and review", "Policy development and review", "Consultation"
    ]  # fmt: skip
    assert [i.get(Field.OBJECTIVE) for i in layout.issues] == ["", "", ""]
    column = layout.columns[0]
    assert column.field is Field.THEME and "read as the themes" in column.reason


def test_an_objective_of_its_own_on_every_row_stays_the_objective() -> None:
    layout = read_layout(
        _table(
            ("Objective", "Action", "Lead"),
            ("Know our communities", "Map the population", "Policy"),
            ("Involve residents", "Run a forum", "Communities"),
        ),
        {},
    )
    assert [i.get(Field.OBJECTIVE) for i in layout.issues] == [
        "Know our communities", "Involve residents"
    ]  # fmt: skip
    assert [i.section for i in layout.issues] == [None, None]


def test_the_persons_own_mapping_keeps_an_objective_column() -> None:
    layout = read_layout(
        _table(
            ("Goal", "Action"),
            ("Recruitment", "Advertise widely"),
            ("Recruitment", "Blind shortlisting"),
        ),
        {"Goal": Field.OBJECTIVE},
    )
    assert [i.get(Field.OBJECTIVE) for i in layout.issues] == ["Recruitment", "Recruitment"]


@pytest.mark.parametrize(
    ("cell", "leads"),
    [
        ("ICT & Policy / Equality", ["ICT", "Policy", "Equality"]),
        ("HR & OD", ["HR", "OD"]),
        ("Learning and Development", ["Learning and Development"]),
        ("Health and Safety", ["Health and Safety"]),
        ("Equality & Diversity Officer", ["Equality & Diversity Officer"]),
    ],
)
def test_single_word_teams_beside_an_acronym(cell: str, leads: list[str]) -> None:
    found = split_lead_cell(cell, directorates=set(), known=lambda _name: False)
    assert [lead.name for lead in found] == leads


def test_a_national_body_named_at_the_start_of_a_title_line() -> None:
    assert organisation_in(["NHS England equality objectives for 2024/25"], []) == "NHS England"
    assert organisation_in(["Equality objectives for 2024/25"], []) is None
