"""The overview's opening sentence and its % complete bars, as pure functions."""

import re

from dashboard.formats import bars
from dashboard.formats.words import furthest_behind_words, issue_words, shortened
from dashboard.rules.progress import Standing, behind_key, furthest_behind


def standing(name: str, done: int, counted: int, overdue: int = 0, issues: int = 0) -> Standing:
    percent = None if not counted else int(100 * done / counted + 0.5)
    return Standing(name, issues or counted, done, counted, percent, overdue)


def test_furthest_behind_is_the_lowest_percent_then_most_overdue_then_most_issues() -> None:
    themes = [
        standing("Workforce", 3, 10),
        standing("Responsive services", 1, 8),  # 13%
        standing("Mapping", 1, 8, overdue=2),  # 13% too, but with issues overdue
        standing("All not applicable", 0, 0, issues=4),  # nothing counts: never behind
    ]
    assert furthest_behind(themes) == themes[2]
    assert furthest_behind([standing("Empty", 0, 0)]) is None
    assert behind_key(None, 5, 5) > behind_key(100, 0, 1)  # nothing counted comes last
    assert behind_key(float("nan"), 0, 0) == behind_key(None, 0, 0)
    tie = [standing("Small", 0, 3), standing("Large", 0, 9)]
    assert furthest_behind(tie) == tie[1]


def test_the_sentence_says_it_plainly() -> None:
    theme = standing("Responsive services", 1, 8)
    service = standing("Customer Services", 0, 6)
    assert furthest_behind_words(theme, service) == (
        "Furthest behind: Responsive services (13%) and Customer Services (0 of 6 done)"
    )
    assert furthest_behind_words(None, service) == (
        "Furthest behind: Customer Services (0 of 6 done)"
    )
    done = standing("Everything", 6, 6)
    assert furthest_behind_words(done, done).startswith("Nothing is behind")


def test_issue_words_are_shortened_at_a_word() -> None:
    text = "Review the equality impact assessment process and publish the results " * 3
    words = issue_words("4.2", text, 60)
    assert words.startswith("4.2 Review the equality") and words.endswith("…")
    kept = words.removeprefix("4.2 ").removesuffix("…")
    assert len(kept) < 60 and text.startswith(kept) and text[len(kept)] == " "  # whole words
    assert shortened("Short text") == "Short text"


def test_each_bar_is_a_link_with_its_words_and_the_colours_only_repeat_them() -> None:
    bar = bars.Bar(
        name="Mapping <&>",
        figure="40%",
        done=2,
        counted=5,
        counts={"Complete": 2, "In progress": 1, "Not started": 2, "Not applicable": 1},
        address="themes?plan=p&theme=7",
    )
    markup = bars.bars([bar], label="% complete by theme")
    assert '<a href="themes?plan=p&amp;theme=7" target="_self">' in markup
    assert "Mapping &lt;&amp;&gt;" in markup  # escaped
    assert "2 of 5 done · 1 in progress, 2 not started, 1 not applicable" in markup
    assert 'aria-hidden="true"' in markup  # the bar itself is decoration beside the words
    widths = [float(w) for w in re.findall(r"width:([\d.]+)%", markup)]
    assert widths == [33.33, 16.67, 33.33, 16.67]  # of the 6 issues, done first


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_segment_colour_has_3_to_1_contrast_on_white() -> None:
    for status, colour in bars.STATUS_COLOURS.items():
        assert 1.05 / (relative_luminance(colour) + 0.05) >= 3, status
