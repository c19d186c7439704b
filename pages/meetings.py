"""Meetings: what changed since the last meeting, meeting packs, the trend, and (for equality
leads) recording a meeting, which freezes what was presented."""

from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.formats import tables, words
from dashboard.formats.markdown import plain
from dashboard.reads import progress
from dashboard.reads.meetings import meetings as meetings_held
from dashboard.reads.meetings import snapshot
from dashboard.reports.packs import gather
from dashboard.reports.packs.contents import BURN_UP_HEADERS, burn_up_rows
from dashboard.reports.packs.files import BUILDERS
from dashboard.rules.dates import uk_today
from dashboard.rules.errors import Refused
from dashboard.store.limits import longest
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session, settings
from dashboard.writes import meetings
from models import Meeting

st.title("Meetings")
if recorded := st.session_state.pop("meeting_recorded", None):
    st.success(recorded, icon=":material/check_circle:")
actor = signin.current_actor()
plan = widgets.plan_choice()
plan_id = int(plan["plan_id"])
today, amber_days = uk_today(), settings().rag_amber_days
held = cached(meetings_held)()


def meeting_name(row: pd.Series) -> str:
    return f"{row['title']} ({row['body']}), {words.format_day(row['held_on'])}"


def issue_links(frame: pd.DataFrame, shown: pd.DataFrame) -> dict[str, list[str | None]]:
    """The Ref and Issue cells of a table of issues as links to each issue's page."""
    addresses: list[str | None] = list(widgets.issue_addresses(frame["issue_id"]))
    return {column: addresses for column in ("Ref", "Issue") if column in shown.columns}


def change_table(frame: pd.DataFrame, columns: dict[str, str], name: str) -> None:
    shown = frame[list(columns)].rename(columns=columns).copy()
    for column in shown.columns:
        shown[column] = shown[column].map(
            lambda v: words.format_day(v) if isinstance(v, date) else ("" if pd.isna(v) else v)
        )
    widgets.table(
        shown,
        name=name,
        sortable=len(shown) > 1,
        download=True,
        links=issue_links(frame, shown),
    )


def named_links(names: pd.Series, addresses: dict[str, str]) -> dict[str, list[str | None]]:
    """Each row's name as a link to its page, where the name is known (a lead of another plan's
    organisation, say, is left as words)."""
    return {str(names.name): [addresses.get(str(name)) for name in names]}


st.header("Since the last meeting")
compare: int | None = None
if held.empty:
    st.info(
        "No meeting has been recorded yet. When a meeting is recorded, every issue's status, "
        "RAG rating and due date are kept as they were, so the next report can show what "
        "changed.",
        icon=":material/info:",
    )
else:
    names = {str(row["meeting_id"]): meeting_name(row) for _, row in held.iterrows()}
    pick_from, pick_to = st.columns(2)
    with pick_from:
        since = int(widgets.url_choice("From the meeting", list(names.items()), "since"))
    later = [(k, v) for k, v in names.items() if int(k) > since]
    with pick_to:
        until_key = widgets.url_choice("To", [("now", "Now"), *later], "until")
    until = None if until_key == "now" else int(until_key)
    compare = since
    report = cached(gather.since_report)(plan_id, since, until, today, amber_days)
    changes = report.changes
    st.caption(
        f"From {plain(changes.since)} to {plain(changes.until)}, for {plain(plan['title'])}."
    )
    counts = changes.counts()
    widgets.figures(list(counts.items()))
    if changes.empty:
        st.write("Nothing has changed in this plan between these two points.")
    else:
        plan_themes = cached(progress.themes)(plan_id)
        plan_leads = cached(progress.leads)(plan_id)
        pages_of = {
            "Theme": {  # (a theme is named by its framework theme where mapped, else its heading)
                str(name): tables.href("themes", {"plan": plan["slug"], "theme": section})
                for column in ("heading", "theme")
                for name, section in zip(
                    plan_themes[column], plan_themes["section_id"], strict=True
                )
            },
            "Lead service": dict(
                zip(
                    plan_leads["name"].astype(str),
                    widgets.service_addresses(plan_leads["lead_id"]),
                    strict=True,
                )
            ),
        }
        for heading, frame, first in (
            ("By theme", report.by_theme, "Theme"),
            ("By lead service", report.by_service, "Lead service"),
        ):
            st.subheader(heading)
            table = frame.rename(columns={"name": first})
            widgets.table(
                table,
                name=tables.column_param(first),
                download=True,
                links=named_links(table[first], pages_of[first]),
            )
        st.subheader("Each change")
        details = [
            ("Newly complete", changes.newly_complete,
             {"ref": "Ref", "text": "Issue", "status_before": "Was", "status": "Now"}),
            ("Newly overdue", changes.newly_overdue,
             {"ref": "Ref", "text": "Issue", "leads": "Leads", "due_date": "Due by"}),
            ("RAG changed", changes.rag_changes,
             {"ref": "Ref", "text": "Issue", "rag_before": "Was", "rag": "Now"}),
            ("Due date slipped", changes.slipped,
             {"ref": "Ref", "text": "Issue", "due_date_before": "Was due", "due_date": "Now due"}),
            ("New progress notes", changes.notes,
             {"ref": "Ref", "to_status": "Status", "note": "Note", "by": "By", "at": "When"}),
            ("New evidence", changes.evidence,
             {"ref": "Ref", "title": "Evidence", "file_name": "File", "added_by": "By",
              "added_at": "When"}),
            ("New issues", changes.new_issues, {"ref": "Ref", "text": "Issue", "leads": "Leads"}),
            ("Issues retired", changes.retired, {"ref": "Ref", "text": "Issue"}),
            ("Issues reworded", changes.reworded,
             {"ref": "Ref", "text": "Issue", "text_before": "Was worded"}),
            ("Leads changed", changes.leads_changed,
             {"ref": "Ref", "text": "Issue", "leads_before": "Was led by", "leads": "Now led by"}),
        ]  # fmt: skip
        for kind, frame, columns in details:
            if not frame.empty:
                with st.expander(f"{kind}: {len(frame)}"):
                    change_table(frame, columns, tables.column_param(kind))

    with st.expander(f"What was presented at {plain(names[str(since)])}"):
        frozen = cached(snapshot)(since, plan_id)
        st.caption(
            "Exactly as it stood when the meeting was recorded; later edits do not change it."
        )
        widgets.table(
            pd.DataFrame(
                {
                    "Ref": frozen["ref"],
                    "Theme": frozen["section_heading"],
                    "Issue": frozen["text"],
                    "Status": frozen["status"],
                    "RAG": [words.rag_text(r, pd.notna(d))
                            for r, d in zip(frozen["rag"], frozen["due_date"], strict=True)],
                    "Due by": frozen["due_date"].map(words.format_day),
                    "Evidence": frozen["evidence_count"],
                }
            ),
            name="presented",
            sortable=True,
            download=True,
            links={"Ref": widgets.issue_addresses(frozen["issue_id"])},
        )  # fmt: skip

