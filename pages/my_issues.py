"""My issues: the issues of the services an officer acts for (any lead's, for an equality lead),
overdue first, then due soon, then by plan and theme; one Update form per issue (it fits a phone's
screen), and a table to update several. `my_issues?issue=ID` opens that issue's form first.

A save happens in its button's callback, before the page runs again: the one run that follows
shows "Saved" and the issue as it now is (no second run to show it). Each card is a fragment:
opening its Update runs and draws that card alone, read again from the database, and so does a
save that leaves the page's counts and order as they were (a note, a RAG rating, a status that
is no more or less finished), drawn from the issue as the save left it (the save's version
check has just shown that nobody else changed it since the form was opened); anything else runs
the whole page (every element of a run is sent and drawn again, so a card alone is several
times quicker to show). An issue's evidence and latest updates are read only while its Update is
open (they are shown nowhere else).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.formats.sheets import upload_limit_words
from dashboard.formats.words import (
    RAG_COUNCIL,
    change_words,
    format_day,
    format_due,
    note_text,
    own_rag_look,
    plural,
    time_text,
)
from dashboard.reads.issues import (
    EvidenceItem,
    IssueForUpdate,
    RecentUpdate,
    evidence_of,
    issues_for_update,
    leads_with_issues,
    recent_updates,
)
from dashboard.rules.dates import uk_today
from dashboard.rules.errors import Refused
from dashboard.rules.progress import CLOSED, is_due_soon
from dashboard.store import evidence_files
from dashboard.store.limits import longest
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session, settings
from dashboard.ui.labels import own_rag_label, status_label
from dashboard.writes import updates
from models import OWN_RAG_VALUES, STATUS_VALUES, Evidence

# The choices of the council's own rating: "Not set" first (stored as no rating).
RATING_CHOICES: tuple[str | None, ...] = (None, *OWN_RAG_VALUES)
RATING_WORDS: dict[str, str | None] = {own_rag_look(r).words: r for r in RATING_CHOICES}
RAG_COLUMN = "Your RAG rating"
# The key of the expander holding the table that updates several issues (True while it is open).
BULK_OPEN = "bulk_open"


@dataclass
class Shown:
    """The state of an issue as this person's forms were drawn from it."""

    version: int
    status: str
    due_date: date | None
    own_rag: str | None = None


def due_words(row: IssueForUpdate) -> str:
    if row.due_date is None:
        return f"Timescale: {plain(row.timescale)}" if row.timescale else format_due(None, None)
    when = format_day(row.due_date)
    return f":material/schedule: **Overdue**: was due {when}" if row.overdue else f"Due {when}"


actor = signin.current_actor()
today = uk_today()
# What each issue looked like when this person's forms for it were first drawn: every save is
# checked against that version, not the one a later re-run read, so a change someone else saved
# while the form was open is refused instead of silently replaced (README → Updating issues).
# A form's typed text stays in the browser until it is sent, so a re-run cannot tell an open
# form from an untouched one: the version moves on only with this person's own saves and after
# a refusal has shown them the newer state.
drawn: dict[int, Shown] = st.session_state.setdefault("my_issues_shown", {})
refused_saves: dict[int, tuple[str, str]] = st.session_state.setdefault("my_issues_refused", {})
# A refusal that is not a conflict (a missing note, a file that is not accepted): shown beside the
# form, everything typed kept; the issue's state is not read again.
refusals: dict[int, tuple[str, str]] = st.session_state.setdefault("my_issues_refusals", {})
# "Saved: …", shown in the card of the issue just saved (popped when shown).
saved_words: dict[int, str] = st.session_state.setdefault("my_issues_saved", {})
# Each open form's issue as read when it was drawn; after this person's own save, the card is
# drawn from it and the save (popped when shown), not read again.
opened_rows: dict[int, IssueForUpdate] = st.session_state.setdefault("my_issues_opened", {})
just_saved: dict[int, IssueForUpdate] = st.session_state.setdefault("my_issues_just_saved", {})

st.title("My issues")
# (always one element here, so the message after the table's save does not move the cards
# below it; a card's own save is said on the card)
flash_slot = st.empty()
if flash := st.session_state.pop("my_issues_flash", None):
    flash_slot.success(flash, icon=":material/check_circle:")

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
        widgets.stop()

with session() as db:
    issues = issues_for_update(db, lead_ids=lead_ids, today=today)
by_id = {row.issue_id: row for row in issues}

