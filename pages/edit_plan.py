"""Keep the plan (equality leads only): change an issue's words, theme, leads, level, timescale and
measure; add an issue; retire or restore one; rename, move and merge themes; rename, merge and hand
on leads; the plan's title and period. Every save goes through dashboard/writes/plan_edits.py,
which checks the permission again and keeps the history."""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

import pandas as pd
import streamlit as st
from sqlmodel import Session

from dashboard.formats import words
from dashboard.formats.markdown import plain
from dashboard.reads import plan_edits as reads
from dashboard.reads import progress
from dashboard.rules.errors import Refused
from dashboard.rules.plan_edits import ISSUE_FIELDS, IssueFields
from dashboard.rules.timescale import parse_timescale
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session
from dashboard.ui.plan_level import plan_level_form
from dashboard.writes import plan_edits, updates

FLASH = "edit_plan_flash"
NEW = "new"

actor = signin.current_actor()
st.title("Keep the plan")
if not actor.is_admin:
    st.error("Only an equality lead (administrator) can change a plan's issues, themes and leads.")
    widgets.stop()
if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check_circle:")

plan = widgets.plan_choice()
plan_id = int(plan["plan_id"])
issues = cached(reads.plan_issues)(plan_id)
themes = cached(progress.themes)(plan_id)
levels = cached(progress.levels)(plan_id)
leads = cached(progress.leads)(plan_id)
characteristics = cached(progress.characteristics)()
framework_themes = cached(reads.framework_themes)(plan_id)
theme_words = dict(zip(themes["section_id"].astype(int), themes["heading"], strict=True))
lead_words = {int(row["lead_id"]): widgets.lead_label(row) for _, row in leads.iterrows()}
char_words = dict(
    zip(characteristics["characteristic_id"].astype(int), characteristics["name"], strict=True)
)
level_words: dict[int | None, str] = {None: "No level of its own"} | dict(
    zip(levels["level_id"].astype(int), levels["name"], strict=True)
)


def saved(message: str) -> None:
    after_write()
    st.session_state[FLASH] = message
    st.rerun()


def refused(exc: Refused) -> None:
    st.error(plain(str(exc)), icon=":material/error:")


@contextmanager
def writing() -> Iterator[Session]:
    """A session for one write and what follows it: a refusal is said on the page, and the rest
    of the block (the "saved" message) is skipped; what the person typed stays in the form."""
    try:
        with session() as db:
            yield db
    except Refused as exc:
        refused(exc)


def shorten(text: str, most: int = 80) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


# The open tab is kept in the address (?tab=Leads), so a save, a reload or a shared link comes
# back to it; only the open tab's forms are drawn.
tab_issues, tab_themes, tab_leads, tab_plan = st.tabs(
    ["Issues", "Themes", "Leads", "The plan"], key="tab", bind="query-params"
)

