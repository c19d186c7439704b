"""Baseline page for the first-page benchmark: a title and one Altair chart, nothing else."""

import altair as alt
import pandas as pd
import streamlit as st

st.title("One chart")
data = pd.DataFrame({"theme": ["A", "B", "C"], "issues": [3, 5, 2]})
st.altair_chart(alt.Chart(data).mark_bar().encode(x="issues:Q", y="theme:N"))
