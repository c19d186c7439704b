"""Publish equality information (equality leads only): the information the Public Sector Equality
Duty asks a body to publish, built from the live plan. The lead writes the narrative sections,
records why anything the regulations list is missing, checks the checklist and publishes; each
published version is kept unchanged and served at /published/ with no sign-in."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.formats import tables, words
from dashboard.formats.markdown import plain
from dashboard.reads import publication as reads
from dashboard.reports.publication import site
from dashboard.rules.dates import uk_today
from dashboard.rules.errors import Refused
from dashboard.rules.publication import (
    CHARACTERISTIC_REASON,
    NARRATIVE_MOST,
    NARRATIVE_SECTIONS,
    NATION_NAMES,
    REASON_MOST,
    Nation,
)
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write
from dashboard.ui.engine import session, settings
from dashboard.writes.publication import (
    SHOW_THEIRS,
    DraftConflict,
    DraftWords,
    publish,
    save_draft,
)

actor = signin.current_actor()
st.title("Publish equality information")
if not actor.is_admin:
    st.error("Only an equality lead (administrator) can publish equality information.")
    widgets.stop()
if flash := st.session_state.pop("publish_flash", None):
    st.success(flash, icon=":material/check_circle:")
st.write(
    "The Public Sector Equality Duty asks every public body to publish its equality objectives "
    "and information about how it meets the duty. This page builds that publication from the "
    "plan as it stands, in the form your nation's regulations ask for. Officers' names are left "
    "out unless you choose to show them; their service is shown instead."
)

plan = widgets.plan_choice()
slug, plan_id = str(plan["slug"]), int(plan["plan_id"])
chosen = Nation(
    widgets.url_choice("Nation", [(n.value, NATION_NAMES[n]) for n in Nation], "nation")
)
today, amber_days = uk_today(), settings().rag_amber_days
with session() as db:
    last = reads.latest(db, slug, chosen)
    saved = reads.draft(db, plan_id, chosen)
    choices = reads.choices_from_draft(saved, chosen, last, today, amber_days)
    content = reads.gather(db, slug, choices, last, today)

st.header("When it is due")
st.markdown("\n".join(f"- {plain(line)}" for line in reads.due_lines(last, chosen, today)))
st.caption(
    "Last published on " + words.format_day(last.published_on) + "."
    if last
    else f"Nothing has been published for {NATION_NAMES[chosen]} from this plan yet."
)

# A new form (its fields filled from the saved draft) only after a save: a refusal keeps every
# word typed. The draft's saved time when the form opened goes with each save, so a colleague's
# save in between is never overwritten.
form_key = f"publish_{plan_id}_{chosen.value}_{st.session_state.get('publish_form', 0)}"
seen_at = st.session_state.setdefault(f"{form_key}_seen", saved.at if saved else None)
# The fields start from the draft as it was when the form opened, so a colleague's save since
# does not replace what this person is typing (Streamlit would draw a field with a new starting
# value as a new, empty one).
opened: reads.Choices = st.session_state.setdefault(f"{form_key}_opened", choices)
asked = reads.open_items(content, chosen)

st.header("Write and check")
with st.form(form_key):
    st.subheader("Dates")
    day_columns = st.columns(3)
    published_on = day_columns[0].date_input("To be published on", value=today,
                                             format="DD/MM/YYYY")  # fmt: skip
    covers_from = day_columns[1].date_input("Covers from", value=opened.covers_from,
                                            format="DD/MM/YYYY")  # fmt: skip
    covers_to = day_columns[2].date_input("Covers to", value=opened.covers_to,
                                          format="DD/MM/YYYY")  # fmt: skip
    show_officers = st.checkbox("Name the officers who lead each action",
                                value=opened.show_officers)  # fmt: skip
    st.subheader("Your own sections")
    st.caption(
        "Plain text: a blank line starts a new paragraph. Each section is published under its "
        f"heading; leave one empty to leave it out. At most {NARRATIVE_MOST:,} characters each."
    )
    narrative: dict[str, str] = {}
    reasons: dict[str, str] = {}
    for name in NARRATIVE_SECTIONS[chosen]:
        needed = asked.section_requirements.get(name)
        narrative[name] = st.text_area(
            name,
            value=opened.narrative.get(name, ""),
            max_chars=NARRATIVE_MOST,
            height=140,
            help=f"The regulations ask for: {needed.words}." if needed else None,
        )
        if needed:
            reasons[needed.code] = st.text_input(
                f"If you leave “{name}” out, say why",
                value=opened.reasons.get(needed.code, ""),
                max_chars=REASON_MOST,
                placeholder="For example: published separately in our annual report",
            )
    if asked.missing_parts or asked.no_action:
        st.subheader("What the plan does not cover")
    for item in asked.missing_parts:
        reasons[item["code"]] = st.text_input(
            f"The plan has nothing for “{item['requirement']}”: say why",
            value=opened.reasons.get(item["code"], ""),
            max_chars=REASON_MOST,
        )
    if asked.no_action:
        with st.expander(
            f"{words.plural(len(asked.no_action), 'protected characteristic')} with no action: "
            "say why (optional)"
        ):
            for name in asked.no_action:
                key = CHARACTERISTIC_REASON + name
                reasons[key] = st.text_input(
                    f"No action covers {name}: say why",
                    value=opened.reasons.get(key, ""),
                    max_chars=REASON_MOST,
                )
    buttons = st.columns(2)
    save_pressed = buttons[0].form_submit_button("Save the draft", icon=":material/save:")
    publish_pressed = buttons[1].form_submit_button(
        "Save and publish", type="primary", icon=":material/public:"
    )


def _new_form() -> None:
    """The next run draws a new form from the draft as it is saved now."""
    st.session_state["publish_form"] = st.session_state.get("publish_form", 0) + 1


if save_pressed or publish_pressed:
    keep = DraftWords(
        narrative=narrative,
        reasons=reasons,
        covers_from=covers_from if isinstance(covers_from, date) else None,
        covers_to=covers_to if isinstance(covers_to, date) else None,
        show_officers=show_officers,
    )
    try:
        with session() as db:
            draft = save_draft(db, actor, plan_id, chosen, keep, seen_at)
    except Refused as refused:  # nothing saved: every word stays in the form
        st.error(plain(refused), icon=":material/error:")
        if isinstance(refused, DraftConflict):  # their version, once this person has copied theirs
            st.button(SHOW_THEIRS, icon=":material/refresh:", on_click=_new_form)
        widgets.stop()
    after_write()
    _new_form()
    said = f"Saved the draft at {words.time_text(draft.at)}."
    if publish_pressed:
        on = published_on if isinstance(published_on, date) else today
        try:
            with session() as db:
                picked = reads.choices_from_draft(draft, chosen, last, on, amber_days)
                row = publish(db, reads.gather(db, slug, picked, last, today), actor)
        except Refused as refused:
            st.error(f"{said} Nothing was published: {plain(refused)}", icon=":material/error:")
            widgets.stop()
        after_write()
        said = (
            f"Published version {row.id} on {words.format_day(row.published_on)}. Anyone can "
            f"read it, with no sign-in, at /published/{row.id}/ on this dashboard's address."
        )
    st.session_state["publish_flash"] = said
    st.rerun()

st.subheader("What the regulations ask for")
st.write(f"**{plain(content['ready'])}** (as last saved).")
widgets.table(
    pd.DataFrame(
        {
            "What the regulations ask for": [c["requirement"] for c in content["checklist"]],
            "Where it stands": [
                "Present" if c["present"] else f"Missing: {c['reason']}" if c["reason"]
                else "Missing, with no reason recorded"
                for c in content["checklist"]
            ],
        }
    ),
    name="checklist",
)  # fmt: skip
st.download_button(
    "Download a preview (ZIP: the pages, PDF and open data, marked Draft)",
    data=lambda: site.zipped(content, draft=True),
    file_name=site.folder_name(content, draft=True) + ".zip",
    mime="application/zip",
    icon=":material/download:",
    on_click="ignore",
)

st.header("Published versions")
with session() as db:
    kept = reads.published(db, slug)
if not kept:
    st.write("Nothing has been published from this plan yet.")
else:
    addresses = [tables.href(f"published/{row.id}/") for row, _ in kept]
    widgets.table(
        pd.DataFrame(
            {
                "Version": [f"Version {row.id}" for row, _ in kept],
                "Published on": [words.format_day(row.published_on) for row, _ in kept],
                "Nation": [NATION_NAMES[Nation(row.nation)] for row, _ in kept],
                "Covers": [
                    f"{words.format_day(row.covers_from)} to {words.format_day(row.covers_to)}"
                    for row, _ in kept
                ],
                "By": [row.by for row, _ in kept],
                "What changed since the one before": [
                    words.plural(len(row.content.get("changes", [])), "change")
                    if row.content.get("previous")
                    else "The first"
                    for row, _ in kept
                ],
            }
        ),
        links={"Version": addresses},
        name="published",
        sortable=len(kept) > 1,
    )
    newest = kept[0][0]
    with st.expander(f"What changed in version {newest.id} since the one before"):
        changes = newest.content.get("changes", [])
        st.markdown(
            "\n".join(f"- {plain(line)}" for line in changes)
            if changes
            else "Nothing changed, or it was the first published."
        )
    st.download_button(
        f"Download version {newest.id} (ZIP) for your web team",
        data=lambda: site.zipped(newest.content),
        file_name=site.folder_name(newest.content) + ".zip",
        mime="application/zip",
        icon=":material/download:",
        on_click="ignore",
    )
