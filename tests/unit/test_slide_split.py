"""Long slide tables continue on following slides: rows shared out by their wrapped height, so
every slide fits the 1280×720 frame and no row or word is lost."""

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.reports.packs.slides import (
    CONTINUED,
    SLIDE_HEIGHT,
    Slide,
    SlideTable,
    continued,
    done_lines,
    row_height,
    slide_height,
)

WORDS = "Publish the equality scheme and review it with the community panel every year"


def _table(lengths: list[int]) -> SlideTable:
    rows = [[f"{n}.1", " ".join([WORDS] * max(1, length // len(WORDS)))[:length] or "x",
             "Not started", "● Green – no due date"]
            for n, length in enumerate(lengths, start=1)]  # fmt: skip
    return SlideTable(
        "Issues", ["Ref", "Issue", "Status", "RAG"], rows, widths=(0.07, 0.59, 0.14, 0.2),
        links=tuple(("issue", {"issue": str(n)}) for n in range(len(rows))), link_column=1,
    )  # fmt: skip


THEME = Slide(
    title="Place shaping, leadership, partnership and organisational commitment",
    subtitle="Theme 2 of 5",
    figures=(("Issues", "10"), ("Complete", "30%"), ("Overdue", "1"), ("Due soon", "2")),
    lines=("3 issues complete: 2.1, 2.4, 2.9.",),
)


def _deck(lengths: list[int]) -> list[Slide]:
    return continued(THEME, _table(lengths), "Theme 2 of 5, continued")


def test_long_texts_take_more_slides_than_short_ones_and_each_slide_fits() -> None:
    short, long = _deck([60] * 10), _deck([400] * 10)
    assert len(long) > len(short) >= 1
    for deck in (short, long):
        assert all(slide_height(s) <= SLIDE_HEIGHT for s in deck)
        assert deck[0].title == THEME.title and deck[0].figures == THEME.figures
        for later in deck[1:]:
            assert later.title == f"{THEME.title} (continued)" and not later.figures
        assert [s.footer for s in deck] == [CONTINUED] * (len(deck) - 1) + [""]
        refs = [row[0] for s in deck if s.table for row in s.table.rows]
        assert refs == [f"{n}.1" for n in range(1, 11)]  # every row, once, in order


def test_the_split_is_by_height_not_by_count() -> None:
    """Ten one-line rows fit where four long ones already fill a slide."""
    assert len(_deck([40] * 4)) == 1
    many_short = _deck([40] * 9)
    few_long = _deck([700] * 4)
    first_short = many_short[0].table
    first_long = few_long[0].table
    assert first_short is not None and first_long is not None
    assert len(first_short.rows) > len(first_long.rows)


def test_a_row_too_tall_for_any_slide_carries_on_with_its_words_whole() -> None:
    text = " ".join(f"word{n}" for n in range(900))
    table = SlideTable("Issues", ["Ref", "Issue"], [["1.1", text]], widths=(0.1, 0.9),
                       links=(("issue", {"issue": "1"}),))  # fmt: skip
    deck = continued(Slide(title="Risks"), table)
    assert len(deck) > 1 and all(slide_height(s) <= SLIDE_HEIGHT for s in deck)
    cells = [row[1] for s in deck if s.table for row in s.table.rows]
    assert cells[0].endswith(" …") and cells[-1].startswith("… ")
    assert " ".join(cells).replace(" … … ", " ") == text
    links = [s.table.links for s in deck if s.table]
    assert all(link == (("issue", {"issue": "1"}),) for link in links)  # each part still leads


def test_a_taller_row_counts_its_wrapped_lines() -> None:
    table = _table([50, 500])
    assert row_height(table, table.rows[1]) > 3 * row_height(table, table.rows[0]) / 2


def test_done_issues_are_listed_by_ref() -> None:
    import pandas as pd

    issues = pd.DataFrame(
        {"ref": ["1.1", "1.2", "1.3", "1.4", "1.5"],
         "status": ["Complete", "Not started", "Complete", "Not applicable", "Embedded"]}
    )  # fmt: skip
    assert done_lines(issues) == (
        "2 issues complete: 1.1, 1.3.",
        "1 issue embedded: 1.5.",
        "1 issue not applicable: 1.4.",
    )


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=2500), min_size=1, max_size=30))
def test_any_table_is_shared_out_whole_and_within_the_frame(lengths: list[int]) -> None:
    deck = _deck(lengths)
    assert all(slide_height(s) <= SLIDE_HEIGHT for s in deck)
    refs = [row[0] for s in deck if s.table for row in s.table.rows]
    assert list(dict.fromkeys(refs)) == [f"{n}.1" for n in range(1, len(lengths) + 1)]
