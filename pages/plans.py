"""All plans: each plan with its organisation, themes and issue counts, ten plans a page."""

import pandas as pd
import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.reads import summaries
from dashboard.ui import widgets
from dashboard.ui.cache import cached

PER_PAGE = 10

st.title("Equality action plans")

plans = cached(summaries.plans_summary)()
sections = cached(summaries.sections_summary)()

if plans.empty:
    st.info("There are no plans yet. An equality lead can import one.")
    st.stop()

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
    own = sections[sections["plan_id"] == plan["plan_id"]]
    widgets.table(
        own.rename(columns={"position": "No.", "heading": "Theme or section", "issues": "Issues"})[
            ["No.", "Theme or section", "Issues"]
        ]
    )