if not issues:
    st.info("No issues are led by these services.")
    widgets.stop()

amber_days = settings().rag_amber_days
due_soon = [
    row for row in issues if is_due_soon(row.status, row.due_date, row.overdue, today, amber_days)
]

finished = sum(row.status in CLOSED for row in issues)
st.write(
    f"{len(issues)} {'issue' if len(issues) == 1 else 'issues'}: "
    f"{sum(row.overdue for row in issues)} overdue, {len(due_soon)} due soon, {finished} finished "
    "(complete, embedded or not applicable). Open **Update** under an issue to change its "
    "status or your RAG rating, write a progress note or add evidence."
)


def save_message(error: Refused) -> str:
    """A refusal as Markdown (it may quote what someone typed, or another person's name)."""
    if isinstance(error, updates.Conflict):
        return (
            f"{plain(error)} Your note is still in the box below; check their change and save "
            "again."
        )
    return plain(error)


def form_key(issue_id: int) -> str:
    return f"{issue_id}_{st.session_state.setdefault(f'form_gen_{issue_id}', 0)}"


def refused(issue_id: int, form: str, error: Refused) -> None:
    """Keep a refusal for the run that follows (a save's callback runs before it): after a
    conflict the forms then show the newer state, the person's typed text where it is."""
    if isinstance(error, updates.Conflict):
        refused_saves[issue_id] = (form, save_message(error))
    else:
        refusals[issue_id] = (form, save_message(error))


def show_newer(row: IssueForUpdate) -> None:
    """After a conflict: the forms now show (and their next save is checked against) the issue
    as it is now. A choice the person had not changed follows the newer state; one they made is
    kept, as is everything they typed."""
    old = drawn[row.issue_id]
    drawn[row.issue_id] = Shown(row.version, row.status, row.due_date, row.own_rag)
    key = form_key(row.issue_id)
    if st.session_state.get(f"status_{key}", old.status) == old.status:
        st.session_state[f"status_{key}"] = row.status
    if st.session_state.get(f"own_rag_{key}", old.own_rag) == old.own_rag:
        st.session_state[f"own_rag_{key}"] = row.own_rag
    if st.session_state.get(f"due_date_{row.issue_id}", old.due_date) == old.due_date:
        st.session_state[f"due_date_{row.issue_id}"] = row.due_date


def saved_own(issue_id: int, version: int, **changed: object) -> None:
    """This person's own save moves the version their forms were drawn from on."""
    if issue_id in drawn:
        state = drawn[issue_id]
        state.version = version
        for name, value in changed.items():
            setattr(state, name, value)


def save_update(issue_id: int, generation: int) -> None:
    """The update form's Save (its callback): status, RAG rating, note and evidence together,
    checked against the version the form was drawn from."""
    key = f"{issue_id}_{generation}"
    state = drawn[issue_id]
    values = st.session_state
    upload = values.get(f"file_{key}")
    try:
        with session() as db:
            issue = updates.record_update(
                session=db,
                actor=actor,
                issue_id=issue_id,
                expected_version=state.version,
                status=values[f"status_{key}"],
                note=values.get(f"note_{key}") or "",
                own_rag=values.get(f"own_rag_{key}"),
                evidence_title=values.get(f"title_{key}") or "",
                evidence_url=values.get(f"link_{key}") or "",
                upload=updates.EvidenceUpload(upload.name, upload.getvalue()) if upload else None,
                settings=settings(),
            )
    except Refused as error:
        refused(issue_id, "update", error)
        return
    after_write()
    state_rag, was_finished = state.own_rag, state.status in CLOSED
    saved_own(issue_id, issue.version, status=issue.status, own_rag=issue.own_rag)
    st.session_state[f"form_gen_{issue_id}"] = generation + 1
    words = f"Saved: issue {plain(issue.ref)} is now {issue.status}."
    if issue.own_rag != state_rag:
        words += f" Your RAG rating: {own_rag_look(issue.own_rag).words}."
    saved_words[issue_id] = words
    st.session_state[card_key(issue_id)] = False  # done: the card closes, "Saved" on it
    if (issue.status in CLOSED) != was_finished or st.session_state.get(BULK_OPEN):
        st.rerun()  # the page's counts and order (or the open table) change: all of it again
    if (row := opened_rows.get(issue_id)) is not None:
        just_saved[issue_id] = replace(
            row,
            version=issue.version,
            status=issue.status,
            own_rag=issue.own_rag,
            updated_by=issue.updated_by,
            updated_at=issue.updated_at,
        )


