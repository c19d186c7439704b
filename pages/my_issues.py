"""My issues: the issues of the services an officer acts for (any lead's, for an equality lead),
overdue first, grouped by plan and theme; one Update per issue, and a table to update several."""

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.formats.sheets import upload_limit_words
from dashboard.formats.words import NEW_STATUS, format_day, format_due, time_text
from dashboard.reads.issues import (
    IssueForUpdate,
    evidence_of,
    issues_for_update,
    leads_with_issues,
    recent_updates,
)
from dashboard.rules.dates import uk_today
from dashboard.rules.errors import Refused
from dashboard.rules.progress import CLOSED
from dashboard.store import evidence_files
from dashboard.store.limits import longest
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session, settings
from dashboard.ui.labels import status_label
from dashboard.writes import updates
from models import STATUS_VALUES, Evidence


def due_words(row: IssueForUpdate) -> str:
    if row.due_date is None:
        return f"Timescale: {plain(row.timescale)}" if row.timescale else format_due(None, None)
    when = format_day(row.due_date)
    return f":material/schedule: **Overdue**: was due {when}" if row.overdue else f"Due {when}"


actor = signin.current_actor()
today = uk_today()
seen: dict[int, int] = st.session_state.setdefault("my_issues_seen", {})

st.title("My issues")
if flash := st.session_state.pop("my_issues_flash", None):
    st.success(flash, icon=":material/check_circle:")

lead_ids: list[int]
if actor.is_admin:
    lead_ids = [
        widgets.organisation_then_lead(cached(leads_with_issues)(), "Show the issues led by")
    ]
else:
    lead_ids = sorted(actor.lead_ids)
    if not lead_ids:
        st.info(
            "Your account is not linked to any service yet. Ask your equality lead to add "
            "the services you act for."
        )
        st.stop()

with session() as db:
    issues = issues_for_update(db, lead_ids=lead_ids, today=today)
    issue_ids = [row.issue_id for row in issues]
    history = recent_updates(db, issue_ids)
    evidence = evidence_of(db, issue_ids)

if not issues:
    st.info("No issues are led by these services.")
    st.stop()

finished = sum(row.status in CLOSED for row in issues)
st.write(
    f"{len(issues)} {'issue' if len(issues) == 1 else 'issues'}: "
    f"{sum(row.overdue for row in issues)} overdue, {finished} finished "
    "(complete, embedded or not applicable). Open **Update** under an issue to change its "
    "status, write a progress note or add evidence."
)


def save_message(error: Refused) -> str:
    """A refusal as Markdown (it may quote what someone typed, or another person's name)."""
    if isinstance(error, updates.Conflict):
        return (
            f"{plain(error)} Your note is still in the box below; check their change and save "
            "again."
        )
    return plain(error)


def update_form(row: IssueForUpdate, expected: int) -> None:
    """Status, note and evidence for one issue, saved together."""
    issue_id = row.issue_id
    generation = st.session_state.setdefault(f"form_gen_{issue_id}", 0)
    key = f"{issue_id}_{generation}"
    message = st.container()
    with st.form(f"update_{key}", border=False):
        status = st.radio(
            "Status",
            STATUS_VALUES,
            index=STATUS_VALUES.index(row.status),
            horizontal=True,
            key=f"status_{key}",
        )
        note = st.text_area(
            "Progress note",
            key=f"note_{key}",
            max_chars=updates.MAX_NOTE_LENGTH,
            placeholder="What has been done? Needed to mark the issue Complete, Embedded or "
            "Not applicable.",
        )
        link_column, title_column = st.columns(2)
        link = link_column.text_input(
            "Evidence link (optional)",
            key=f"link_{key}",
            placeholder="https://",
            max_chars=longest(Evidence, "url"),
        )
        title = title_column.text_input(
            "Title of the evidence (optional)",
            key=f"title_{key}",
            max_chars=longest(Evidence, "title"),
        )
        upload = st.file_uploader(
            "Or attach a file as evidence (optional)",
            type=sorted({ext[1:] for ext in evidence_files.ALLOWED}),
            key=f"file_{key}",
            help=f"{evidence_files.ACCEPTED_WORDS}, "
            f"{upload_limit_words(settings().max_evidence_mb)}.",
            max_upload_size=settings().max_evidence_mb,
        )
        saved = st.form_submit_button("Save update", type="primary", key=f"save_{key}")
    if not saved:
        return
    try:
        with session() as db:
            issue = updates.record_update(
                session=db,
                actor=actor,
                issue_id=issue_id,
                expected_version=expected,
                status=status,
                note=note,
                evidence_title=title,
                evidence_url=link,
                upload=updates.EvidenceUpload(upload.name, upload.getvalue()) if upload else None,
                settings=settings(),
            )
    except Refused as refused:
        message.error(save_message(refused), icon=":material/error:")
        return
    after_write()
    st.session_state[f"form_gen_{issue_id}"] = generation + 1
    st.session_state["my_issues_flash"] = f"Saved: issue {plain(issue.ref)} is now {issue.status}."
    st.rerun()


def due_date_form(row: IssueForUpdate, expected: int) -> None:
    issue_id = row.issue_id
    message = st.container()
    with st.form(f"due_{issue_id}", border=False):
        new_due = st.date_input(
            "New due date",
            value=row.due_date,
            format="DD/MM/YYYY",
            key=f"due_date_{issue_id}",
        )
        reason = st.text_input(
            "Why is it changing?", key=f"due_reason_{issue_id}", max_chars=updates.MAX_NOTE_LENGTH
        )
        moved = st.form_submit_button("Save the new due date", key=f"due_save_{issue_id}")
    if not moved:
        return
    try:
        with session() as db:
            issue = updates.change_due_date(
                session=db,
                actor=actor,
                issue_id=issue_id,
                due_date=new_due,
                reason=reason,
                expected_version=expected,
            )
    except Refused as refused:
        message.error(save_message(refused), icon=":material/error:")
        return
    after_write()
    when = format_day(issue.due_date) if issue.due_date else "no date"
    st.session_state["my_issues_flash"] = f"Saved: issue {plain(issue.ref)} is now due {when}."
    st.rerun()


