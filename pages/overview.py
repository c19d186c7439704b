"""Overview: progress at a glance for the Corporate Management Team and councillors."""

import pandas as pd
import streamlit as st

from dashboard.formats import tables, words
from dashboard.formats.markdown import plain
from dashboard.reads import progress, publication
from dashboard.rules import progress as rules
from dashboard.rules.dates import uk_today
from dashboard.ui import overview, widgets
from dashboard.ui.cache import cached
from dashboard.ui.engine import settings

# The title is drawn with the first screen it heads, not before it: the browser draws what
# arrives together in one go, and one drawing of the title alone (while the sentence, figures and
# bars were on their way) held the bars up (measured: README → Performance).
title = st.empty()
opening = st.empty()  # the sentence saying what is furthest behind, once it is known
due_notice = st.empty()  # a publication due soon or out of date, filled in last
plan, filters, level_name = widgets.folded_progress_filters()
today, amber_days = uk_today(), settings().rag_amber_days
lead = widgets.filter_params(plan)
# Sent first of all, from one kept result: Streamlit sends each element as the script reaches
# it, so nothing read or drawn for the rest of the page delays the first screen.
screen = overview.first_screen(
    filters, today, amber_days, str(plan["rating_source"]), tuple(lead.items())
)
title.title("Progress at a glance")

if screen is None:
    whole_plan = cached(progress.headline)(
        progress.Filters(plan_id=filters.plan_id), today, amber_days
    )
    if whole_plan["issues"] == 0:
        st.info(f"{plain(plan['title'])} has no issues yet.", icon=":material/info:")
    else:
        st.info(
            "No issues match these filters. Try "
            f"“{widgets.ALL_LEVELS}”, “{widgets.ALL_LEADS}” or “{widgets.ALL_CHARACTERISTICS}”.",
            icon=":material/info:",
        )
else:
    opening.html(screen.opening)
    st.html(screen.figures)
    by_theme, by_service = st.columns([3, 2], gap="large")
    by_theme.html(screen.theme_bars)
    by_service.html(screen.service_bars)
    # Each table (and its downloads) is drawn only while its fold is open: closed, a fold's
    # contents are still sent and drawn, and these two held up the first screen's bars.
    services = cached(progress.progress_by_service)(filters, today, amber_days)
    themes_fold = by_theme.expander(
        "Show as a table", key=overview.THEMES_TABLE_OPEN, on_change="rerun"
    )
    if themes_fold.open:
        themes = overview.themes_behind(filters, today, amber_days)
        theme_addresses = overview.theme_addresses(themes, lead)
        table = themes[["theme", *rules.STATUSES, "issues"]].rename(
            columns={"theme": "Theme", "issues": "Issues"}
        )
        table["% complete"] = [
            words.percent_label(i, c, p)
            for i, c, p in zip(
                themes["issues"], themes["counted"], themes["percent_complete"], strict=True
            )
        ]
        with themes_fold:
            widgets.table(table, links={"Theme": theme_addresses}, name="themes", download=True)
    services_fold = by_service.expander(
        f"All {words.plural(len(services), 'lead service')} as a table",
        key=overview.SERVICES_TABLE_OPEN,
        on_change="rerun",
    )
    if services_fold.open:
        service_addresses = widgets.service_addresses(services["lead_id"])
        services_fold.caption(rules.SERVICE_RULE)
        with services_fold:
            widgets.table(
                pd.DataFrame(
                    {
                        "Lead": services["lead"],
                        "Issues": services["issues"],
                        "Done": services["Complete"] + services["Embedded"],
                        "Not applicable": services["Not applicable"],
                        "Overdue": services["overdue"],
                        "% complete": [
                            words.percent_label(i, c, p)
                            for i, c, p in zip(
                                services["issues"],
                                services["counted"],
                                services["percent_complete"],
                                strict=True,
                            )
                        ],
                    }
                ),
                links={"Lead": service_addresses},
                name="services",
                download=True,
            )
    st.html(
        tables.small_print(
            f"Figures as at {words.format_day(today)}. "
            + rules.PERCENT_RULE
            + " "
            + rules.rag_rule(amber_days, plan["rating_source"])
        )
    )

    overdue = cached(progress.overdue_issues)(filters, today, amber_days)
    if overdue.empty:
        widgets.section("Overdue issues", caption=rules.OVERDUE_RULE, text="No issues are overdue.")
    else:
        widgets.section(
            "Overdue issues",
            caption=rules.OVERDUE_RULE,
            table=pd.DataFrame(
                {
                    "Issue": [
                        words.issue_words(r, t)
                        for r, t in zip(overdue["ref"], overdue["text"], strict=True)
                    ],
                    "Theme": overdue["theme"],
                    "Leads": overdue["leads"],
                    "Due by": overdue["due"],
                    "Status": overdue["status"],
                }
            ),
            links={"Issue": widgets.issue_addresses(overdue["issue_id"])},
            name="overdue",
            download=True,
        )

level_id = filters.level_id if filters.level_id is not None else plan["level_id"]
levels = cached(progress.levels)(filters.plan_id)
if pd.isna(level_id) or levels.empty:
    widgets.section(
        "Readiness for a level",
        text="This plan is not set against the framework's levels, so readiness is not shown.",
    )
else:
    name = levels[levels["level_id"] == level_id]["name"].iloc[0]
    ready = cached(progress.readiness)(filters.plan_id, int(level_id))
    if ready["issues"].sum() == 0:
        widgets.section(
            "Readiness for a level",
            subtitle=f"{name} level",
            caption=rules.READINESS_RULE,
            text=f"No issues in this plan count towards the {name} level.",
        )
    else:
        widgets.section(
            "Readiness for a level",
            subtitle=f"{name} level",
            caption=rules.READINESS_RULE,
            table=pd.DataFrame(
                {
                    "Theme": ready["theme"],
                    "Ready": [
                        ":material/check_circle: Ready"
                        if r
                        else ("No issues at this level" if n == 0 else ":material/pending: Not yet")
                        for r, n in zip(ready["is_ready"], ready["issues"], strict=True)
                    ],
                    "Issues ready": [
                        f"{r} of {n}" for r, n in zip(ready["ready"], ready["issues"], strict=True)
                    ],
                    "Still to do": ready["remaining"].replace("", "Nothing"),
                }
            ),
            icons=("Ready",),
        )

changes = cached(progress.recent_changes)(filters)
if changes.empty:
    widgets.section("Recent changes", text="No updates have been recorded on these issues yet.")
else:
    widgets.section(
        "Recent changes",
        table=pd.DataFrame(
            {
                "When": changes["at"].map(words.format_day),
                "Issue": [
                    words.issue_words(r, t, 60)
                    for r, t in zip(changes["ref"], changes["text"], strict=True)
                ],
                "Change": [
                    words.change_words(None if pd.isna(b) else str(b), str(a), rb, ra)
                    for b, a, rb, ra in zip(
                        changes["from_status"],
                        changes["to_status"],
                        changes["from_rag"],
                        changes["to_rag"],
                        strict=True,
                    )
                ],
                "By": changes["by"],
                "Note": changes["note"].map(words.note_text),
            }
        ),
        links={"Issue": widgets.issue_addresses(changes["issue_id"])},
    )

# Published equality information due within 60 days, overdue, or over a year old.
if due := cached(publication.due_warnings)(filters.plan_id, today):
    due_notice.warning("\n\n".join(due), icon=":material/event:")
