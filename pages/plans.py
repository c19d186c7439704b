"""All plans: each plan with its organisation, themes and issue counts, ten plans a page."""

import pandas as pd
import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.reads import progress, summaries
from dashboard.rules.errors import Refused
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session
from dashboard.writes.ratings import RATING_SOURCE_WORDS, set_rating_source

PER_PAGE = 10

st.title("Equality action plans")

plans = cached(summaries.plans_summary)()
sections = cached(summaries.sections_summary)()
actor = signin.current_actor()
rating_sources = dict(cached(progress.plans)()[["plan_id", "rating_source"]].values.tolist())


def rating_setting(plan_id: int, slug: str) -> None:
    """For an equality lead: which rating the plan's Red, Amber and Green figures use."""
    current = rating_sources.get(plan_id)
    chosen = st.selectbox(
        "Red, Amber and Green figures use",
        list(RATING_SOURCE_WORDS),
        index=list(RATING_SOURCE_WORDS).index(current) if current in RATING_SOURCE_WORDS else 0,
        format_func=RATING_SOURCE_WORDS.__getitem__,
        key=f"rating_source_{plan_id}",
    )
    if chosen == current:
        return
    try:
        with session() as db:
            set_rating_source(session=db, actor=actor, plan_slug=slug, rating_source=chosen)
    except Refused as error:
        st.error(plain(error), icon=":material/error:")
        return
    after_write()
    st.rerun()


if plans.empty:
    st.info("There are no plans yet. An equality lead can import one.")
    widgets.stop()

organisations = sorted(plans["organisation"].unique())
if len(organisations) > 1 and len(plans) > PER_PAGE:
    chosen = widgets.url_choice(
        "Organisation",
        [(widgets.ALL, "All organisations"), *[(name, name) for name in organisations]],
        "organisation",
    )
    if chosen != widgets.ALL:
        plans = plans[plans["organisation"] == chosen]

pages = max(1, -(-len(plans) // PER_PAGE))
if pages > 1:
    number = int(
        widgets.url_choice(
            "Page",
            [(str(n), f"Page {n} of {pages}") for n in range(1, pages + 1)],
            "page",
        )
    )
    first = (number - 1) * PER_PAGE
    st.caption(f"Plans {first + 1} to {min(first + PER_PAGE, len(plans))} of {len(plans)}.")
    plans = plans.iloc[first : first + PER_PAGE]

for plan in plans.to_dict("records"):
    st.header(plain(str(plan["title"])), divider="gray")
    facts = [str(plan["organisation"])]
    if plan["period"]:
        facts.append(str(plan["period"]))
    facts.append(f"{plan['sections']} themes or sections, {plan['issues']} issues")
    if pd.notna(plan["percent_complete"]):
        facts.append(f"{int(plan['percent_complete'])}% complete")
    st.write(plain(" · ".join(facts)))
    if actor.is_admin:
        rating_setting(int(plan["plan_id"]), str(plan["slug"]))
    own = sections[sections["plan_id"] == plan["plan_id"]]
    widgets.table(
        own.rename(columns={"position": "No.", "heading": "Theme or section", "issues": "Issues"})[
            ["No.", "Theme or section", "Issues"]
        ],
        name=f"{plan['slug']}_themes",
        download=True,
        links={"Theme or section": widgets.theme_addresses(str(plan["slug"]), own["section_id"])},
    )