# ---------------------------------------------------------------- issues
with tab_issues:
    if tab_issues.open is not False:
        live = issues[issues["retired_at"].isna()]
        options = [(NEW, "Add a new issue")] + [
            (str(row.issue_id), plain(f"{row.ref} {shorten(str(row.text))}"))
            for row in live.itertuples()
        ]
        # (keyed by the words listed, so a drop-down showing an issue's old wording is drawn
        # anew after a save; the choice itself is kept in the address)
        words_listed = zlib.crc32("\n".join(w for _, w in options).encode())
        chosen = widgets.url_choice(
            "Issue to change",
            options,
            "issue",
            default=NEW if live.empty else None,
            key=f"choice_issue_{plan_id}_{words_listed}",
        )
        issue_id = None if chosen == NEW else int(chosen)
        if issue_id is None:
            shown, version = (
                (
                    IssueFields(ref="", text="", section_id=int(themes["section_id"].iloc[0]))
                    if not themes.empty
                    else None
                ),
                None,
            )
        else:
            found = cached(reads.issue_fields)(issue_id)
            shown, version = found if found else (None, None)
        if shown is None:
            st.info("Add a theme first (the Themes tab): every issue sits under one.")
        else:
            # The version this form was first drawn from: a save checks it, so a colleague's save in
            # between is refused rather than overwritten (what the person typed is kept).
            drawn = st.session_state.setdefault("edit_plan_drawn", {})
            form_key = f"{plan_id}:{chosen}"
            if version is not None:
                drawn.setdefault(form_key, version)
            key = f"ep_{form_key}_"
            ref = st.text_input("Ref", shown.ref, key=key + "ref", max_chars=20)
            text = st.text_area("What the issue is to do", shown.text, key=key + "text")
            section_ids = list(theme_words)
            section_id = st.selectbox(
                "Theme",
                section_ids,
                index=section_ids.index(shown.section_id) if shown.section_id in section_ids else 0,
                format_func=lambda s: theme_words[s],
                key=key + "theme",
            )
            lead_ids = st.multiselect(
                "Leads, the primary lead first",
                list(lead_words),
                default=[i for i in shown.lead_ids if i in lead_words],
                format_func=lambda i: lead_words[i],
                key=key + "leads",
            )
            timescale = st.text_input(
                "Timescale, as the plan writes it", shown.timescale or "", key=key + "timescale"
            )
            reading = parse_timescale(timescale)
            if reading.warning:
                st.warning(plain(reading.warning), icon=":material/warning:")
            elif reading.due:
                st.caption(f"Read as due by {words.format_day(reading.due)}.")
            measure = st.text_area("Measure of success", shown.measure or "", key=key + "measure")
            level_ids = list(level_words)
            level_id = st.selectbox(
                "Level",
                level_ids,
                index=level_ids.index(shown.level_id) if shown.level_id in level_ids else 0,
                format_func=lambda i: level_words[i],
                key=key + "level",
            )
            characteristic_ids = st.multiselect(
                "Protected characteristics it addresses",
                list(char_words),
                default=[i for i in shown.characteristic_ids if i in char_words],
                format_func=lambda i: char_words[i],
                key=key + "chars",
            )
            fields = IssueFields(
                ref=ref,
                text=text,
                section_id=int(section_id),
                lead_ids=tuple(lead_ids),
                timescale=timescale,
                measure=measure,
                level_id=level_id,
                characteristic_ids=tuple(characteristic_ids),
            )
            if issue_id is None:
                if st.button(
                    "Add this issue", icon=":material/add:", type="primary", key=key + "add"
                ):
                    with writing() as db:
                        added = plan_edits.add_issue(
                            session=db, actor=actor, plan_id=plan_id, fields=fields
                        )
                        saved(f"Issue {added.ref} added to {plan['title']}.")
            else:
                reason = st.text_input("Why (kept in the history; optional)", key=key + "reason")
                if st.button(
                    "Save changes", icon=":material/save:", type="primary", key=key + "save"
                ):
                    try:
                        with session() as db:
                            edit = plan_edits.edit_issue(
                                session=db,
                                actor=actor,
                                issue_id=issue_id,
                                expected_version=drawn[form_key],
                                fields=fields,
                                reason=reason,
                            )
                    except updates.Conflict as exc:
                        refused(exc)
                        with session() as db:
                            now = reads.issue_fields(db, issue_id)
                        if now is not None:  # the next save is made knowing their change
                            drawn[form_key] = now[1]
                            st.info(
                                plain(
                                    f"It now reads: “{now[0].text}”. Your changes are still in "
                                    "the form: check theirs, then save again if yours should "
                                    "stand."
                                ),
                                icon=":material/info:",
                            )
                    except Refused as exc:
                        refused(exc)
                    else:
                        drawn.pop(form_key, None)
                        changed = ", ".join(
                            ISSUE_FIELDS.get(name, name).lower() for name in edit.changed
                        )
                        saved(f"Issue {edit.ref} saved: {changed} changed.")
                with st.expander("Retire this issue"):
                    st.write(
                        "A retired issue is left out of progress and packs from now on; "
                        "its history stays, and it can be restored."
                    )
                    why = st.text_input("Why is it being retired?", key=key + "retire_reason")
                    if st.button(
                        "Retire this issue", icon=":material/archive:", key=key + "retire"
                    ):
                        with writing() as db:
                            plan_edits.retire_issue(
                                session=db,
                                actor=actor,
                                issue_id=issue_id,
                                expected_version=drawn[form_key],
                                reason=why,
                            )
                            drawn.pop(form_key, None)
                            st.query_params.pop("issue", None)
                            saved(f"Issue {shown.ref} retired.")

        retired = issues[issues["retired_at"].notna()]
        if not retired.empty:
            st.subheader("Retired issues")
            for row in retired.to_dict("records"):
                cols = st.columns([4, 1])
                cols[0].write(plain(f"{row['ref']} {shorten(str(row['text']))}"))
                if cols[1].button("Restore", key=f"restore_{row['issue_id']}"):
                    with writing() as db:
                        plan_edits.restore_issue(
                            session=db,
                            actor=actor,
                            issue_id=int(row["issue_id"]),
                            expected_version=int(row["version"]),
                        )
                        saved(f"Issue {row['ref']} restored.")

