"""Table-driven tests for dashboard.rules.timescale (UK action-plan Timescale cells)."""

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.formats.words import format_due
from dashboard.rules.timescale import (
    Milestone,
    Precision,
    Recurrence,
    Timescale,
    overdue_from,
    parse_timescale,
)

D, M, Q, S, Y, FY = (
    Precision.DAY,
    Precision.MONTH,
    Precision.QUARTER,
    Precision.SEASON,
    Precision.YEAR,
    Precision.FINANCIAL_YEAR,
)
MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
PILOT = "Pilot: May 2008 Build into Staffordshire Manager Training Programme: Summer 2008"

SINGLE_DATES = [
    # seed forms, exactly as they appear in the action plans
    ("Jun-08", date(2008, 6, 30), M),
    ("Oct-08", date(2008, 10, 31), M),
    ("Jul-08", date(2008, 7, 31), M),
    ("Apr-09", date(2009, 4, 30), M),
    ("Mar-09", date(2009, 3, 31), M),
    ("2008", date(2008, 12, 31), Y),
    ("2011 (throughout three years of Scheme)", date(2011, 12, 31), Y),
    # day dates: day-first, never US
    ("31/03/2017", date(2017, 3, 31), D),
    ("31.03.17", date(2017, 3, 31), D),
    ("31-03-2017", date(2017, 3, 31), D),
    ("2017-03-31", date(2017, 3, 31), D),
    ("31 March 2017", date(2017, 3, 31), D),
    ("31st March 2017", date(2017, 3, 31), D),
    ("1 Apr 09", date(2009, 4, 1), D),
    ("1-Apr-09", date(2009, 4, 1), D),
    ("01/04/2009", date(2009, 4, 1), D),
    ("1/4/09", date(2009, 4, 1), D),
    ("04/01/2009", date(2009, 1, 4), D),
    ("12/11/2010", date(2010, 11, 12), D),
    ("2nd of June 2010", date(2010, 6, 2), D),
    ("23rd Nov 2026", date(2026, 11, 23), D),
    ("29/02/2008", date(2008, 2, 29), D),
    ("March 31 2017", date(2017, 3, 31), D),
    ("by 31/03/2010", date(2010, 3, 31), D),
    # months
    ("March 2009", date(2009, 3, 31), M),
    ("Mar 2009", date(2009, 3, 31), M),
    ("MARCH 2009", date(2009, 3, 31), M),
    ("Sept 2008", date(2008, 9, 30), M),
    ("Sept. 2008", date(2008, 9, 30), M),
    ("September 2008", date(2008, 9, 30), M),
    ("Sep-08", date(2008, 9, 30), M),
    ("April 2018", date(2018, 4, 30), M),
    ("Feb 2008", date(2008, 2, 29), M),
    ("Feb-09", date(2009, 2, 28), M),
    ("Dec-2009", date(2009, 12, 31), M),
    ("Mar '09", date(2009, 3, 31), M),
    ("03/10", date(2010, 3, 31), M),
    ("3/10", date(2010, 3, 31), M),
    ("03/2010", date(2010, 3, 31), M),
    ("11/2008", date(2008, 11, 30), M),
    ("end of March 2009", date(2009, 3, 31), M),
    ("Jun\u201308", date(2008, 6, 30), M),  # en dash, as Word/Excel often write it
    # two-digit years: 00-69 -> 2000s, 70-99 -> 1900s
    ("Jan-00", date(2000, 1, 31), M),
    ("Jan-69", date(2069, 1, 31), M),
    ("Jan-70", date(1970, 1, 31), M),
    ("Dec-99", date(1999, 12, 31), M),
    ("31/12/99", date(1999, 12, 31), D),
    # years
    ("2012", date(2012, 12, 31), Y),
    ("end of 2010", date(2010, 12, 31), Y),
    ("End of 2010", date(2010, 12, 31), Y),
    ("by 2012", date(2012, 12, 31), Y),
    ("Mid-2009", date(2009, 12, 31), Y),
    # seasons (meteorological; due at the end)
    ("Spring 2009", date(2009, 5, 31), S),
    ("Summer 2008", date(2008, 8, 31), S),
    ("summer 08", date(2008, 8, 31), S),
    ("Autumn 2008", date(2008, 11, 30), S),
    ("Winter 2008", date(2009, 2, 28), S),
    ("Winter 2011", date(2012, 2, 29), S),
    ("Winter 2008/09", date(2009, 2, 28), S),
    # quarters: financial-year quarters when a financial year is given, else calendar
    ("Q1 2009/10", date(2009, 6, 30), Q),
    ("Q2 2009/10", date(2009, 9, 30), Q),
    ("Q3 2009/10", date(2009, 12, 31), Q),
    ("Q4 2009/10", date(2010, 3, 31), Q),
    ("Q4 09/10", date(2010, 3, 31), Q),
    ("Quarter 2 2010/11", date(2010, 9, 30), Q),
    ("Q1 2010", date(2010, 3, 31), Q),
    ("Q2 2010", date(2010, 6, 30), Q),
    ("Q3 2010", date(2010, 9, 30), Q),
    ("Q4 2010", date(2010, 12, 31), Q),
    # financial years (April-March)
    ("2009/10", date(2010, 3, 31), FY),
    ("2009-10", date(2010, 3, 31), FY),
    ("2009/2010", date(2010, 3, 31), FY),
    ("2008/9", date(2009, 3, 31), FY),
    ("1999/00", date(2000, 3, 31), FY),
    ("by 2009/10", date(2010, 3, 31), FY),
    ("Financial year 2010/11", date(2011, 3, 31), FY),
]


