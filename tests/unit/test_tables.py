"""Tables are plain HTML: what people typed shows as typed; icons are decoration beside words."""

import csv
import io
import math
import re
from datetime import date

import pandas as pd
import pytest

from dashboard.formats import tables
from dashboard.rules.progress import Rag
from dashboard.ui.labels import rag_label, status_label
from tests.app.tables import read_tables, words


def test_typed_text_is_shown_exactly_never_as_markup() -> None:
    typed = 'See <b>minutes</b> <script>alert("x")</script> [here](http://evil.example) & **now**'
    markup = tables.to_html(pd.DataFrame({"Note": [typed]}))
    assert "<b>" not in markup and "<script>" not in markup
    assert read_tables(markup)[0]["Note"].iloc[0] == typed


def test_headers_are_column_headers_and_row_headers_when_asked() -> None:
    frame = pd.DataFrame({"In the file": ["New actions", "Warnings"], "Number": [3, 0]})
    markup = tables.to_html(frame, row_headers=True)
    assert markup.count('<th scope="col"') == 2
    assert '<th scope="row" role="rowheader" data-label="In the file">New actions</th>' in markup
    shown = read_tables(markup)[0]
    assert list(shown["Number"]) == [3, 0]  # number cells right-aligned, read back as numbers
    assert '<td role="cell" data-label="Number" class="eflg-num">3</td>' in markup


def test_missing_values_are_blank_and_whole_floats_have_no_decimals() -> None:
    frame = pd.DataFrame({"Issues": [2.0, math.nan], "Lead": ["Parks", None]})
    shown = read_tables(tables.to_html(frame))[0]
    assert list(shown["Lead"]) == ["Parks", ""]
    assert shown["Issues"].iloc[0] == 2
    assert "2.0" not in tables.to_html(frame)


def test_status_icons_are_hidden_from_screen_readers_and_the_words_stay() -> None:
    frame = pd.DataFrame({"RAG": [rag_label(Rag.RED)], "Status": [status_label("Complete")]})
    markup = tables.to_html(frame, icons=("RAG", "Status"))
    assert '<span class="eflg-icon eflg-icon-red" data-icon="error" aria-hidden="true">' in markup
    assert 'data-icon="check_circle" aria-hidden="true"></span>&nbsp;Complete' in markup
    shown = read_tables(markup)[0].iloc[0]
    assert shown["RAG"] == words(rag_label(Rag.RED)) == "Red – overdue"
    assert shown["Status"] == "Complete"


def test_icon_syntax_in_typed_text_is_not_turned_into_icons() -> None:
    typed = ":material/error: not an icon when someone types it"
    markup = tables.to_html(pd.DataFrame({"Note": [typed], "RAG": [typed]}), icons=("RAG",))
    assert markup.count("eflg-icon") == 1  # only in the column that holds the app's own labels
    assert read_tables(markup)[0]["Note"].iloc[0] == typed


def test_icon_colours_meet_contrast_on_white() -> None:
    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in tables.ICON_COLOURS.values():
        assert (1.05) / (luminance(colour) + 0.05) >= 4.5, colour


def test_only_a_very_long_word_may_break_anywhere() -> None:
    address = "https://www.example.gov.uk/council/equality/evidence/2026/minutes-of-the-meeting.pdf"
    markup = tables.to_html(pd.DataFrame({"Evidence": [address, "Minutes of the meeting"]}))
    assert f'data-label="Evidence" class="eflg-long">{address}</td>' in markup
    assert '<td role="cell" data-label="Evidence">Minutes of the meeting</td>' in markup


def test_headline_figures_pair_each_label_with_its_figure() -> None:
    markup = tables.figures([("Issues", 32), (":red[:material/error:] Red – overdue", 3)])
    assert markup.startswith('<dl class="eflg-figures">')
    assert "<dt>Issues</dt><dd>32</dd>" in markup
    # the icon is decorative, hidden from screen readers; the words carry the meaning
    assert '<span class="eflg-icon eflg-icon-red" data-icon="error" aria-hidden="true">' in markup
    assert "Red – overdue</dt><dd>3</dd>" in markup


