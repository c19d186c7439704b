"""All plans: each plan with its organisation, themes and issue counts."""

import pandas as pd
import streamlit as st

from dashboard import ui

st.title("Equality action plans")

plans = ui.plans_summary()
sections = ui.sections_summary()

if plans.empty:
    st.info("There are no plans yet. An equality lead can import one.")

for plan in plans.itertuples():
    st.header(ui.plain(str(plan.title)), divider="gray")
    facts = [str(plan.organisation)]
    if plan.period:
        facts.append(str(plan.period))
    facts.append(f"{plan.sections} themes or sections, {plan.issues} issues")
    if pd.notna(plan.percent_complete):
        facts.append(f"{plan.percent_complete}% complete")
    st.write(ui.plain(" · ".join(facts)))
    own = sections[sections["plan_id"] == plan.plan_id]
    ui.table(
        own.rename(columns={"position": "No.", "heading": "Theme or section", "issues": "Issues"})[
            ["No.", "Theme or section", "Issues"]
        ]
    )
