"""Overview: progress at a glance for the Corporate Management Team and councillors."""

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
from dashboard.ui.labels import own_rag_label, rag_label
from models import RatingSource

st.title("Progress at a glance")
plan, filters, level_name = widgets.progress_filters()
today, amber_days = uk_today(), settings().rag_amber_days
head = cached(progress.headline)(filters, today, amber_days)
by_council = plan["rating_source"] == RatingSource.COUNCIL.value


def figure_label(rating: rules.Rag) -> str:
    """A Red or Amber figure's heading: by dates, or the council's own rating for its words."""
    return own_rag_label(rating.value) if by_council else rag_label(rating)


if head["issues"] == 0:
    whole_plan = cached(progress.headline)(
        progress.Filters(plan_id=filters.plan_id), today, amber_days
    )
    if whole_plan["issues"] == 0:
        st.info(f"{plain(plan['title'])} has no issues yet.", icon=":material/info:")
    else:
        st.info(
            "No issues match these filters. "
            "Try “All levels”, “All leads” or “All characteristics”.",
            icon=":material/info:",
        )
else:
    widgets.figures(
        [
            ("Issues", int(head["issues"])),
            (
                "Complete",
                words.percent_label(
                    int(head["issues"]), int(head["counted"]), head["percent_complete"]
                ),
            ),
            (figure_label(rules.Rag.RED), int(head["red"])),
            (figure_label(rules.Rag.AMBER), int(head["amber"])),
        ],
        notes=(
            rules.PERCENT_RULE + " " + rules.rag_rule(amber_days, plan["rating_source"]),
            f"Figures as at {words.format_day(today)}.",
        ),
    )

    themes = cached(progress.progress_by_theme)(filters, today, amber_days)
    widgets.theme_chart(themes, title="Progress by theme")
    with st.expander("Show as a table"):
        table = themes[["theme", *rules.STATUSES, "issues"]].rename(
            columns={"theme": "Theme", "issues": "Issues"}
        )
        table["% complete"] = [
            words.percent_label(i, c, p)
            for i, c, p in zip(
                themes["issues"], themes["counted"], themes["percent_complete"], strict=True
            )
        ]
        widgets.table(table)

    services = cached(progress.progress_by_service)(filters, today, amber_days)
    widgets.section(
        "Progress by lead service, furthest behind first",
        caption=rules.SERVICE_RULE,
        table=pd.DataFrame(
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
    )

    overdue = cached(progress.overdue_issues)(filters, today, amber_days)
    if overdue.empty:
        widgets.section("Overdue issues", caption=rules.OVERDUE_RULE, text="No issues are overdue.")
    else:
        widgets.section(
            "Overdue issues",
            caption=rules.OVERDUE_RULE,
            table=overdue[["ref", "theme", "text", "leads", "due", "status"]].rename(
                columns={
                    "ref": "Ref",
                    "theme": "Theme",
                    "text": "Issue",
                    "leads": "Leads",
                    "due": "Due by",
                    "status": "Status",
                }
            ),
        )
        with st.expander("Open an overdue issue"):
            widgets.issue_links(overdue)

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
                "Issue": changes["ref"],
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
    )