def test_headline_figures_are_escaped() -> None:
    markup = tables.figures([("<b>Issues</b>", "<script>alert(1)</script>")])
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup


def test_a_section_is_a_heading_caption_and_body_with_every_word_escaped() -> None:
    markup = tables.section(
        "Overdue <issues>",
        subtitle="Developing level",
        caption="Past their due date & not done",
        body=tables.paragraph("No issues are <b>overdue</b>."),
    )
    assert '<h2 class="eflg-h2">Overdue &lt;issues&gt;</h2>' in markup
    assert '<h3 class="eflg-h3">Developing level</h3>' in markup
    assert '<p class="eflg-caption">Past their due date &amp; not done</p>' in markup
    assert "<p>No issues are &lt;b&gt;overdue&lt;/b&gt;.</p>" in markup
    # heading, then subheading, then caption, then the body: the order a reader meets them
    order = [markup.index(tag) for tag in ("<h2", "<h3", 'class="eflg-caption"', "<p>No")]
    assert order == sorted(order)


def test_a_linked_column_opens_each_rows_own_page() -> None:
    frame = pd.DataFrame({"Theme": ["Leadership", "Access <b>"], "Issues": [3, 4]})
    html_out = tables.to_html(
        frame, links={"Theme": [tables.href("themes", {"plan": "p", "theme": 7}), None]}
    )
    assert '<a href="themes?plan=p&amp;theme=7" target="_self">Leadership</a></td>' in html_out
    assert 'data-label="Theme">Access &lt;b&gt;</td>' in html_out  # no address: plain, escaped text


@pytest.mark.parametrize(
    "address",
    ["//evil.example", "https://evil.example", "javascript:alert(1)", "/\\evil", 'issue?x="><s>'],
)
def test_a_link_the_app_did_not_make_is_refused(address: str) -> None:
    frame = pd.DataFrame({"Issue": ["1.1"]})
    with pytest.raises(tables.UnsafeLink):
        tables.to_html(frame, links={"Issue": [address]})


def test_a_page_query_is_encoded() -> None:
    assert tables.href("search", {"q": "a&b c"}) == "search?q=a%26b+c"
    with pytest.raises(tables.UnsafeLink):
        tables.href("../admin")


def test_copying_a_table_copies_words_not_icon_names() -> None:
    # The icon is drawn from data-icon by the style sheet (generated content is not copied).
    markup = tables.to_html(
        pd.DataFrame({"Status": [status_label("Not started")]}), icons=["Status"]
    )
    text = re.sub(r"<[^>]+>", "", markup)
    assert text.replace("&nbsp;", " ").strip().endswith("Not started")
    assert "radio_button" not in text and "data-icon=" in markup
    assert ".eflg-icon::before{content:attr(data-icon);}" in tables.STYLE


def test_sorting_reads_numbers_dates_percentages_and_refs_by_their_value() -> None:
    frame = pd.DataFrame(
        {
            "Ref": ["4.10", "4.2", "10.1"],
            "% complete": ["9%", "100%", "No issues"],
            "Due by": ["2 Dec 2026", "30 Nov 2026", ""],
            "When": ["09:00 on 1 Dec 2026", "14:05 on 30 Nov 2026", "08:00 on 1 Dec 2026"],
            "Issues": [12, 3, 100],
        }
    )

    def refs(column: str, descending: bool = False) -> list[str]:
        return [frame["Ref"][i] for i in tables.sort_order(frame, column, descending=descending)]

    assert refs("Ref") == ["4.2", "4.10", "10.1"]  # as a person counts, not as text sorts
    assert refs("% complete") == ["4.10", "4.2", "10.1"]  # 9% before 100%; words after numbers
    assert refs("Due by") == ["4.2", "4.10", "10.1"]  # 30 Nov before 2 Dec; blank last
    assert refs("Due by", descending=True) == ["4.10", "4.2", "10.1"]  # blank last either way
    assert refs("When") == ["4.2", "10.1", "4.10"]
    assert refs("Issues", descending=True) == ["10.1", "4.10", "4.2"]


