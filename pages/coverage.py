"""Coverage: which protected characteristics each theme's issues name, and the gaps."""

import pandas as pd
import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.reads import progress
from dashboard.ui import widgets
from dashboard.ui.cache import cached

st.title("Coverage of protected characteristics")
plan = widgets.plan_choice()
plan_id = int(plan["plan_id"])
grid = cached(progress.coverage)(plan_id)
totals = cached(progress.plan_characteristic_totals)(plan_id)
themes = cached(progress.themes)(plan_id)

if grid.empty:
    st.info(f"{plain(plan['title'])} has no themes or issues yet.", icon=":material/info:")
else:
    gaps = totals[(totals["protected"]) & (totals["issues"] == 0)]["characteristic"].tolist()
    if gaps:
        st.write(f"Not named by any issue in this plan: {plain(', '.join(gaps))}.")
    else:
        st.write("Every protected characteristic is named by at least one issue in this plan.")

    st.header("Characteristics by theme")
    st.caption(
        "Each number counts the issues in a theme that name a characteristic; an issue can "
        "name several. “None – gap” means no issue in that theme names it. Theme numbers are "
        "listed below the table."
    )
    table = grid.T
    table.columns = pd.Index([f"Theme {p}" for p in themes["position"]])
    table["Whole plan"] = totals["issues"].to_numpy()
    counts = table.copy()
    shown = table.map(lambda n: "None – gap" if n == 0 else str(n))
    local = ~totals["protected"].to_numpy()
    shown.insert(
        0,
        "Characteristic",
        [
            f"{name} (local)" if is_local else name
            for name, is_local in zip(table.index, local, strict=True)
        ],
    )
    widgets.table(
        shown,
        name="coverage",
        sortable=True,
        download=True,
        keys={column: counts[column].tolist() for column in counts.columns},  # a gap counts 0
    )

    st.subheader("Themes")
    widgets.table(
        pd.DataFrame(
            {"Theme": [f"Theme {p}" for p in themes["position"]], "Name": themes["theme"]}
        ),
        name="themes",
        download=True,
        links={"Name": widgets.theme_addresses(str(plan["slug"]), themes["section_id"])},
    )
