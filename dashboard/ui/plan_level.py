"""The form that puts a plan on a framework version and the level it works towards (equality
leads only), shown on the Readiness page."""

import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.reads import levels, summaries
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session
from dashboard.writes.levels import set_plan_level

FLASH = "plan_level_flash"
TITLE = "Put this plan on a framework level"


def plan_level_form(actor: Actor, *, expanded: bool = False) -> None:
    """An expander choosing the plan, the framework version and its level, and a Save button."""
    if flash := st.session_state.pop(FLASH, None):
        st.success(flash, icon=":material/check_circle:")
    if not actor.is_admin:
        return
    plans = cached(summaries.plans_summary)()
    versions = cached(levels.framework_levels)()
    if plans.empty or versions.empty:
        return
    with st.expander(TITLE, expanded=expanded):
        titles = dict(zip(plans["slug"], plans["title"], strict=True))
        slug = st.selectbox(
            "Plan to put on a level", list(titles), format_func=lambda s: titles[s], key="pl_plan"
        )
        names = dict(zip(versions["code"], versions["framework"], strict=True))
        code = st.selectbox(
            "Framework version", list(names), format_func=lambda c: names[c], key="pl_version"
        )
        level = st.selectbox(
            "Level it works towards",
            list(versions[versions["code"] == code]["level"]),
            key=f"pl_level_{code}",
        )
        if not st.button("Save", icon=":material/save:", key="pl_save"):
            return
    try:
        with session() as db:
            set_plan_level(session=db, actor=actor, plan_slug=slug, framework=code, level=level)
    except Refused as exc:
        st.error(plain(str(exc)), icon=":material/error:")
        return
    after_write()
    st.session_state[FLASH] = f"'{titles[slug]}' is now on {names[code]}, at the {level} level."
    st.rerun()
