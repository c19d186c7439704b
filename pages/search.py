"""Find an issue: every plan's issues searched by the words of their text, their ref, their
leads and the notes of their updates; each result a link to the issue's own page."""

import pandas as pd
import streamlit as st

from dashboard.formats import search as words
from dashboard.formats import tables
from dashboard.formats.markdown import plain
from dashboard.reads.search import search_issues
from dashboard.rules.search import SearchRefused
from dashboard.ui import widgets
from dashboard.ui.engine import session
from dashboard.ui.labels import status_label
from models import STATUS_VALUES

st.title("Find an issue")
query = widgets.url_text(
    "Words, a ref or a lead",
    "q",
    help="Words of an issue, its ref (such as 4.2), a lead or a note of an update.",
)
if not query.strip():
    st.write(
        "Search every plan's issues by their words, their ref (such as 4.2), a lead or the "
        "notes of their updates."
    )
    widgets.stop()

try:
    with session() as db:
        found = search_issues(db, query)
except SearchRefused as refused:
    st.error(plain(str(refused)), icon=":material/error:")
    widgets.stop()

st.markdown(plain(words.result_words(len(found), query, more=bool(found.attrs["more"]))))
if found.empty:
    st.caption(words.HINT)
    widgets.stop()

addresses = [tables.href("issue", {"issue": int(i)}) for i in found["issue_id"]]
widgets.table(
    pd.DataFrame(
        {
            "Ref": found["ref"],
            "Issue": found["text"],
            "Plan": found["plan"],
            "Theme": found["theme"],
            "Leads": found["leads"],
            "Status": [  # (a retired issue says so in words of its own)
                status_label(s) if s in STATUS_VALUES else s for s in found["status"]
            ],
            "Found in": found["matched"].map(words.FOUND_IN),
        }
    ),
    icons=("Status",),
    links={"Ref": addresses, "Issue": addresses},
    name="results",
    download=True,
)
