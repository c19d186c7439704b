"""The new plan's suggested title and organisation, from the lines above the table."""

import pytest

from dashboard.formats.plan_title import is_organisation_line, organisation_in, suggest_title


@pytest.mark.parametrize(
    "line",
    [
        "Tamworth Borough Council",
        "Pembrokeshire County Council",
        "Royal Berkshire Fire and Rescue Service",
        "Oxford Brookes University",
        "University of Oxford",
        "Newtown Hospitals NHS Trust",
        "Scottish Government",
    ],
)
def test_a_line_that_is_only_an_organisation_is_one(line: str) -> None:
    assert is_organisation_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Diversity and Equality Action Plan 2015 – 2019",
        "Strategic Equality Plan 2024-28",
        "Report to Council",
        "Equality Scheme of Newtown Borough Council",
    ],
)
def test_a_plan_title_is_not_an_organisation_line(line: str) -> None:
    assert not is_organisation_line(line)


def test_the_council_name_line_gives_way_to_the_plan_title_below_it() -> None:
    lines = ["Tamworth Borough Council", "Diversity and Equality Action Plan 2015 – 2019"]
    assert suggest_title(lines, "plan.xlsx", 300) == lines[1]
    assert organisation_in(lines, []) == "Tamworth Borough Council"


def test_a_title_line_with_plan_words_wins_over_an_earlier_plain_line() -> None:
    lines = ["Draft for consultation", "Race Equality Scheme 2008-11"]
    assert suggest_title(lines, "x.csv", 300) == "Race Equality Scheme 2008-11"


def test_only_an_organisation_line_is_still_the_title_when_nothing_follows() -> None:
    assert suggest_title(["Newtown Borough Council"], "x.csv", 300) == "Newtown Borough Council"


def test_no_title_lines_gives_the_file_name() -> None:
    assert suggest_title([], "race_equality_plan 2009.xlsx", 300) == "race equality plan 2009"
    assert len(suggest_title([], "a" * 400 + ".csv", 300)) == 300


def test_an_organisation_named_inside_a_line_is_found() -> None:
    lines = ["Newtown Borough Council Equality Objectives 2024"]
    assert organisation_in(lines, []) == "Newtown Borough Council"
    lines = ["Updates can be found on the Scottish Government webpage."]
    assert organisation_in(lines, []) == "Scottish Government"


def test_a_known_organisation_is_found_by_its_name_as_known() -> None:
    lines = ["Single equality scheme of newtown  district for 2010"]
    assert organisation_in(lines, ["Newtown District", "Elsewhere"]) == "Newtown District"


def test_title_lines_that_name_no_organisation_give_none() -> None:
    assert organisation_in(["Revised Race Equality Action Plan, May 2004"], ["Somewhere"]) is None
    assert organisation_in([], ["Somewhere"]) is None
    assert organisation_in(["Report to Cabinet and Full Council, 3 May 2024"], []) is None
