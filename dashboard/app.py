"""Entry point: `streamlit run dashboard/app.py`. Builds the navigation and hands over to a page."""

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent.parent / "pages"

st.set_page_config(page_title="Equality action plans", page_icon=":material/diversity_3:")

navigation = st.navigation(
    {
        "Plans": [
            st.Page(PAGES / "plans.py", title="All plans", icon=":material/list_alt:", default=True),
        ],
    }
)
navigation.run()