# ---------------------------------------------------------------- themes
with tab_themes:
    if tab_themes.open is not False:
        counts = issues[issues["retired_at"].isna()].groupby("section_id").size()
        widgets.table(
            pd.DataFrame(
                {
                    "Place": range(1, len(themes) + 1),
                    "Heading": themes["heading"],
                    "Framework theme": [
                        "" if t == h else t
                        for t, h in zip(themes["theme"], themes["heading"], strict=True)
                    ],
                    "Issues": [int(counts.get(s, 0)) for s in themes["section_id"]],
                }
            )
        )
        mapping: dict[int | None, str] = {None: "Not mapped"} | dict(
            zip(framework_themes["theme_id"].astype(int), framework_themes["name"], strict=True)
        )
        with st.form("add_theme", clear_on_submit=True):
            st.markdown("**Add a theme**")
            heading = st.text_input("Heading")
            theme_id = st.selectbox(
                "Framework theme", list(mapping), format_func=lambda i: mapping[i]
            )
            if st.form_submit_button("Add the theme", icon=":material/add:"):
                with writing() as db:
                    plan_edits.add_theme(
                        session=db,
                        actor=actor,
                        plan_id=plan_id,
                        heading=heading,
                        theme_id=theme_id,
                    )
                    saved(f"Theme {heading.strip()} added.")
        if theme_words:
            which = st.selectbox(
                "Theme to change", list(theme_words), format_func=lambda s: theme_words[s], key="tc"
            )
            with st.form(f"edit_theme_{which}"):
                st.markdown("**Rename or map it**")
                seen_heading = st.session_state.setdefault(
                    f"seen_theme_{which}", theme_words[which]
                )
                new_heading = st.text_input("Heading", theme_words[which])
                current = themes[themes["section_id"] == which]
                mapped_now = next(
                    (
                        i
                        for i, n in mapping.items()
                        if i is not None and n == current["theme"].iloc[0]
                    ),
                    None,
                )
                new_theme = st.selectbox(
                    "Framework theme",
                    list(mapping),
                    index=list(mapping).index(mapped_now),
                    format_func=lambda i: mapping[i],
                )
                if st.form_submit_button("Save the theme", icon=":material/save:"):
                    with writing() as db:
                        plan_edits.edit_theme(
                            session=db,
                            actor=actor,
                            section_id=int(which),
                            heading=new_heading,
                            theme_id=new_theme,
                            seen_heading=seen_heading,
                        )
                        st.session_state.pop(f"seen_theme_{which}", None)
                        saved("Theme saved.")
            with st.form(f"move_theme_{which}"):
                st.markdown("**Move it**")
                place = st.number_input(
                    "New place (1 is first)", min_value=1, max_value=len(theme_words), step=1
                )
                if st.form_submit_button("Move the theme", icon=":material/swap_vert:"):
                    with writing() as db:
                        plan_edits.move_theme(
                            session=db, actor=actor, section_id=int(which), to_place=int(place)
                        )
                        saved(f"Theme moved to place {int(place)}.")
            others = [s for s in theme_words if s != which]
            if others:
                with st.form(f"merge_theme_{which}"):
                    st.markdown("**Merge it into another theme** (its issues move; it is removed)")
                    into = st.selectbox("Merge into", others, format_func=lambda s: theme_words[s])
                    if st.form_submit_button("Merge the themes", icon=":material/merge:"):
                        with writing() as db:
                            plan_edits.merge_themes(
                                session=db,
                                actor=actor,
                                section_id=int(which),
                                into_id=int(into),
                            )
                            saved(f"Theme merged into {theme_words[into]}.")

