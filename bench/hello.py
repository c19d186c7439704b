"""Baseline page for the benchmarks: the least a Streamlit page can do."""

import streamlit as st

st.title("Hello")
st.write("An empty Streamlit page, for comparison.")