@pytest.mark.parametrize(("text", "due", "precision"), SINGLE_DATES)
def test_single_date_forms(text: str, due: date, precision: Precision) -> None:
    result = parse_timescale(text)
    assert result.written == text
    assert len(result.milestones) == 1
    assert result.due == due
    assert result.precision is precision
    assert result.milestones[0].label is None
    assert result.warning is None
    assert result.recurrence is None


@pytest.mark.parametrize(
    ("text", "date_words"),
    [
        ("Jun-08", "Jun-08"),
        ("end of 2010", "2010"),
        ("Summer 2008", "Summer 2008"),
        ("2011 (throughout three years of Scheme)", "2011"),
        ("by 31st March 2017", "31st March 2017"),
    ],
)
def test_milestone_text_is_the_date_words_as_written(text: str, date_words: str) -> None:
    assert parse_timescale(text).milestones[0].text == date_words


RECURRENCE_ONLY = [
    ("Annually", Recurrence.ANNUALLY),
    ("ANNUALLY", Recurrence.ANNUALLY),
    ("Annual", Recurrence.ANNUALLY),
    ("Yearly", Recurrence.ANNUALLY),
    ("Every year", Recurrence.ANNUALLY),
    ("Annual review", Recurrence.ANNUALLY),
    ("Six monthly", Recurrence.SIX_MONTHLY),
    ("six-monthly", Recurrence.SIX_MONTHLY),
    ("6 monthly", Recurrence.SIX_MONTHLY),
    ("Every 6 months", Recurrence.SIX_MONTHLY),
    ("Bi-annually", Recurrence.SIX_MONTHLY),
    ("Biannually", Recurrence.SIX_MONTHLY),
    ("Half yearly", Recurrence.SIX_MONTHLY),
    ("Half-yearly", Recurrence.SIX_MONTHLY),
    ("Twice a year", Recurrence.SIX_MONTHLY),
    ("Quarterly", Recurrence.QUARTERLY),
    ("Every quarter", Recurrence.QUARTERLY),
    ("Monthly", Recurrence.MONTHLY),
    ("Monthly meetings", Recurrence.MONTHLY),
    ("Ongoing", Recurrence.ONGOING),
    ("On-going", Recurrence.ONGOING),
    ("On going", Recurrence.ONGOING),
    ("Continuous", Recurrence.ONGOING),
    ("Throughout", Recurrence.ONGOING),
    ("Throughout the Scheme", Recurrence.ONGOING),
]