# ---------------------------------------------------------------- leads
with tab_leads:
    if tab_leads.open is not False:
        if not lead_words:
            st.info("This plan's organisation has no leads yet: add them with an issue's import.")
        else:
            lead_id = st.selectbox(
                "Lead", list(lead_words), format_func=lambda i: lead_words[i], key="lead_pick"
            )
            other_leads = {i: w for i, w in lead_words.items() if i != lead_id}
            with st.form(f"rename_lead_{lead_id}"):
                st.markdown("**Rename it** (the old name still finds it on import)")
                current_name = str(leads[leads["lead_id"] == lead_id]["name"].iloc[0])
                seen_name = st.session_state.setdefault(f"seen_lead_{lead_id}", current_name)
                name = st.text_input("New name", current_name)
                if st.form_submit_button("Rename", icon=":material/edit:"):
                    with writing() as db:
                        plan_edits.rename_lead(
                            session=db,
                            actor=actor,
                            lead_id=lead_id,
                            name=name,
                            seen_name=seen_name,
                        )
                        st.session_state.pop(f"seen_lead_{lead_id}", None)
                        saved(f"Lead renamed to {name.strip()}.")
            if other_leads:
                with st.form(f"reassign_{lead_id}"):
                    st.markdown("**Hand all its issues to someone else** (when a person leaves)")
                    to = st.selectbox(
                        "Hand to", list(other_leads), format_func=lambda i: other_leads[i]
                    )
                    why = st.text_input("Why (kept in the history; optional)")
                    if st.form_submit_button("Hand on the issues", icon=":material/forward:"):
                        with writing() as db:
                            moved = plan_edits.reassign_issues(
                                session=db,
                                actor=actor,
                                from_lead_id=lead_id,
                                to_lead_id=int(to),
                                reason=why,
                            )
                            saved(f"{words.plural(moved, 'issue')} handed to {other_leads[to]}.")
                with st.form(f"parent_{lead_id}"):
                    st.markdown("**Put it under a service**")
                    parents: dict[int | None, str] = {None: "Not under a service"} | other_leads
                    parent = st.selectbox(
                        "Service", list(parents), format_func=lambda i: parents[i]
                    )
                    if st.form_submit_button("Save", icon=":material/save:"):
                        with writing() as db:
                            plan_edits.set_lead_parent(
                                session=db, actor=actor, lead_id=lead_id, parent_id=parent
                            )
                            saved("Lead saved.")
                with st.form(f"merge_lead_{lead_id}"):
                    st.markdown(
                        "**Merge it into another lead** (its issues and users move; it goes)"
                    )
                    into = st.selectbox(
                        "Merge into", list(other_leads), format_func=lambda i: other_leads[i]
                    )
                    if st.form_submit_button("Merge the leads", icon=":material/merge:"):
                        with writing() as db:
                            plan_edits.merge_leads(
                                session=db, actor=actor, lead_id=lead_id, into_id=int(into)
                            )
                            saved(f"Lead merged into {other_leads[into]}.")
            with st.form(f"alias_{lead_id}", clear_on_submit=True):
                st.markdown("**Another name it is known by** (as plans write it, such as CMT)")
                alias = st.text_input("Other name")
                if st.form_submit_button("Add the name", icon=":material/add:"):
                    with writing() as db:
                        plan_edits.add_lead_alias(
                            session=db, actor=actor, lead_id=lead_id, alias=alias
                        )
                        saved(f"{alias.strip()} now finds {lead_words[lead_id]}.")

# ---------------------------------------------------------------- the plan
with tab_plan:
    if tab_plan.open is not False:
        with st.form(f"plan_{plan_id}"):
            details = cached(reads.plan_details)(plan_id)
            # what this form was drawn from: a save after someone else's is refused
            seen_plan = st.session_state.setdefault(f"seen_plan_{plan_id}", dict(details))
            title = st.text_input("Title", details["title"])
            period = st.text_input("Period it covers", details["period"])
            organisation = st.text_input(
                "Organisation's name (shown on every plan of the organisation)",
                details["organisation"],
            )
            if st.form_submit_button("Save", icon=":material/save:"):
                with writing() as db:
                    plan_edits.edit_plan(
                        session=db,
                        actor=actor,
                        plan_id=plan_id,
                        title=title,
                        period=period,
                        organisation=organisation,
                        seen=seen_plan,
                    )
                    st.session_state.pop(f"seen_plan_{plan_id}", None)
                    saved("Plan saved.")
        plan_level_form(actor, expanded=True)
        changes = cached(reads.plan_changes)(plan_id=plan_id)
        if not changes.empty:
            widgets.section(
                "Changes to the plan",
                table=pd.DataFrame(
                    {
                        "When": changes["at"].map(words.time_text),
                        "Change": changes["change"],
                        "Why": changes["reason"].fillna(""),
                        "By": changes["by"],
                    }
                ).iloc[::-1],
            )
