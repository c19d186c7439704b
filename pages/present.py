"""Presentation mode: one slide per step, large type for a projector at 1280×720, no sidebar.

Each slide has its own address: ?slide=N, with ?plan=SLUG, ?since=MEETING and ?public=1 (names
of individual officers hidden). Add ?embed=true to hide Streamlit's own toolbar too.
"""

import pandas as pd
import streamlit as st

from dashboard.formats import tables
from dashboard.formats.markdown import plain
from dashboard.reads import meetings, progress
from dashboard.reports.packs import gather
from dashboard.reports.packs.contents import BURN_UP_HEADERS, burn_up_rows
from dashboard.reports.packs.slides import SlideTable, chart_height, slides
from dashboard.rules import progress as rules
from dashboard.rules.dates import uk_today
from dashboard.ui import widgets
from dashboard.ui.cache import cached
from dashboard.ui.engine import settings

# One slide fills the 1280×720 frame of slides.py: the sizes here are the ones its estimates of
# each block's height use (TITLE_LINE, TABLE_LINE, FIGURES…), so a slide that fits there fits here.
st.html(
    """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stSidebarNav"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: 1rem 3rem 0.5rem 3rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: 2.4rem; line-height: 1.2; padding: 0; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.35rem; }
[data-testid="stMain"] .eflg-figures dd { font-size: 3rem; }
[data-testid="stMain"] .eflg-figures dt { font-size: 1.2rem; }
[data-testid="stCaptionContainer"] p { font-size: 1.1rem; }
.eflg-slide-table table { table-layout: fixed; font-size: 1.1rem; margin: 0; }
.eflg-slide-table td, .eflg-slide-table th { padding: 0.5rem 1rem 0.5rem 0; }
.eflg-slide-table a { color: inherit; }
/* The warning that the app runs with no accounts is for whoever runs it, not the room. */
[data-testid="stElementContainer"]:has([data-testid="stAlertContentWarning"]) { display: none; }
</style>"""
)

plans = cached(progress.plans)()
slugs = list(plans["slug"])
slug = st.query_params.get("plan", slugs[0])
plan = plans[plans["slug"] == (slug if slug in slugs else slugs[0])].iloc[0]
held = cached(meetings.meetings)()
since_text = st.query_params.get("since", "")
known = {str(m) for m in held["meeting_id"]}
if since_text in known:
    since: int | None = int(since_text)
else:
    since = int(held["meeting_id"].iloc[0]) if not held.empty else None
public = st.query_params.get("public") == "1"
today, amber_days = uk_today(), settings().rag_amber_days
data = cached(gather.pack_data)(int(plan["plan_id"]), since, today, amber_days, public)
deck = slides(data)

try:
    number = int(st.query_params.get("slide", "1"))
except ValueError:
    number = 1
number = min(max(number, 1), len(deck))
st.query_params.update(
    {"plan": str(plan["slug"]), "slide": str(number)}
    | ({"since": str(since)} if since is not None else {})
    | ({"public": "1"} if public else {})
)


def go(to: int) -> None:
    st.query_params["slide"] = str(to)


slide = deck[number - 1]
if slide.chart is not None:  # as tall as the slide has room for (slides.chart_height)
    st.html(
        f"<style>[data-testid='stMain'] .eflg-chart img{{max-height:{chart_height(slide)}px;"
        "width:auto;}</style>"
    )
# The bar of buttons: the keys (←, →, Page Up, Page Down, Home, End) press these by their names,
# with the script /eflg/present-keys.js (dashboard/ui/server.py).
leave, first, back, counter, forward, last = st.columns(
    [4.2, 1.2, 1.6, 1.6, 1.4, 1.2], vertical_alignment="center"
)
with leave:
    st.page_link("../pages/meetings.py", label="Leave the presentation", icon=":material/close:")
first.button(
    "First", icon=":material/first_page:", disabled=number == 1, on_click=go, args=(1,),
    width="stretch",
)  # fmt: skip
back.button(
    "Previous", icon=":material/arrow_back:", disabled=number == 1, on_click=go,
    args=(number - 1,), width="stretch",
)  # fmt: skip
counter.markdown(f"Slide {number} of {len(deck)}")
forward.button(
    "Next", icon=":material/arrow_forward:", disabled=number == len(deck), on_click=go,
    args=(number + 1,), type="primary", width="stretch",
)  # fmt: skip
last.button(
    "Last", icon=":material/last_page:", disabled=number == len(deck), on_click=go,
    args=(len(deck),), width="stretch",
)  # fmt: skip
st.title(plain(slide.title), anchor=False)
if slide.subtitle:
    st.caption(plain(slide.subtitle))
if slide.figures:
    widgets.figures(slide.figures)
for line in slide.lines:
    st.markdown(plain(line))


def slide_table(table: SlideTable) -> None:
    """The table at the widths slides.py shares its rows out by, each row a link to its page."""
    frame = pd.DataFrame(table.rows, columns=table.headers)
    links = None
    if table.links:
        column = table.headers[table.link_column]
        links = {column: [tables.href(*link) if link else None for link in table.links]}
    style = "".join(
        f".eflg-slide-table th:nth-child({n}){{width:{share * 100:.1f}%;}}"
        for n, share in enumerate(table.widths, start=1)
    ) + "".join(
        f".eflg-slide-table td:nth-child({n + 1}),.eflg-slide-table th:nth-child({n + 1})"
        "{text-align:right;}"
        for n in sorted(table.numeric)
    )
    st.html(
        f"<style>{style}</style><div class='eflg-slide-table'>"
        + tables.to_html(frame, links=links)
        + "</div>"
    )


if slide.table is not None and slide.chart is not None:
    left, right = st.columns([1.25, 1], gap="large")
    with left:
        slide_table(slide.table)
    with right:
        widgets.slide_chart(data, slide.chart, 440)
elif slide.table is not None:
    slide_table(slide.table)
elif slide.chart is not None and number > 1:
    widgets.slide_chart(data, slide.chart, 560)
if slide.footer:
    st.markdown(plain(slide.footer))
if slide.chart == "themes":
    with st.expander("Show the chart as a table"):
        widgets.table(data.themes[["theme", *rules.STATUSES]].rename(columns={"theme": "Theme"}))
elif slide.chart == "burn_up":
    with st.expander("Show the chart as a table"):
        widgets.table(pd.DataFrame(burn_up_rows(data), columns=BURN_UP_HEADERS))