def update_form(row: IssueForUpdate, state: Shown, message_text: str | None) -> None:
    """Status, the council's own RAG rating, note and evidence for one issue, saved together."""
    issue_id = row.issue_id
    generation = st.session_state.setdefault(f"form_gen_{issue_id}", 0)
    key = f"{issue_id}_{generation}"
    message = st.container()
    if message_text:
        message.error(message_text, icon=":material/error:")
    with st.form(f"update_{key}", border=False):
        st.radio(
            "Status",
            STATUS_VALUES,
            index=STATUS_VALUES.index(state.status),
            horizontal=True,
            key=f"status_{key}",
        )
        st.radio(
            "Your RAG rating",
            RATING_CHOICES,
            index=RATING_CHOICES.index(state.own_rag),
            format_func=lambda rating: own_rag_look(rating).words,
            horizontal=True,
            key=f"own_rag_{key}",
            help="The council's own judgement of the issue (for example Amber when risks are "
            "identified), shown beside the rating worked out from its dates.",
        )
        st.text_area(
            "Progress note",
            key=f"note_{key}",
            max_chars=updates.MAX_NOTE_LENGTH,
            placeholder="What has been done? Needed to mark the issue Complete, Embedded or "
            "Not applicable.",
        )
        link_column, title_column = st.columns(2)
        link_column.text_input(
            "Evidence link (optional)",
            key=f"link_{key}",
            placeholder="https://",
            max_chars=longest(Evidence, "url"),
        )
        title_column.text_input(
            "Title of the evidence (optional)",
            key=f"title_{key}",
            max_chars=longest(Evidence, "title"),
        )
        st.file_uploader(
            "Or attach a file as evidence (optional)",
            type=sorted({ext[1:] for ext in evidence_files.ALLOWED}),
            key=f"file_{key}",
            help=f"{evidence_files.ACCEPTED_WORDS}, "
            f"{upload_limit_words(settings().max_evidence_mb)}.",
            max_upload_size=settings().max_evidence_mb,
        )
        st.form_submit_button(
            "Save update",
            type="primary",
            key=f"save_{key}",
            on_click=save_update,
            args=(issue_id, generation),
        )


def save_due_date(issue_id: int) -> None:
    """The due-date form's Save (its callback), checked against the version it was drawn from."""
    try:
        with session() as db:
            issue = updates.change_due_date(
                session=db,
                actor=actor,
                issue_id=issue_id,
                due_date=st.session_state.get(f"due_date_{issue_id}"),
                reason=st.session_state.get(f"due_reason_{issue_id}") or "",
                expected_version=drawn[issue_id].version,
            )
    except Refused as error:
        refused(issue_id, "due", error)
        return
    after_write()
    saved_own(issue_id, issue.version, due_date=issue.due_date)
    when = format_day(issue.due_date) if issue.due_date else "no date"
    saved_words[issue_id] = f"Saved: issue {plain(issue.ref)} is now due {when}."
    st.session_state[card_key(issue_id)] = False
    st.rerun()  # a new due date may move the issue to another part of the page


def due_date_form(row: IssueForUpdate, state: Shown, message_text: str | None) -> None:
    issue_id = row.issue_id
    message = st.container()
    if message_text:
        message.error(message_text, icon=":material/error:")
    with st.form(f"due_{issue_id}", border=False):
        st.date_input(
            "New due date",
            value=state.due_date,
            format="DD/MM/YYYY",
            key=f"due_date_{issue_id}",
        )
        st.text_input(
            "Why is it changing?", key=f"due_reason_{issue_id}", max_chars=updates.MAX_NOTE_LENGTH
        )
        st.form_submit_button(
            "Save the new due date",
            key=f"due_save_{issue_id}",
            on_click=save_due_date,
            args=(issue_id,),
        )


def past_updates(own_history: list[RecentUpdate], own_evidence: list[EvidenceItem]) -> None:
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
            moved = change_words(
                change.from_status, change.to_status, change.from_rag, change.to_rag
            )
            st.markdown(f"{time_text(change.at)} · {plain(change.by)} · {moved}")
            if note := note_text(change.note):
                st.markdown(f"> {plain(note)}")


def card_key(issue_id: int) -> str:
    """The key of an issue's Update expander (True while it is open)."""
    return f"card_{issue_id}"


