"""One issue in full: text, leads, timescale, evidence and the whole history of updates.

Everything a person typed (notes, evidence titles) is shown as plain text, never as markup.
"""

import pandas as pd
import streamlit as st

from dashboard.formats import tables, words
from dashboard.formats.markdown import plain
from dashboard.formats.words import format_due
from dashboard.reads import plan_edits as plan_edit_reads
from dashboard.reads import progress
from dashboard.rules import progress as rules
from dashboard.rules.dates import uk_today
from dashboard.rules.permissions import may_update
from dashboard.rules.timescale import Precision
from dashboard.ui import signin, widgets
from dashboard.ui.cache import cached
from dashboard.ui.engine import settings
from dashboard.ui.labels import own_rag_label, rag_label, status_label
from models import RatingSource

wanted = st.query_params.get("issue", "")
detail = cached(progress.issue_detail)(int(wanted)) if wanted.isdigit() else None

if detail is None:
    st.title("Issue")
    st.write("Choose an issue from a theme or a service to see it here.")
    st.page_link("../pages/theme.py", label="Go to the themes", icon=":material/category:")
else:
    st.title(f"Issue {plain(detail.ref)}")
    st.caption(plain(f"{detail.plan} · {detail.theme}"))
    retired_notice = st.container()  # filled below, from the plan's history, when retired
    st.markdown(plain(detail.text))
    rating = rules.rag(
        detail.status,
        detail.due_date,
        detail.due_precision,
        uk_today(),
        settings().rag_amber_days,
    )
    st.write(
        f"**Status:** {status_label(detail.status)} · "
        f"**{words.RAG_BY_DATES}:** {rag_label(rating, detail.due_date is not None)} · "
        f"**{words.RAG_COUNCIL}:** {own_rag_label(detail.own_rag)}"
    )
    if detail.rating_source == RatingSource.COUNCIL.value:
        st.caption("This plan's Red, Amber and Green figures use the council's own rating.")
    if may_update(signin.current_actor(), {int(i) for i in detail.leads["lead_id"]}):
        st.html(
            tables.paragraph_link(
                "Update this issue", tables.href("my_issues", {"issue": detail.issue_id})
            )
        )
    st.page_link(
        "../pages/theme.py",
        label=plain(f"Back to the theme: {detail.theme}"),
        icon=":material/arrow_back:",
        query_params={"plan": detail.plan_slug, "theme": str(detail.section_id)},
    )

    st.header("Details")
    widgets.table(
        pd.DataFrame(
            {
                "About": ["Objective", "Level", "Performance measure", "Characteristics"],
                "Detail": [
                    detail.objective or "Not given",
                    detail.level or "Not set",
                    detail.measure or "Not given",
                    ", ".join(detail.characteristics) or "None named",
                ],
            }
        ),
    )

    st.header("Leads")
    if detail.leads.empty:
        st.write("No lead is recorded for this issue.")
    else:
        widgets.table(
            pd.DataFrame(
                {
                    "Lead": detail.leads["name"],
                    "Role": [
                        "Primary lead" if p == 0 else "Also leads" for p in detail.leads["position"]
                    ],
                    "Kind": detail.leads["kind"].str.capitalize(),
                    "Part of": detail.leads["parent"].replace("", "—"),
                }
            ),
            links={"Lead": widgets.service_addresses(detail.leads["lead_id"])},
        )

    st.header("Timescale")
    timescale = detail.timescale
    st.write("As written in the plan:")
    st.markdown(plain(timescale.written) if timescale.written else "*No timescale given.*")
    due = format_due(
        detail.due_date, Precision(detail.due_precision) if detail.due_precision else None
    )
    repeats = f" · repeats {plain(detail.recurrence)}" if detail.recurrence else ""
    st.write(f"Due by: {due}{repeats}")
    if timescale.milestones:
        widgets.table(
            pd.DataFrame(
                {
                    "Step": [m.label or "—" for m in timescale.milestones],
                    "As written": [m.text for m in timescale.milestones],
                    "Due by": [format_due(m.due, m.precision) for m in timescale.milestones],
                }
            ),
        )
    if timescale.warning:
        st.caption(plain(timescale.warning))

    st.header("Evidence")
    if detail.evidence.empty:
        st.write("No evidence has been added yet.")
    else:
        widgets.table(
            pd.DataFrame(
                {
                    "Title": detail.evidence["title"],
                    "Link or file": detail.evidence["url"]
                    .fillna(detail.evidence["file_name"])
                    .fillna(""),
                    "Added by": detail.evidence["by"],
                    "Added": detail.evidence["at"].map(words.format_day),
                }
            ),
        )
        widgets.evidence_downloads(detail.evidence)

    st.header("History")
    moves = detail.due_date_changes
    if detail.history.empty and not moves:
        st.write("No updates yet: this issue is as it was when the plan was loaded.")
    if not detail.history.empty:
        widgets.table(
            pd.DataFrame(
                {
                    "When": detail.history["at"].map(words.format_day),
                    "By": detail.history["by"],
                    "Change": [
                        words.change_words(None if pd.isna(b) else str(b), str(a), rb, ra)
                        for b, a, rb, ra in zip(
                            detail.history["from_status"],
                            detail.history["to_status"],
                            detail.history["from_rag"],
                            detail.history["to_rag"],
                            strict=True,
                        )
                    ],
                    "Note": detail.history["note"].map(words.note_text),
                }
            ),
            name="history",
            download=True,
        )
    if moves:
        st.subheader("Due date changes")
        widgets.table(
            pd.DataFrame(
                {
                    "When": [words.format_day(m.at) for m in moves],
                    "By": [m.by for m in moves],
                    "From": [format_due(m.from_due, m.from_precision) for m in moves],
                    "To": [format_due(m.to_due, m.to_precision) for m in moves],
                    "Reason": [m.reason for m in moves],
                }
            ),
        )

plan_changes = (
    cached(plan_edit_reads.plan_changes)(issue_id=int(wanted)) if detail is not None else None
)
if plan_changes is not None and not plan_changes.empty:
    retirements = plan_changes[plan_changes["kind"].isin(["issue retired", "issue restored"])]
    if not retirements.empty and retirements["kind"].iloc[-1] == "issue retired":
        last = retirements.iloc[-1]
        retired_notice.warning(
            plain(
                f"This issue was retired from the plan on {words.format_day(last['at'])} "
                f"by {last['by']}: {last['reason']} It is left out of progress."
            ),
            icon=":material/archive:",
        )
    st.subheader("Changes to the issue itself")
    widgets.table(
        pd.DataFrame(
            {
                "When": plan_changes["at"].map(words.format_day),
                "By": plan_changes["by"],
                "Change": plan_changes["change"],
                "Why": plan_changes["reason"].fillna(""),
            }
        ),
    )
