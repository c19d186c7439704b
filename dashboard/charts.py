"""Altair charts built from the progress DataFrames: plain functions, no Streamlit, so tests can
inspect the spec and meeting packs can render the same chart to PNG or SVG."""

import altair as alt
import pandas as pd

from .progress import STATUSES

# Okabe-Ito colours (safe for the common forms of colour blindness); each has at least 3:1
# contrast with the white background, and segments are separated by a white line.
STATUS_COLOURS: dict[str, str] = {
    "Not started": "#D55E00",  # vermillion
    "In progress": "#0072B2",  # blue
    "Complete": "#009E73",  # bluish green
    "Embedded": "#332288",  # indigo
    "Not applicable": "#767676",  # grey
}

TEXT = "#0b0c0c"  # the app's text colour (19.9:1 on white)


def theme_status_chart(themes: pd.DataFrame) -> alt.Chart:
    """Stacked horizontal bars: issues per theme by status (columns theme + one per status)."""
    long = themes.melt(
        id_vars=["position", "theme", "percent_complete"],
        value_vars=list(STATUSES),
        var_name="Status",
        value_name="Issues",
    )
    long["order"] = long["Status"].map({s: i for i, s in enumerate(STATUSES)})
    long["Theme"] = [
        f"{t} ({int(p)}% complete)" if pd.notna(p) else f"{t} (no % complete)"
        for t, p in zip(long["theme"], long["percent_complete"], strict=True)
    ]
    theme_order = list(dict.fromkeys(long.sort_values("position")["Theme"]))
    summary = ", ".join(
        f"{t}: {int(n)} issues" for t, n in zip(themes["theme"], themes["issues"], strict=True)
    )
    return (
        alt.Chart(
            long[long["Issues"] > 0], description=f"Issues by status in each theme. {summary}"
        )
        .mark_bar(stroke="white", strokeWidth=1)
        .encode(
            x=alt.X("Issues:Q", title="Issues", axis=alt.Axis(tickMinStep=1, format="d")),
            y=alt.Y("Theme:N", sort=theme_order, title=None, axis=alt.Axis(labelLimit=560)),
            color=alt.Color(
                "Status:N",
                scale=alt.Scale(domain=list(STATUSES), range=list(STATUS_COLOURS.values())),
                legend=alt.Legend(title="Status", orient="right"),
            ),
            order=alt.Order("order:Q"),
            tooltip=["Theme:N", "Status:N", "Issues:Q"],
        )
        .properties(height=alt.Step(36))
        .configure_axis(labelColor=TEXT, titleColor=TEXT, labelFontSize=13, titleFontSize=13)
        .configure_legend(labelColor=TEXT, titleColor=TEXT, labelFontSize=13, titleFontSize=13)
    )
