"""A theme of a plan: its issues with status, RAG, leads, due date and last update."""

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.formats import words
from dashboard.formats.markdown import plain
from dashboard.reads import progress
from dashboard.rules import progress as rules
from dashboard.rules.dates import uk_today
from dashboard.ui import widgets
from dashboard.ui.cache import cached
from dashboard.ui.engine import settings
from dashboard.ui.labels import RAG_ICON_COLUMNS, rag_columns, status_label
from models import RatingSource


def _whole(value: Any) -> int:
    return int(value)


def _number(value: Any) -> float | None:
    """A percentage cell as a number, or None where the theme has none."""
    return None if value is None or pd.isna(value) else float(value)


st.title("Themes")
# The same filters as the overview, so a theme's bar there opens the same issues here.
plan, scope, _level = widgets.progress_filters()
plan_id = int(plan["plan_id"])
themes = cached(progress.themes)(plan_id)

if themes.empty:
    st.info(f"{plain(plan['title'])} has no themes or issues yet.", icon=":material/info:")
else:
    section = widgets.url_choice(
        "Theme",
        [
            (str(s), f"{p}. {t}")
            for s, p, t in themes[["section_id", "position", "theme"]].itertuples(index=False)
        ],
        "theme",
        key=f"theme_{plan_id}",
    )
    theme = themes[themes["section_id"] == int(section)].iloc[0]
    today, amber_days = uk_today(), settings().rag_amber_days
    issues = cached(progress.theme_issues)(scope, int(section), today, amber_days)
    tally = (
        cached(progress.progress_by_theme)(scope, today, amber_days)
        .set_index("section_id")
        .loc[int(section)]
    )

    st.header(plain(theme["theme"]))
    if theme["heading"] != theme["theme"]:
        st.caption(f"In the plan: {plain(theme['heading'])}")
    if tally["issues"] == 0:
        st.write("This theme has no issues.")
    elif tally["counted"] == 0:
        st.write(
            f"All {tally['issues']} issues in this theme are marked Not applicable, "
            "so the theme is left out of progress."
        )
    else:
        complete = words.percent_label(
            int(str(tally["issues"])),
            int(str(tally["counted"])),
            _number(tally["percent_complete"]),
        )
        facts = f"{tally['issues']} issues · {complete} complete · {tally['overdue']} overdue"
        if plan["rating_source"] == RatingSource.COUNCIL.value:
            facts += f" · {tally['red']} Red and {tally['amber']} Amber by the council's rating"
        st.write(facts)
    if not issues.empty:
        st.caption(rules.rag_rule(amber_days, plan["rating_source"]))
        addresses = widgets.issue_addresses(issues["issue_id"])
        widgets.table(
            pd.DataFrame(
                {
                    "Ref": issues["ref"],
                    "Issue": issues["text"],
                    "Status": issues["status"].map(status_label),
                    **rag_columns(issues),
                    "Leads": issues["leads"],
                    "Due by": issues["due"],
                    "Last update": [
                        words.format_day(d) or "No updates yet" for d in issues["last_update"]
                    ],
                }
            ),
            icons=("Status", *RAG_ICON_COLUMNS),
            links={"Ref": addresses, "Issue": addresses},
            name="issues",
            sortable=True,
            download=True,
        )
