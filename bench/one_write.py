"""Baseline page for the Save benchmark: one button that writes one line, then says so."""

import os
import tempfile
from pathlib import Path

import streamlit as st

LINES = Path(os.environ.get("BENCH_LINES", Path(tempfile.gettempdir()) / "eflg-bench-lines.txt"))

st.title("One write")
if st.button("Save", type="primary"):
    with LINES.open("a", encoding="utf-8") as lines:
        lines.write("saved\n")
    st.success("Saved")