@st.fragment
def issue_card(issue_id: int, *, show_theme: bool, open_form: bool = False) -> None:
    """One issue's card. Run alone (its own Update opened or closed), it reads its issue again
    (an issue no longer listed here runs the whole page again); after a save, it shows the issue
    as the save left it."""
    saved_row = just_saved.pop(issue_id, None)
    if not widgets.fragment_run():
        row = by_id[issue_id]
    elif saved_row is not None:
        row = saved_row
    else:
        with session() as db:
            fresh = issues_for_update(db, lead_ids=lead_ids, today=today, issue_ids=[issue_id])
        if not fresh:
            st.rerun()
        row = fresh[0]
    form, message_text = refused_saves.pop(issue_id, ("", ""))
    if form and issue_id in drawn:
        show_newer(row)
    elif not form:
        form, message_text = refusals.pop(issue_id, ("", ""))
    if form:
        # open after a refusal, so the person sees it next to what they typed
        st.session_state[card_key(issue_id)] = True
    with st.container(border=True):
        facts = [
            status_label(row.status),
            f"{RAG_COUNCIL}: {own_rag_label(row.own_rag)}",
            due_words(row),
            f"Led by {plain(row.leads)}",
        ]
        if show_theme:
            facts.append(f"{plain(row.plan_title)}: {plain(row.section)}")
        # (one element, not two: every element is sent and drawn again on each re-run)
        st.markdown(f"**{plain(row.ref)}** {plain(row.text)}\n\n" + " · ".join(facts))
        if said := saved_words.pop(issue_id, None):
            st.success(said, icon=":material/check_circle:")
        # The forms are drawn only while the card is open: a page of closed cards is quick to
        # send and to draw, and opening one runs the card again to draw its forms.
        card = st.expander(
            f"Update {plain(row.ref)}",
            icon=":material/edit:",
            expanded=open_form,
            key=card_key(issue_id),
            on_change="rerun",
        )
        if not card.open:
            opened_rows.pop(issue_id, None)
            if not st.session_state.get(BULK_OPEN):
                # nothing typed survives a closed form: opening it again starts from the
                # issue as it is then
                drawn.pop(issue_id, None)
            return
        state = drawn.setdefault(
            issue_id, Shown(row.version, row.status, row.due_date, row.own_rag)
        )
        opened_rows[issue_id] = row
        with session() as db:
            own_history = recent_updates(db, [issue_id])
            own_evidence = evidence_of(db, [issue_id])
        with card:
            update_form(row, state, message_text if form == "update" else None)
            past_updates(own_history, own_evidence)
            st.markdown("**Change the due date**")
            due_date_form(row, state, message_text if form == "due" else None)


