"""Level criteria (equality leads only): load them from a CSV file, see them per theme and level,
and link issues to the criteria they help to meet."""

import pandas as pd
import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.formats.sheets import rows_to_csv, upload_limit_words
from dashboard.formats.words import plural
from dashboard.reads import levels
from dashboard.reads.criteria import CRITERIA_COLUMNS, criteria_list, criteria_rows, linked_issues
from dashboard.rules.errors import Refused
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session
from dashboard.writes import criteria


def _issue_labels(frame: pd.DataFrame) -> dict[int, str]:
    """Issue id -> "ref text…" for a choice of issues."""
    return {
        int(r["issue_id"]): f"{r['ref']} {str(r['text'])[:90]}" for r in frame.to_dict("records")
    }


def _keep_choice(labels: dict[int, str], key: str, words: str) -> dict[int, str]:
    """The choices, with the one this person made still among them after someone else's change
    took it off the list: a drop-down whose choice is gone falls back to its first option, and
    the button under it would then act on an issue the person never chose. Kept, the write
    refuses it in plain words (already linked, or no longer linked)."""
    kept = st.session_state.get(key)
    if isinstance(kept, int) and kept not in labels:
        return {**labels, kept: words}
    return labels


FLASH = "criteria_flash"

actor = signin.current_actor()
st.title("Level criteria")
if not actor.is_admin:
    st.error("Only an equality lead (admin) can manage level criteria.", icon=":material/lock:")
    widgets.stop()
if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check_circle:")

st.write(
    "The official criteria for each level are not part of this tool. Load the criteria your "
    "council works to from a CSV file with the columns framework, theme, level, ref, criterion "
    "and guidance (one row per criterion). Loading the same file again changes nothing; a row "
    "with the same framework, theme, level and ref updates that criterion."
)

st.header("Load criteria")
template_col, export_col = st.columns(2)
with template_col:
    st.download_button(
        "Download an empty criteria file",
        data=criteria.template_csv(),
        file_name="criteria-template.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def _loaded_csv() -> str:
    with session() as db:
        return rows_to_csv(criteria_rows(db), CRITERIA_COLUMNS)


with export_col:
    st.download_button(
        "Download the criteria loaded",
        data=_loaded_csv,
        file_name="criteria.csv",
        mime="text/csv",
        icon=":material/download:",
    )
upload = st.file_uploader(
    f"Criteria file (CSV, {upload_limit_words(criteria.MAX_MB)})",
    type=["csv"],
    key="criteria_file",
    max_upload_size=criteria.MAX_MB,
)
if st.button("Check and load criteria", type="primary", disabled=upload is None):
    assert upload is not None
    try:
        rows = criteria.read_criteria_bytes(upload.getvalue())
        with session() as db:
            result = criteria.import_criteria(db, rows, actor=actor)
    except Refused as refused:
        st.error(f"No criteria were loaded: {plain(refused)}", icon=":material/error:")
    else:
        if result.ok:
            after_write()
            st.session_state[FLASH] = result.summary()
            st.rerun()
        st.error(
            f"No criteria were loaded: {plural(len(result.errors), 'problem')} found. Correct "
            "the file and load it again.",
            icon=":material/error:",
        )
        widgets.table(
            pd.DataFrame(
                {
                    "Row": [p.row for p in result.errors],
                    "Column": [p.column or "" for p in result.errors],
                    "Value": [p.value or "" for p in result.errors],
                    "Problem": [p.message for p in result.errors],
                }
            )
        )

st.header("Criteria loaded")
loaded = cached(criteria_list)()
if loaded.empty:
    st.info(
        "No criteria are loaded yet. Until they are, each level's issues stand in for its "
        "criteria on the Readiness page.",
        icon=":material/info:",
    )
    widgets.stop()
for (framework, theme), group in loaded.groupby(["framework", "theme"], sort=False):
    st.subheader(f"{plain(theme)} ({plain(framework)})")
    widgets.table(
        pd.DataFrame(
            {
                "Level": group["level"],
                "Ref": group["ref"],
                "Criterion": group["text"],
                "Guidance": group["guidance"],
                "Issues linked": group["issues_linked"],
            }
        )
    )

st.header("Link issues to criteria")
plans = cached(levels.framework_plans)()
labels: dict[int, str] = {
    int(r["criterion_id"]): f"{r['ref']} – {str(r['text'])[:80]} ({r['theme']}, {r['level']}, "
    f"{r['framework']})"
    for r in loaded.to_dict("records")
}
criterion_id = st.selectbox("Criterion", list(labels), format_func=lambda key: labels[key])
assert criterion_id is not None
criterion_ref = loaded[loaded["criterion_id"] == criterion_id]["ref"].iloc[0]
linked = cached(linked_issues)([int(criterion_id)])
if linked.empty:
    st.write("No issues are linked to this criterion yet.")
else:
    widgets.table(
        pd.DataFrame({"Plan": linked["plan"], "Ref": linked["ref"], "Issue": linked["text"]})
    )

if not plans.empty:
    plan_titles: dict[int, str] = {
        int(r["plan_id"]): str(r["title"]) for r in plans.to_dict("records")
    }
    plan_id = st.selectbox("Plan", list(plan_titles), format_func=lambda key: plan_titles[key])
    assert plan_id is not None
    issues = cached(levels.plan_issues)(plan_id)
    linked_here = set(linked["issue_id"])
    free = issues[~issues["issue_id"].isin(linked_here)]
    issue_labels = _keep_choice(
        _issue_labels(free), "link_issue", "The issue you chose (linked since by someone else)"
    )
    issue_id = st.selectbox(
        "Issue to link",
        list(issue_labels),
        format_func=lambda key: issue_labels[key],
        key="link_issue",
    )
    if st.button("Link the issue", disabled=issue_id is None):
        try:
            with session() as db:
                criteria.link_issue_to_criterion(
                    session=db, actor=actor, issue_id=int(issue_id or 0), criterion_id=criterion_id
                )
        except Refused as refused:
            st.error(plain(refused), icon=":material/error:")
        else:
            after_write()
            ref = issues[issues["issue_id"] == issue_id]["ref"].iloc[0]
            st.session_state[FLASH] = (
                f"Linked issue {plain(ref)} to criterion {plain(criterion_ref)}."
            )
            st.rerun()

unlink_labels = _keep_choice(
    _issue_labels(linked), "unlink_issue", "The issue you chose (unlinked since by someone else)"
)
if unlink_labels:
    to_unlink = st.selectbox(
        "Linked issue to remove",
        list(unlink_labels),
        format_func=lambda key: unlink_labels[key],
        key="unlink_issue",
    )
    if st.button("Remove the link"):
        try:
            with session() as db:
                criteria.unlink_issue_from_criterion(
                    session=db, actor=actor, issue_id=int(to_unlink or 0), criterion_id=criterion_id
                )
        except Refused as refused:
            st.error(plain(refused), icon=":material/error:")
        else:
            after_write()
            ref = linked[linked["issue_id"] == to_unlink]["ref"].iloc[0]
            st.session_state[FLASH] = (
                f"Removed the link between issue {plain(ref)} and {plain(criterion_ref)}."
            )
            st.rerun()