@pytest.mark.parametrize(("text", "recurrence"), RECURRENCE_ONLY)
def test_recurrence_only_cells(text: str, recurrence: Recurrence) -> None:
    result = parse_timescale(text)
    assert result.recurrence is recurrence
    assert result.milestones == ()
    assert result.due is None
    assert result.precision is None
    assert result.warning is None
    assert result.written == text


@pytest.mark.parametrize(
    ("text", "recurrence", "due", "label"),
    [
        ("Annually from April 2009", Recurrence.ANNUALLY, date(2009, 4, 30), None),
        ("Annually - Mar-09", Recurrence.ANNUALLY, date(2009, 3, 31), None),
        ("Annual review: Mar-09", Recurrence.ANNUALLY, date(2009, 3, 31), "Annual review"),
        (
            "Quarterly (first report Jun-08)",
            Recurrence.QUARTERLY,
            date(2008, 6, 30),
            "first report",
        ),
        (
            "Ongoing \u2013 review 2009/10",
            Recurrence.ONGOING,
            date(2010, 3, 31),
            "Ongoing \u2013 review",
        ),
        ("Six monthly from 01/04/2009", Recurrence.SIX_MONTHLY, date(2009, 4, 1), None),
        ("2011 (throughout three years of Scheme)", None, date(2011, 12, 31), None),
    ],
)
def test_recurrence_with_dates(
    text: str, recurrence: Recurrence | None, due: date, label: str | None
) -> None:
    result = parse_timescale(text)
    assert result.recurrence is recurrence
    assert result.due == due
    assert result.milestones[0].label == label
    assert result.warning is None


def test_pilot_cell_gives_two_labelled_milestones() -> None:
    result = parse_timescale(PILOT)
    assert result.milestones == (
        Milestone("Pilot", "May 2008", date(2008, 5, 31), M),
        Milestone(
            "Build into Staffordshire Manager Training Programme",
            "Summer 2008",
            date(2008, 8, 31),
            S,
        ),
    )
    assert (result.due, result.precision) == (date(2008, 8, 31), S)
    assert result.recurrence is None
    assert result.warning is None
    assert result.written == PILOT


MULTIPLE = [
    ("Jun-08 and Mar-09", [(None, date(2008, 6, 30)), (None, date(2009, 3, 31))]),
    ("Jun-08 - Mar-09", [(None, date(2008, 6, 30)), (None, date(2009, 3, 31))]),
    (
        "Phase 1: 2009/10; Phase 2: 2010/11",
        [("Phase 1", date(2010, 3, 31)), ("Phase 2", date(2011, 3, 31))],
    ),
    ("Draft: Jun-08\nFinal: Oct-08", [("Draft", date(2008, 6, 30)), ("Final", date(2008, 10, 31))]),
    (
        "Draft by Jun-08\r\nConsult in Autumn 2008\nAdopt: 31/03/2009",
        [
            ("Draft", date(2008, 6, 30)),
            ("Consult", date(2008, 11, 30)),
            ("Adopt", date(2009, 3, 31)),
        ],
    ),
    (
        "Consult: Spring 2009, adopt: Q3 2009/10",
        [("Consult", date(2009, 5, 31)), ("adopt", date(2009, 12, 31))],
    ),
    ("Mar-09 and Jun-08", [(None, date(2009, 3, 31)), (None, date(2008, 6, 30))]),
]


@pytest.mark.parametrize(("text", "expected"), MULTIPLE)
def test_several_milestones(text: str, expected: list[tuple[str | None, date]]) -> None:
    result = parse_timescale(text)
    assert [(m.label, m.due) for m in result.milestones] == expected
    assert result.due == max(due for _, due in expected)  # the latest, not the last written
    assert result.warning is None


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Roll out to all staff by end of Mar-09", "Roll out to all staff"),
        ("Pilot (phase 1) - Jun-08", "Pilot (phase 1)"),
        ("Report to Cabinet, no later than Q3 2009/10", "Report to Cabinet"),
        ("[Mid-2009]", None),
        ("Review: financial year 2010/11", "Review"),
    ],
)
def test_labels_drop_fillers(text: str, label: str | None) -> None:
    assert parse_timescale(text).milestones[0].label == label


