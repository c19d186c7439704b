"""Entry point: `streamlit run dashboard/app.py`. Builds the navigation and hands over to a page.

Any unexpected error on a page is logged for the administrator and shown to the user as a calm
sentence, never as a stack trace.
"""

import logging
from pathlib import Path

import streamlit as st

PAGES = Path(__file__).resolve().parent.parent / "pages"
log = logging.getLogger("eflg")

st.set_page_config(page_title="Equality action plans", page_icon=":material/diversity_3:")

navigation = st.navigation(
    {
        "Plans": [
            st.Page(
                PAGES / "plans.py", title="All plans", icon=":material/list_alt:", default=True
            ),
        ],
    }
)
try:
    navigation.run()
except Exception:
    log.exception("Unexpected error on page %s", navigation.title)
    st.error(
        "Sorry, something went wrong showing this page. Nothing you entered has been lost. "
        "Please try again; if it happens again, tell your equality lead. "
        "The details have been written to the server log.",
        icon=":material/error:",
    )