def past_updates(issue_id: int) -> None:
    own_history = [change for change in history if change.issue_id == issue_id]
    own_evidence = [item for item in evidence if item.issue_id == issue_id]
    if own_evidence:
        st.markdown("**Evidence**")
        for item in own_evidence:
            added = f"added by {plain(item.added_by)}, {format_day(item.added_at)}"
            if item.url:
                url = item.url.replace("<", "%3C").replace(">", "%3E")
                st.markdown(f"- [{plain(item.title)}](<{url}>) ({added})")
            else:
                st.markdown(f"- {plain(item.title)} ({added})")
                if item.stored_path is not None:
                    widgets.evidence_download(
                        item.evidence_id, item.file_name or "", item.stored_path
                    )
    if own_history:
        st.markdown("**Latest updates**")
        for change in own_history:
            moved = (
                f"{change.from_status or NEW_STATUS} → {change.to_status}"
                if change.from_status != change.to_status
                else f"note ({change.to_status})"
            )
            st.markdown(f"{time_text(change.at)} · {plain(change.by)} · {moved}")
            if change.note:
                st.markdown(f"> {plain(change.note)}")


def issue_card(row: IssueForUpdate, *, show_theme: bool) -> None:
    issue_id = row.issue_id
    expected = seen.get(issue_id, row.version)
    seen[issue_id] = row.version  # what this screen now shows; a later save checks it
    with st.container(border=True):
        st.markdown(f"**{plain(row.ref)}** {plain(row.text)}")
        facts = [status_label(row.status), due_words(row), f"Led by {plain(row.leads)}"]
        if show_theme:
            facts.append(f"{plain(row.plan_title)}: {plain(row.section)}")
        st.markdown(" · ".join(facts))
        with st.expander(f"Update {plain(row.ref)}", icon=":material/edit:"):
            update_form(row, expected)
            past_updates(issue_id)
            st.markdown("**Change the due date**")
            due_date_form(row, expected)


def grouped(
    rows: Iterable[IssueForUpdate], key: Callable[[IssueForUpdate], str]
) -> dict[str, list[IssueForUpdate]]:
    """Rows by `key`, the groups in the order each key first appears."""
    groups: dict[str, list[IssueForUpdate]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


overdue = [row for row in issues if row.overdue]
if overdue:
    st.header(f"Overdue ({len(overdue)})")
    for row in overdue:
        issue_card(row, show_theme=True)
on_time = [row for row in issues if not row.overdue]
for plan_title, plan_rows in grouped(on_time, lambda row: row.plan_title).items():
    st.header(plain(plan_title))
    for heading, rows in grouped(plan_rows, lambda row: row.section).items():
        st.subheader(plain(heading))
        for row in rows:
            issue_card(row, show_theme=False)


st.header("Update several issues at once")
st.write(
    "Change a status or write a note in the table, then press **Save all changes**. "
    "Complete, Embedded and Not applicable need a note. Nothing is saved unless every row is."
)
table = sorted(issues, key=lambda row: row.issue_id)
shown = pd.DataFrame(
    {
        "Plan": [row.plan_title for row in table],
        "Ref": [row.ref for row in table],
        "Issue": [row.text for row in table],
        "Status": [row.status for row in table],
        "Note": "",
    },
    index=pd.Index([row.issue_id for row in table], name="issue_id"),
)
bulk_key = f"bulk_{st.session_state.setdefault('bulk_gen', 0)}"
bulk_seen: dict[int, int] = st.session_state.get("bulk_seen", {})
st.session_state["bulk_seen"] = {row.issue_id: row.version for row in table}
st.data_editor(
    shown,
    key=bulk_key,
    hide_index=True,
    column_order=["Plan", "Ref", "Issue", "Status", "Note"]
    if len({row.plan_id for row in table}) > 1
    else ["Ref", "Issue", "Status", "Note"],
    disabled=["Plan", "Ref", "Issue"],
    column_config={
        "Issue": st.column_config.TextColumn(width="large"),
        "Status": st.column_config.SelectboxColumn(options=list(STATUS_VALUES), required=True),
        "Note": st.column_config.TextColumn(width="large", max_chars=updates.MAX_NOTE_LENGTH),
    },
    width="stretch",
)
if st.button("Save all changes", type="primary", key="bulk_save"):
    edits = st.session_state.get(bulk_key, {}).get("edited_rows", {})
    changes = []
    for position, cells in edits.items():
        row = table[int(position)]
        issue_id = row.issue_id
        status = cells.get("Status") or row.status
        note = (cells.get("Note") or "").strip()
        if status != row.status or note:
            version = bulk_seen.get(issue_id, row.version)
            changes.append(updates.IssueChange(issue_id, version, status, note))
    if not changes:
        st.info("Nothing has changed in the table yet.")
    else:
        try:
            with session() as db:
                saved = updates.bulk_update(session=db, actor=actor, changes=changes)
        except Refused as refused:
            st.error(
                f"{plain(refused)} Nothing was saved. Check their change, then make yours again."
                if isinstance(refused, updates.Conflict)
                else plain(refused),
                icon=":material/error:",
            )
        else:
            after_write()
            st.session_state["bulk_gen"] += 1
            refs = plain(", ".join(issue.ref for issue in saved))
            st.session_state["my_issues_flash"] = f"Saved {len(saved)} issue(s): {refs}."
            st.rerun()