def test_long_cells_are_read_quickly() -> None:
    result = parse_timescale("by " * 5000 + "x Jun-08 " + "Q3 " * 5000)
    assert result.due == date(2008, 6, 30)


@pytest.mark.parametrize("text", ["", "   ", "\n\t", None])
def test_empty_cells(text: str | None) -> None:
    result = parse_timescale(text)
    assert result == Timescale(text or "", (), None, None)
    assert result.due is None
    assert result.precision is None


UNREADABLE = [
    "tbc",
    "TBC",
    "All",
    "As soon as possible",
    "31/13/2009",
    "30/02/2009",
    "29/02/2009",
    "32 March 2009",
    "Feb 30 2009",
    "00/2009",
    "13/10",
    "1/2",
    "31/03",
    "2009/11",
    "Q5 2009",
    "Q3 2009/11",
    "Spring 2009/10",
    "Winter 2008/10",
    "Spring",
    "March",
    "31/03/209",
    "31/03/0000",
]


@pytest.mark.parametrize("text", UNREADABLE)
def test_unreadable_cells_warn_and_guess_nothing(text: str) -> None:
    result = parse_timescale(text)
    assert result.milestones == ()
    assert result.due is None
    assert result.warning is not None
    assert text.strip() in result.warning
    assert result.warning.endswith("kept as written.")
    assert result.written == text


def test_warning_wording() -> None:
    assert parse_timescale("tbc").warning == "Could not read a date in 'tbc'; kept as written."


@pytest.mark.parametrize(
    ("text", "due", "warning"),
    [
        ("May 2008 then tbc", date(2008, 5, 31), None),
        ("May 2008 (subject to funding)", date(2008, 5, 31), None),
        (
            "May 2008 then week 42",
            date(2008, 5, 31),
            "Could not read a date in 'then week 42'; kept as written.",
        ),
        (
            "31/13/2009 and Jun-08",
            date(2008, 6, 30),
            "Could not read a date in '31/13/2009'; kept as written.",
        ),
        (
            "Jun-08 and 31/13/2009",
            date(2008, 6, 30),
            "Could not read a date in '31/13/2009'; kept as written.",
        ),
        (
            "Quarterly, see section 4",
            None,
            "Could not read a date in 'see section 4'; kept as written.",
        ),
    ],
)
def test_partially_readable_cells(text: str, due: date | None, warning: str | None) -> None:
    result = parse_timescale(text)
    assert result.due == due
    assert result.warning == warning
    assert result.written == text


def test_long_unreadable_text_is_shortened_in_the_warning() -> None:
    text = "To be agreed with the corporate equality group " * 5
    warning = parse_timescale(text).warning
    assert warning is not None
    assert len(warning) < 120
    assert "..." in warning


@pytest.mark.parametrize(
    "text",
    [t for t, *_ in SINGLE_DATES]
    + [t for t, _ in RECURRENCE_ONLY]
    + UNREADABLE
    + [PILOT]
    + ["  Jun-08  ", "Jun-08\n", "Mar\u00a02009"],
)
def test_written_is_always_the_input_unchanged(text: str) -> None:
    assert parse_timescale(text).written == text


def test_today_is_accepted() -> None:
    assert parse_timescale("Jun-08", today=date(2030, 1, 1)).due == date(2008, 6, 30)


def test_results_are_frozen() -> None:
    result = parse_timescale("Jun-08")
    with pytest.raises(AttributeError):
        result.written = "x"


def test_enum_values() -> None:
    assert [p.value for p in Precision] == [
        "day",
        "month",
        "quarter",
        "season",
        "year",
        "financial year",
    ]
    assert [r.value for r in Recurrence] == [
        "annually",
        "six monthly",
        "quarterly",
        "monthly",
        "ongoing",
    ]
    assert Precision.FINANCIAL_YEAR == "financial year"


@pytest.mark.parametrize(
    ("due", "precision", "first_overdue"),
    [
        (date(2008, 6, 30), M, date(2008, 7, 1)),
        (date(2009, 12, 31), Q, date(2010, 1, 1)),
        (date(2010, 3, 31), FY, date(2010, 4, 1)),
        (date(2008, 2, 28), D, date(2008, 2, 29)),
        (date(2011, 12, 31), Y, date(2012, 1, 1)),
        (date.max, D, date.max),
    ],
)
def test_overdue_from(due: date, precision: Precision, first_overdue: date) -> None:
    assert overdue_from(due, precision) == first_overdue


