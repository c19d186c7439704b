"""Baseline page for the Save benchmark: one button that writes one line, then says so; with
BENCH_ELEMENTS=N, N plain lines of text below it (a page as big as another, to compare with)."""

import os
import tempfile
from pathlib import Path

import streamlit as st

EXTRA = int(os.environ.get("BENCH_ELEMENTS", "0"))
LINES = Path(os.environ.get("BENCH_LINES", Path(tempfile.gettempdir()) / "eflg-bench-lines.txt"))

st.title("One write")
if st.button("Save", type="primary"):
    with LINES.open("a", encoding="utf-8") as lines:
        lines.write("saved\n")
    st.success("Saved")
for n in range(EXTRA):
    st.markdown(f"Line {n + 1}")
