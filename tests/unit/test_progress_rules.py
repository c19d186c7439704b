"""The progress rules on single values: % complete, overdue, RAG, and how they are shown."""

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from dashboard.formats.words import (
    change_words,
    format_day,
    own_rag_text,
    percent_label,
    rag_look,
    rag_text,
    status_look,
    status_text,
)
from dashboard.reports import charts
from dashboard.rules.progress import (
    Rag,
    figure_rag,
    is_overdue,
    percent,
    percent_complete,
    rag,
    rag_rule,
)
from models import Status

NS, IP, CO, EM, NA = (s.value for s in Status)
JUNE_08 = date(2008, 6, 30)  # "Jun-08" is stored as the last day of June


def test_percent_complete_counts_complete_and_embedded_and_leaves_out_not_applicable() -> None:
    assert percent_complete({NS: 2, IP: 3, CO: 4, EM: 1, NA: 10}) == 50
    assert percent_complete({CO: 1, NA: 3}) == 100
    assert percent_complete({IP: 5}) == 0


def test_percent_complete_is_none_when_nothing_counts() -> None:
    assert percent_complete({NA: 4}) is None
    assert percent_complete({}) is None


@pytest.mark.parametrize(
    ("done", "counted", "expected"),
    [(1, 3, 33), (2, 3, 67), (1, 8, 13), (3, 8, 38), (0, 5, 0), (5, 5, 100), (0, 0, None)],
)
def test_percent_rounds_halves_up(done: int, counted: int, expected: int | None) -> None:
    assert percent(done, counted) == expected


def test_percent_label_says_why_there_is_no_percentage() -> None:
    assert percent_label(5, 4, 25) == "25%"
    assert percent_label(0, 0, None) == "No issues"
    assert percent_label(3, 0, None) == "All not applicable"


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(date(2008, 6, 1), False), (JUNE_08, False), (date(2008, 7, 1), True)],
)
def test_a_month_due_date_is_overdue_from_the_first_of_the_next_month(
    today: date, overdue: bool
) -> None:
    assert is_overdue(NS, JUNE_08, "month", today) is overdue
    assert is_overdue(IP, JUNE_08, "month", today) is overdue


@pytest.mark.parametrize("status", [CO, EM, NA])
def test_closed_issues_are_never_overdue(status: str) -> None:
    assert not is_overdue(status, JUNE_08, "month", date(2020, 1, 1))


def test_an_issue_with_no_due_date_is_never_overdue() -> None:
    assert not is_overdue(NS, None, None, date(2099, 1, 1))


@pytest.mark.parametrize(
    ("status", "due", "today", "expected"),
    [
        (CO, JUNE_08, date(2009, 1, 1), Rag.COMPLETE),
        (EM, None, date(2009, 1, 1), Rag.COMPLETE),
        (NA, JUNE_08, date(2009, 1, 1), Rag.NOT_APPLICABLE),
        (NS, JUNE_08, date(2008, 7, 1), Rag.RED),
        (IP, JUNE_08, date(2008, 7, 1), Rag.RED),
        (NS, JUNE_08, date(2008, 5, 31), Rag.AMBER),  # 30 days before: amber
        (NS, JUNE_08, JUNE_08, Rag.AMBER),  # due today: not yet overdue
        (NS, JUNE_08, date(2008, 5, 30), Rag.GREEN),  # 31 days before
        (IP, JUNE_08, date(2008, 6, 15), Rag.GREEN),  # started, so not amber
        (NS, None, date(2008, 6, 15), Rag.GREEN),
        (IP, None, date(2008, 6, 15), Rag.GREEN),
    ],
)
def test_rag_rule(status: str, due: date | None, today: date, expected: Rag) -> None:
    assert rag(status, due, "month", today, 30) is expected


def test_amber_window_is_configurable() -> None:
    assert rag(NS, JUNE_08, "month", date(2008, 4, 1), 30) is Rag.GREEN
    assert rag(NS, JUNE_08, "month", date(2008, 4, 1), 90) is Rag.AMBER
    assert "within 90 days" in rag_rule(90)


def test_rag_is_shown_with_an_icon_and_words_never_colour_alone() -> None:
    assert rag_text(Rag.RED) == "▲ Red – overdue"
    assert rag_text(Rag.AMBER) == "◆ Amber – due soon, not started"
    assert rag_text(Rag.GREEN) == "● Green – on track"
    assert rag_text(Rag.GREEN, has_due_date=False) == "● Green – no due date"
    assert rag_text(Rag.COMPLETE) == "✓ Complete"
    assert rag_text(Rag.NOT_APPLICABLE) == "– Not applicable"
    icons = {rag_text(r)[0] for r in Rag}
    assert len(icons) == len(Rag)  # each rating has its own icon
    # On screen the same ratings carry an icon of their own shape, with the same words.
    screen = {rag_look(r).icon for r in Rag}
    assert len(screen) == len(Rag)
    assert rag_look(Rag.RED).markdown == ":red[:material/error:] Red – overdue"