def grouped(
    rows: Iterable[IssueForUpdate], key: Callable[[IssueForUpdate], str]
) -> dict[str, list[IssueForUpdate]]:
    """Rows by `key`, the groups in the order each key first appears."""
    groups: dict[str, list[IssueForUpdate]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return groups


def asked_for() -> IssueForUpdate | None:
    """The issue `?issue=ID` names (the Issue page's "Update this issue"), when it is one of
    these; a note when it is not."""
    wanted = st.query_params.get("issue")
    if not wanted:
        return None
    found = next((row for row in issues if str(row.issue_id) == wanted.strip()), None)
    if found is None:
        st.info(
            "The issue you followed a link to is not led by a service you act for, so it "
            "cannot be updated here."
        )
    return found


chosen = asked_for()
if chosen is not None:
    st.header(f"Update issue {plain(chosen.ref)}")
    issue_card(chosen.issue_id, show_theme=True, open_form=True)
shown_first = {chosen.issue_id} if chosen else set()
overdue = [row for row in issues if row.overdue and row.issue_id not in shown_first]
if overdue:
    st.header(f"Overdue ({len(overdue)})")
    for row in overdue:
        issue_card(row.issue_id, show_theme=True)
soon = [row for row in due_soon if row.issue_id not in shown_first]
if soon:
    st.header(f"Due soon ({len(soon)})")
    st.caption(f"Not finished and due in the next {plural(amber_days, 'day')}.")
    for row in sorted(soon, key=lambda row: (row.due_date or today, row.issue_id)):
        issue_card(row.issue_id, show_theme=True)
shown_first |= {row.issue_id for row in overdue} | {row.issue_id for row in soon}
on_time = [row for row in issues if row.issue_id not in shown_first]
for plan_title, plan_rows in grouped(on_time, lambda row: row.plan_title).items():
    st.header(plain(plan_title))
    for heading, rows in grouped(plan_rows, lambda row: row.section).items():
        st.subheader(plain(heading))
        for row in rows:
            issue_card(row.issue_id, show_theme=False)


def save_all(table: list[IssueForUpdate], bulk_key: str) -> None:
    """The table's Save all changes (its callback): every changed row, or none."""
    edits = st.session_state.get(bulk_key, {}).get("edited_rows", {})
    changes = []
    for position, cells in edits.items():
        row = table[int(position)]
        issue_id = row.issue_id
        status = cells.get("Status") or row.status
        note = note_text(cells.get("Note"))  # an untouched cell may come back empty or NaN
        own_rag = RATING_WORDS.get(cells.get(RAG_COLUMN), row.own_rag)
        if status != row.status or note or own_rag != row.own_rag:
            changes.append(
                updates.IssueChange(issue_id, drawn[issue_id].version, status, note, own_rag)
            )
    if not changes:
        st.session_state["bulk_said"] = ("info", "Nothing has changed in the table yet.")
        return
    try:
        with session() as db:
            saved = updates.bulk_update(session=db, actor=actor, changes=changes)
    except updates.Conflict as conflict:
        # the table keeps what was typed in it and now shows the newer state
        for change in changes:
            refused_saves.setdefault(change.issue_id, ("bulk", ""))
        st.session_state["bulk_said"] = (
            "error",
            f"{plain(conflict)} Nothing was saved. Your changes are still in the table: "
            "check their change, then save again.",
        )
        return
    except Refused as error:
        st.session_state["bulk_said"] = ("error", plain(error))
        return
    after_write()
    for issue in saved:
        saved_own(issue.id, issue.version, status=issue.status, own_rag=issue.own_rag)
    st.session_state["bulk_gen"] += 1
    refs = plain(", ".join(issue.ref for issue in saved))
    st.session_state["my_issues_flash"] = f"Saved {plural(len(saved), 'issue')}: {refs}."


st.header("Update several issues at once")
st.write(
    "Change a status or RAG rating or write a note in the table, then press **Save all "
    "changes**. "
    "Complete, Embedded and Not applicable need a note. Nothing is saved unless every row is. "
    "The table is wider than a phone's screen: there, use each issue's **Update** above."
)
# (drawn only while open, like the cards' forms: the table is the heaviest thing on the page)
bulk = st.expander(
    f"Table of {plural(len(issues), 'issue')}",
    icon=":material/table_edit:",
    key=BULK_OPEN,
    on_change="rerun",
)
if bulk.open:
    table = sorted(issues, key=lambda row: row.issue_id)
    for row in table:
        drawn.setdefault(row.issue_id, Shown(row.version, row.status, row.due_date, row.own_rag))
    shown = pd.DataFrame(
        {
            "Plan": [row.plan_title for row in table],
            "Ref": [row.ref for row in table],
            "Issue": [row.text for row in table],
            "Status": [row.status for row in table],
            RAG_COLUMN: [own_rag_look(row.own_rag).words for row in table],
            "Note": "",
        },
        index=pd.Index([row.issue_id for row in table], name="issue_id"),
    )
    bulk_key = f"bulk_{st.session_state.setdefault('bulk_gen', 0)}"
    with bulk:
        if said := st.session_state.pop("bulk_said", None):
            kind, words = said
            if kind == "info":
                st.info(words)
            else:
                st.error(words, icon=":material/error:")
        st.data_editor(
            shown,
            key=bulk_key,
            hide_index=True,
            column_order=["Plan", "Ref", "Issue", "Status", RAG_COLUMN, "Note"]
            if len({row.plan_id for row in table}) > 1
            else ["Ref", "Issue", "Status", RAG_COLUMN, "Note"],
            disabled=["Plan", "Ref", "Issue"],
            column_config={
                "Issue": st.column_config.TextColumn(width="large"),
                "Status": st.column_config.SelectboxColumn(
                    options=list(STATUS_VALUES), required=True
                ),
                RAG_COLUMN: st.column_config.SelectboxColumn(
                    options=list(RATING_WORDS), required=True
                ),
                "Note": st.column_config.TextColumn(
                    width="large", max_chars=updates.MAX_NOTE_LENGTH
                ),
            },
            width="stretch",
        )
        st.button(
            "Save all changes",
            type="primary",
            key="bulk_save",
            on_click=save_all,
            args=(table, bulk_key),
        )