st.header("Meeting packs")
hide_people = st.checkbox(
    "Hide the names of individual officers (for a meeting in public)",
    help="Officers named as people are shown as “Named officer”.",
)
st.caption(
    "Each pack has the plan's figures as they are now"
    + (f", and what changed since {plain(names[str(compare)])}." if compare is not None else ".")
)


def build(kind: str) -> bytes:
    data = cached(gather.pack_data)(plan_id, compare, today, amber_days, hide_people)
    return BUILDERS[kind](data)


stem = f"{plan['slug']}-{today.isoformat()}"
buttons = st.columns(3)
for column, kind, label, mime in (
    (buttons[0], "pptx", "PowerPoint slides",
     "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    (buttons[1], "pdf", "PDF for committee papers", "application/pdf"),
    (buttons[2], "xlsx", "Excel workbook (the full plan)",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
):  # fmt: skip
    column.download_button(
        label,
        data=partial(build, kind),
        file_name=f"{stem}.{kind}",
        mime=mime,
        icon=":material/download:",
        on_click="ignore",
        key=f"pack_{kind}",
    )
present = {"plan": str(plan["slug"]), "slide": "1"}
if compare is not None:
    present["since"] = str(compare)
if hide_people:
    present["public"] = "1"
st.page_link(
    "../pages/present.py",
    label="Present these slides on screen",
    icon=":material/slideshow:",
    query_params=present,
)

st.header("Issues complete over time")
trend = cached(gather.pack_data)(plan_id, None, today, amber_days, False)
if trend.burn_up.empty:
    st.write("No issue has been completed yet.")
else:
    widgets.burn_up_chart(trend.burn_up, trend.meetings)
    with st.expander("Show as a table"):
        widgets.table(
            pd.DataFrame(burn_up_rows(trend), columns=BURN_UP_HEADERS),
            name="complete_over_time",
            download=True,
        )
    st.caption("Counted from each issue's status history; dashed lines mark the meetings.")

st.header("Meetings recorded")
if held.empty:
    st.write("None yet.")
else:
    # Each meeting leads to what changed since it (and what was presented at it), at the top of
    # this page, and to the slides of those changes.
    slug = str(plan["slug"])
    widgets.table(
        pd.DataFrame(
            {
                "Date": held["held_on"].map(words.format_day),
                "Body": held["body"],
                "Title": held["title"],
                "Recorded by": held["recorded_by"],
                "Slides": "Present the changes since",
            }
        ),
        links={
            "Title": [
                tables.href("meetings", {"plan": slug, "since": m}) for m in held["meeting_id"]
            ],
            "Slides": [
                tables.href("present", {"plan": slug, "since": m, "slide": 1})
                for m in held["meeting_id"]
            ],
        },
        keys={"Date": list(held["held_on"])},
        name="meetings",
        sortable=True,
        download=True,
    )

if actor.is_admin:
    st.header("Record a meeting")
    st.write(
        "Recording a meeting keeps every issue's status, RAG rating, due date and progress as "
        "they are now, so what was presented can be shown again exactly."
    )
    # A new form (and empty fields) only once a meeting is recorded: a refusal keeps what was typed.
    generation = st.session_state.setdefault("meeting_form", 0)
    with st.form(f"record_meeting_{generation}"):
        body = st.selectbox("Meeting of", meetings.BODIES)
        title = st.text_input(
            "Title",
            placeholder="For example: CMT quarterly update",
            max_chars=longest(Meeting, "title"),
        )
        held_on = st.date_input("Date held", value=today, format="DD/MM/YYYY")
        submitted = st.form_submit_button("Record the meeting", type="primary")
    if submitted:
        try:
            with session() as db:
                meeting = meetings.record_meeting(
                    session=db,
                    actor=actor,
                    body=body,
                    title=title,
                    held_on=held_on,
                    today=today,
                    amber_days=amber_days,
                )
        except Refused as refused:
            st.error(plain(refused), icon=":material/error:")
        else:
            after_write()
            st.session_state["meeting_form"] = generation + 1
            st.session_state["meeting_recorded"] = (
                f"Recorded “{plain(meeting.title)}” on {words.format_day(meeting.held_on)}: "
                "every issue's state is kept as it is now."
            )
            st.rerun()