def test_one_look_per_status_on_screen_and_in_files() -> None:
    for status in Status:
        look = status_look(status.value)
        assert look.words == status.value
        assert look.text == f"{look.shape} {status.value}"
        assert look.markdown == f":material/{look.icon}: {status.value}"
    assert len({status_look(s.value).icon for s in Status}) == len(Status)


def test_every_status_has_its_own_shape_and_its_words() -> None:
    shown = [status_text(s.value) for s in Status]
    assert all(s.value in text for s, text in zip(Status, shown, strict=True))
    assert len({text[0] for text in shown}) == len(Status)


def test_dates_are_british() -> None:
    assert format_day(date(2026, 11, 23)) == "23 Nov 2026"
    assert format_day(datetime(2026, 7, 1, 9, 30, tzinfo=UTC)) == "10:30 on 1 Jul 2026"
    assert format_day(None) == ""


def test_theme_chart_stacks_statuses_with_a_colour_blind_safe_palette() -> None:
    themes = pd.DataFrame(
        {
            "position": [1, 2],
            "theme": ["Knowing your community", "Workforce"],
            "percent_complete": [50, None],
            "issues": [4, 2],
            NS: [1, 0],
            IP: [1, 0],
            CO: [1, 0],
            EM: [1, 0],
            NA: [0, 2],
        }
    )
    spec = charts.theme_status_chart(themes).to_dict()
    assert spec["encoding"]["color"]["scale"]["range"] == list(charts.STATUS_COLOURS.values())
    assert spec["encoding"]["color"]["scale"]["domain"] == [s.value for s in Status]
    assert "Knowing your community: 4 issues" in spec["description"]
    rows = next(iter(spec["datasets"].values()))
    assert {(r["Theme"], r["Status"], r["Issues"]) for r in rows} == {
        ("Knowing your community (50% complete)", NS, 1),
        ("Knowing your community (50% complete)", IP, 1),
        ("Knowing your community (50% complete)", CO, 1),
        ("Knowing your community (50% complete)", EM, 1),
        ("Workforce (no % complete)", NA, 2),
    }


@pytest.mark.parametrize(
    ("status", "own", "source", "expected"),
    [
        (IP, "Amber", "council", Rag.AMBER),  # the council's judgement, though not overdue
        (IP, "Green", "council", Rag.GREEN),  # though overdue by its dates
        (NS, None, "council", Rag.RED),  # not rated: by its dates (overdue)
        (IP, "Amber", "dates", Rag.RED),  # the plan uses the dates
        (CO, "Red", "council", Rag.COMPLETE),  # done counts as complete, whatever the rating
        (EM, "Amber", "council", Rag.COMPLETE),
        (NA, "Red", "council", Rag.NOT_APPLICABLE),  # left out
    ],
)
def test_figures_use_the_councils_own_rating_when_the_plan_says_so(
    status: str, own: str | None, source: str, expected: Rag
) -> None:
    overdue_day = date(2009, 1, 1)
    assert figure_rag(status, JUNE_08, "month", overdue_day, 30, own, source) is expected


def test_the_rule_line_says_which_rating_the_figures_use() -> None:
    assert rag_rule(30) == rag_rule(30, "dates")
    council = rag_rule(30, "council")
    assert council.startswith("Red, Amber and Green use the council's own rating of each issue")
    assert "an issue it has not rated counts by its dates" in council
    assert council.endswith(rag_rule(30))


def test_the_councils_rating_has_its_own_shape_and_words() -> None:
    assert [own_rag_text(r) for r in ("Red", "Amber", "Green", None)] == [
        "▲ Red", "◆ Amber", "● Green", "– Not set",
    ]  # fmt: skip
    assert own_rag_text(float("nan")) == "– Not set"  # a missing value from a DataFrame


@pytest.mark.parametrize(
    ("moves", "shown"),
    [
        ((NS, IP, None, None), "Not started → In progress"),
        ((IP, IP, None, None), "Note added"),
        ((IP, IP, "Amber", "Green"), "RAG Amber → Green"),
        ((NS, IP, None, "Amber"), "Not started → In progress; RAG Not set → Amber"),
        ((IP, IP, "Red", None), "RAG Red → Not set"),
    ],
)
def test_history_says_when_the_councils_rating_moved(
    moves: tuple[str, str, str | None, str | None], shown: str
) -> None:
    assert change_words(*moves) == shown


def test_due_soon_is_unfinished_not_overdue_and_within_the_window() -> None:
    from datetime import date

    from dashboard.rules.progress import is_due_soon

    today = date(2026, 11, 23)
    assert is_due_soon("In progress", date(2026, 12, 1), False, today, 30)
    assert is_due_soon("Not started", date(2026, 12, 23), False, today, 30)
    assert not is_due_soon("Not started", date(2026, 12, 24), False, today, 30)  # later
    assert not is_due_soon("Complete", date(2026, 12, 1), False, today, 30)  # finished
    assert not is_due_soon("In progress", date(2026, 11, 1), True, today, 30)  # overdue
    assert not is_due_soon("In progress", None, False, today, 30)  # no date