FORMATS = [
    (date(2026, 11, 23), D, "23 Nov 2026"),
    (date(2009, 4, 1), D, "1 Apr 2009"),
    (date(2008, 6, 30), M, "June 2008"),
    (date(2008, 9, 30), M, "September 2008"),
    (date(2009, 12, 31), Q, "Oct\u2013Dec 2009"),
    (date(2010, 3, 31), Q, "Jan\u2013Mar 2010"),
    (date(2009, 5, 31), S, "Spring 2009"),
    (date(2008, 8, 31), S, "Summer 2008"),
    (date(2008, 11, 30), S, "Autumn 2008"),
    (date(2009, 2, 28), S, "Winter 2008/09"),
    (date(2000, 2, 29), S, "Winter 1999/00"),
    (date(2011, 12, 31), Y, "2011"),
    (date(2010, 3, 31), FY, "2009/10"),
    (date(2000, 3, 31), FY, "1999/00"),
    (date(2010, 3, 31), None, "31 Mar 2010"),
    (None, None, "No due date"),
    (None, M, "No due date"),
]


@pytest.mark.parametrize(("due", "precision", "shown"), FORMATS)
def test_format_due(due: date | None, precision: Precision | None, shown: str) -> None:
    assert format_due(due, precision) == shown


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Jun-08", "June 2008"),
        ("Q3 2009/10", "Oct\u2013Dec 2009"),
        ("Summer 2008", "Summer 2008"),
        ("2011", "2011"),
        ("2009/10", "2009/10"),
        ("Winter 2008", "Winter 2008/09"),
        ("31/03/2017", "31 Mar 2017"),
        ("Annually", "No due date"),
        (PILOT, "Summer 2008"),
    ],
)
def test_parse_then_format(text: str, shown: str) -> None:
    result = parse_timescale(text)
    assert format_due(result.due, result.precision) == shown


@given(st.one_of(st.none(), st.text()))
def test_never_raises_and_keeps_written(text: str | None) -> None:
    result = parse_timescale(text)
    assert result.written == (text or "")
    assert result.warning is None or result.warning.startswith("Could not read a date in")
    assert all(m.text and m.text in result.written for m in result.milestones)
    if result.milestones:
        assert result.due == max(m.due for m in result.milestones)


@given(
    st.lists(
        st.sampled_from(
            [
                "Jun-08",
                "tbc",
                "31/13/2009",
                " and ",
                "\n",
                "Q3 2009/10",
                "Annually",
                "Pilot:",
                "2008",
                "/",
                "-",
                "Summer",
                "09",
                "(",
                ";",
                "Feb 30 2009",
                "2009/10",
                "\u2013",
                "42",
            ]
        ),
        max_size=12,
    )
)
def test_never_raises_on_date_like_fragments(parts: list[str]) -> None:
    text = "".join(parts)
    assert parse_timescale(text).written == text


@given(st.dates(min_value=date(1000, 1, 1)))
def test_day_first_numeric_round_trip(day: date) -> None:
    for text in (
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        day.isoformat(),
        f"{day.day}.{day.month}.{day.year}",
    ):
        result = parse_timescale(text)
        assert (result.due, result.precision, result.warning) == (day, D, None)


@given(st.integers(1970, 2069), st.integers(1, 12))
def test_month_year_round_trip(year: int, month: int) -> None:
    name = MONTH_ABBREVIATIONS[month - 1]
    last_day = date(year, month, calendar.monthrange(year, month)[1])
    for text in (f"{name}-{year % 100:02d}", f"{name} {year}", f"{month:02d}/{year}"):
        result = parse_timescale(text)
        assert result.precision is M
        assert result.due == last_day


@given(st.dates(), st.sampled_from(list(Precision) + [None]))
def test_format_due_never_raises(day: date, precision: Precision | None) -> None:
    assert format_due(day, precision)
    assert overdue_from(day, precision or D) >= day