def test_a_sorted_table_moves_its_links_with_its_rows_and_says_how_it_is_sorted() -> None:
    frame = pd.DataFrame({"Theme": ["Leadership", "Access"], "Coverage": ["None – gap", "3"]})
    markup = tables.to_html(
        frame,
        sort="Coverage",
        descending=True,
        keys={"Coverage": [0, 3]},  # "None – gap" counts as none
        links={"Theme": [tables.href("themes", {"theme": 1}), tables.href("themes", {"theme": 2})]},
    )
    shown = read_tables(markup)[0]
    assert list(shown["Theme"]) == ["Access", "Leadership"]
    assert markup.index("theme=2") < markup.index("theme=1")  # each link stays with its row
    assert 'aria-sort="descending">Coverage</th>' in markup
    assert markup.count("aria-sort") == 1


def test_each_cell_carries_its_column_name_for_the_narrow_screen_cards() -> None:
    markup = tables.to_html(pd.DataFrame({'Lead "service"': ["Parks"], "Issues": [2]}))
    assert 'data-label="Lead &quot;service&quot;">Parks</td>' in markup
    assert 'data-label="Issues" class="eflg-num">2</td>' in markup
    assert f"@media (max-width:{tables.NARROW})" in tables.STYLE
    assert "content:attr(data-label)" in tables.STYLE


HOSTILE = pd.DataFrame(
    {
        "Issue": ['=HYPERLINK("http://evil.example","Click")', "+1", "Plain words"],
        "Status": [status_label("Complete"), status_label("Not started"), rag_label(Rag.RED)],
        "Issues": [3, 12, 0],
        "% complete": ["33%", "No issues", "100%"],
        "Ref": ["4.10", "4.2", "1.1"],
        "Due by": ["23 Nov 2026", "", "1 Dec 2026"],
    }
)


def test_a_downloaded_csv_is_the_table_as_words_with_formulas_neutralised() -> None:
    data = tables.to_csv(HOSTILE, icons=["Status"])
    assert data.startswith("\ufeff".encode())  # Excel reads "–" as written
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["Issue", "Status", "Issues", "% complete", "Ref", "Due by"]
    assert rows[1][0].startswith("'=HYPERLINK")  # text, never a formula
    assert rows[2][0] == "'+1"
    assert [r[1] for r in rows[1:]] == ["Complete", "Not started", "Red – overdue"]  # no icons
    assert "material" not in data.decode() and "<" not in data.decode()


def test_a_downloaded_workbook_keeps_numbers_percentages_and_dates_as_values() -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(tables.to_xlsx(HOSTILE, icons=["Status"]))).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Issue", "Status", "Issues", "% complete", "Ref", "Due by"]
    assert all(isinstance(v, str) and v.startswith("'") for v in (rows[1][0], rows[2][0]))
    assert sheet["A2"].data_type == "s"  # stored as text: no formula in the file
    assert [r[1] for r in rows[1:]] == ["Complete", "Not started", "Red – overdue"]
    assert [r[2] for r in rows[1:]] == [3, 12, 0]
    assert [r[3] for r in rows[1:]] == [0.33, "No issues", 1.0]
    assert sheet["D2"].number_format == "0%"
    assert [r[4] for r in rows[1:]] == ["4.10", "4.2", "1.1"]  # refs stay as written
    assert rows[1][5] is not None and rows[1][5].date() == date(2026, 11, 23)
    assert sheet.auto_filter.ref == "A1:F4" and sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > len("Issue") + 2  # as wide as its words


def test_missing_dates_and_numbers_sort_last_and_download_blank() -> None:
    frame = pd.DataFrame({"When": [pd.NaT, pd.Timestamp("2026-11-23")], "N": [math.nan, 1.0]})
    assert tables.sort_order(frame, "When") == [1, 0]
    assert tables.sort_order(frame, "N", descending=True) == [1, 0]
    rows = list(csv.reader(io.StringIO(tables.to_csv(frame).decode("utf-8-sig"))))
    assert rows[1] == ["", ""]
