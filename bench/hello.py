"""Baseline page for the benchmarks: the least a Streamlit page can do; with BENCH_ELEMENTS=N,
N things below it, the last an HTML list (a page as big as another, to compare with)."""

import os

import streamlit as st

st.title("Hello")
st.write("An empty Streamlit page, for comparison.")
EXTRA = int(os.environ.get("BENCH_ELEMENTS", "0"))
for n in range(EXTRA - 1):
    st.markdown(f"Line {n + 1}")
if EXTRA:  # the last one a list, as the overview's bars are (the benchmark waits for it)
    st.html(f'<ul class="eflg-bars"><li>Line {EXTRA}</li></ul>')
