"""Readiness for a level, theme by theme, and the plan seen through other framework versions."""

import pandas as pd
import streamlit as st

from dashboard.formats import words
from dashboard.formats.markdown import plain
from dashboard.reads import levels, progress
from dashboard.rules import progress as rules
from dashboard.rules.dates import uk_today
from dashboard.ui import signin, widgets
from dashboard.ui.cache import cached
from dashboard.ui.plan_level import plan_level_form

NO_CRITERIA = "None loaded – the level's issues stand in"

st.title("Readiness for a level")
plans = cached(levels.framework_plans)()
plan_level_form(signin.current_actor(), expanded=plans.empty)
if plans.empty:
    st.info(
        "No plan is written against the Equality Framework for Local Government yet, so there "
        "are no levels to be ready for.",
        icon=":material/info:",
    )
    widgets.stop()

plan_col, level_col = st.columns(2)
with plan_col:
    slug = widgets.url_choice("Plan", list(zip(plans["slug"], plans["title"], strict=True)), "plan")
plan = plans[plans["slug"] == slug].iloc[0]
plan_id = int(plan["plan_id"])
plan_levels = cached(progress.levels)(plan_id)
own = plan_levels[plan_levels["level_id"] == plan["level_id"]]["name"]
with level_col:
    level_name = widgets.url_choice(
        "Level",
        [(n, n) for n in plan_levels["name"]],
        "level",
        default=own.iloc[0] if not own.empty else None,
        key=f"level_{plan_id}",
    )
level_id = int(plan_levels[plan_levels["name"] == level_name]["level_id"].iloc[0])
today = uk_today()
frame = cached(levels.readiness)(plan_id, level_id, today)
themes = cached(levels.plan_framework_themes)(plan_id)
theme_of = dict(zip(themes["section_id"], themes["theme_id"], strict=True))
unmet = cached(levels.criteria_without_evidence)(int(plan["organisation_id"]), level_id)

st.header(f"{plain(level_name)}: what is met and what remains")
st.caption(
    rules.READINESS_RULE + " A criterion is met when the theme's latest self-assessment "
    "judges it Met and gives evidence. The projected date is the latest due date of the "
    "issues still open, if every on-track issue finishes by its due date; it cannot be "
    "projected while an issue is overdue or has no due date."
)


def _issues_ready(issues: int, ready: int) -> str:
    return f"{ready} of {issues}" if issues else "No issues at this level"


def _criteria_met(total: int, met: int) -> str:
    return f"{met} of {total}" if total else NO_CRITERIA


def _remaining(row: pd.Series) -> str:
    parts = []
    if row["remaining"]:
        parts.append(f"Issues: {row['remaining']}")
    refs = unmet.get(theme_of.get(row["section_id"], -1), "")
    if refs:
        parts.append(f"Criteria without evidence: {refs}")
    return "; ".join(parts) or "Nothing"


def _status(row: pd.Series) -> str:
    if row["projected"] == "Met now":
        return ":material/check_circle: Met"
    if row["issues"] == 0 and row["criteria"] == 0:
        return ":material/remove: Nothing at this level"
    return ":material/pending: Not yet"


widgets.table(
    pd.DataFrame(
        {
            "Theme": [f"{p}. {t}" for p, t in zip(frame["position"], frame["theme"], strict=True)],
            "Level met": [_status(r) for _, r in frame.iterrows()],
            "Issues ready": [
                _issues_ready(i, r) for i, r in zip(frame["issues"], frame["ready"], strict=True)
            ],
            "Criteria met": [
                _criteria_met(t, m)
                for t, m in zip(frame["criteria"], frame["criteria_met"], strict=True)
            ],
            "What remains": [_remaining(r) for _, r in frame.iterrows()],
            "Projected": frame["projected"],
        }
    ),
    icons=("Level met",),
    name="readiness",
    sortable=True,
    download=True,
    links={"Theme": widgets.theme_addresses(str(slug), frame["section_id"])},
)
without = frame[frame["criteria"] == 0]["theme"].tolist()
if without:
    st.info(
        f"No criteria are loaded for {len(without)} of {words.plural(len(frame), 'theme')} at "
        f"{plain(level_name)} ({plain('; '.join(without))}). For those themes the level's issues "
        "stand in for the criteria, as they do in the Developing level action plan. An equality "
        "lead can load the council's criteria on the Criteria page.",
        icon=":material/info:",
    )

versions = cached(levels.other_versions)(plan_id)
if not versions.empty:
    st.header("The plan in other versions of the framework")
    st.write(
        f"{plain(plan['title'])} was written against {plain(plan['framework'])}. Here its issues "
        "are grouped under the themes of a later version, through the published theme mapping."
    )
    version_names = dict(zip(versions["code"], versions["name"], strict=True))
    code = st.radio(
        "See the plan through",
        versions["code"].tolist(),
        format_func=lambda code: plain(version_names[code]),
        horizontal=True,
        key=f"version_{plan_id}",
    )
    seen = cached(levels.progress_in_version)(plan_id, str(code))
    grouped = (
        seen.groupby(["position", "theme"], sort=True)
        .agg(
            from_theme=("from_theme", lambda s: " + ".join(s)),
            issues=("issues", "sum"),
            done=("done", "sum"),
            counted=("counted", "sum"),
        )
        .reset_index()
    )
    widgets.table(
        pd.DataFrame(
            {
                "Theme in this version": grouped["theme"],
                "From the plan's themes": grouped["from_theme"],
                "Issues": grouped["issues"],
                "Complete or embedded": grouped["done"],
                "% complete": [
                    words.percent_label(i, c, rules.percent(d, c))
                    for i, d, c in zip(
                        grouped["issues"], grouped["done"], grouped["counted"], strict=True
                    )
                ],
            }
        ),
        name=f"version_{code}",
        download=True,
    )
    notes = seen.dropna(subset=["note"]).groupby("theme", sort=False)["note"].first()
    for theme, note in notes.items():
        st.info(f"**{plain(str(theme))}** – {plain(str(note))}", icon=":material/call_merge:")
