"""Self-assessment of one framework theme: the latest, the history over time, and (for equality
leads) a form to record a new dated assessment with a judgement on each criterion."""

import pandas as pd
import streamlit as st

from dashboard.formats import words
from dashboard.formats.markdown import plain
from dashboard.reads import levels, progress
from dashboard.reports.peer_pack.archive import pack_zip
from dashboard.reports.peer_pack.gather import gather
from dashboard.reports.peer_pack.pdf import pack_pdf
from dashboard.rules.dates import uk_today
from dashboard.rules.errors import Refused
from dashboard.ui import signin, widgets
from dashboard.ui.cache import after_write, cached
from dashboard.ui.engine import session, settings
from dashboard.writes.levels import CriterionJudgement, record_self_assessment
from models import Judgement

FLASH = "self_assessment_flash"
JUDGEMENT_LABEL = {
    Judgement.MET.value: ":material/check_circle: Met",
    Judgement.PARTLY_MET.value: ":material/contrast: Partly met",
    Judgement.NOT_MET.value: ":material/cancel: Not met",
}
NO_LEVEL = "No level claimed"

actor = signin.current_actor()
st.title("Self-assessment")
if flash := st.session_state.pop(FLASH, None):
    st.success(flash, icon=":material/check_circle:")

plans = cached(levels.framework_plans)()
if plans.empty:
    st.info(
        "No plan is written against the Equality Framework for Local Government yet, so there "
        "are no themes to assess.",
        icon=":material/info:",
    )
    widgets.stop()
plan_col, theme_col = st.columns(2)
with plan_col:
    slug = widgets.url_choice("Plan", list(zip(plans["slug"], plans["title"], strict=True)), "plan")
plan = plans[plans["slug"] == slug].iloc[0]
plan_id, organisation_id = int(plan["plan_id"]), int(plan["organisation_id"])
themes = cached(levels.plan_framework_themes)(plan_id)
if themes.empty:
    st.info(
        f"{plain(plan['title'])} has no themes that follow the framework.", icon=":material/info:"
    )
    widgets.stop()
with theme_col:
    number = widgets.url_choice(
        "Theme",
        [(str(p), f"{p}. {t}") for p, t in zip(themes["position"], themes["theme"], strict=True)],
        "theme",
        key=f"theme_{plan_id}",
    )
theme = themes[themes["position"] == int(number)].iloc[0]
theme_id = int(theme["theme_id"])
criteria = cached(levels.theme_criteria)(theme_id)
history = cached(levels.assessment_history)(organisation_id, theme_id)
judgements = cached(levels.assessment_judgements)([int(i) for i in history["assessment_id"]])

st.header(plain(theme["theme"]))
st.caption(f"{plain(plan['organisation'])} · {plain(plan['framework'])}")
if criteria.empty:
    st.info(
        "No criteria are loaded for this theme, so its issues at each level stand in for them "
        "(see Readiness). An assessment can still record the level claimed and the narrative.",
        icon=":material/info:",
    )


def judgement_table(assessment_id: int) -> None:
    rows = judgements[judgements["assessment_id"] == assessment_id]
    if rows.empty:
        st.write("No criteria were judged in this assessment.")
        return
    widgets.table(
        pd.DataFrame(
            {
                "Level": rows["level"],
                "Ref": rows["ref"],
                "Criterion": rows["text"],
                "Judgement": rows["judgement"].map(JUDGEMENT_LABEL),
                "Evidence": rows["evidence"].str.replace("\n", "; "),
                "Note": rows["note"],
            }
        ),
        icons=("Judgement",),
    )


def summary(row: pd.Series) -> str:
    level = row["level_claimed"] if isinstance(row["level_claimed"], str) else NO_LEVEL.lower()
    return (
        f"Assessed on {words.format_day(row['assessed_on'])} by {plain(str(row['by']))}. "
        f"Level claimed: **{plain(level)}**."
    )


st.subheader("Latest self-assessment")
if history.empty:
    st.write("No self-assessment has been recorded for this theme yet.")
else:
    latest = history.iloc[0]
    st.markdown(summary(latest))
    st.markdown(plain(str(latest["narrative"])))
    judgement_table(int(latest["assessment_id"]))

    st.subheader("History over time")
    widgets.table(
        pd.DataFrame(
            {
                "Assessed on": history["assessed_on"].map(words.format_day),
                "Level claimed": history["level_claimed"].fillna(NO_LEVEL),
                "Criteria judged met": history["met"].astype(int),
                "By": history["by"],
            }
        )
    )
    for _, row in history.iloc[1:].iterrows():
        with st.expander(f"Assessment of {words.format_day(row['assessed_on'])}"):
            st.markdown(summary(row))
            st.markdown(plain(str(row["narrative"])))
            judgement_table(int(row["assessment_id"]))

st.subheader("Peer challenge pack")
st.write(
    "For a peer challenge: the criteria, the level claimed and narrative, the evidence with its "
    "links, and each issue's status and history. The zip also holds an index spreadsheet and "
    "every stored evidence file."
)
scope = st.radio(
    "Themes in the pack", ["This theme", "All themes"], horizontal=True, key="pack_scope"
)
pack_theme = theme_id if scope == "This theme" else None


def _pack(kind: str) -> bytes:
    with session() as db:
        pack = gather(db, plan_id, pack_theme, settings=settings(), today=uk_today())
    return pack_pdf(pack) if kind == "pdf" else pack_zip(pack, settings())


stem = f"peer-challenge-{slug}" + (f"-theme-{number}" if pack_theme else "")
pdf_col, zip_col = st.columns(2)
with pdf_col:
    st.download_button(
        "Download the pack (PDF)",
        data=lambda: _pack("pdf"),
        file_name=f"{stem}.pdf",
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
    )
with zip_col:
    st.download_button(
        "Download the pack with evidence files (zip)",
        data=lambda: _pack("zip"),
        file_name=f"{stem}.zip",
        mime="application/zip",
        icon=":material/folder_zip:",
    )

if not actor.is_admin:
    st.caption("Equality leads record self-assessments; everyone can read them.")
    widgets.stop()

st.subheader("Record a self-assessment")
# The newest assessment this screen showed when the form was first drawn: saving over one
# recorded since by someone else is refused (writes.levels), and what was typed stays in the
# form. Later re-runs leave it as it was (what is typed in a form stays in the browser until it
# is sent, so a re-run cannot tell an open form from an untouched one); it moves on only after
# a save or a refusal, which show the newer state.
seen_key = f"assessment_seen_{organisation_id}_{theme_id}"
shown_latest = int(history.iloc[0]["assessment_id"]) if not history.empty else 0
seen_latest = int(st.session_state.setdefault(seen_key, shown_latest))
plan_levels = cached(progress.levels)(plan_id)
previous = (
    judgements[judgements["assessment_id"] == int(history.iloc[0]["assessment_id"])].set_index(
        "criterion_id"
    )
    if not history.empty
    else pd.DataFrame(columns=["judgement", "evidence"])
)
choices = [j.value for j in Judgement]
with st.form(f"assessment_{theme_id}"):
    when = st.date_input(
        "Date of the assessment", value=uk_today(), max_value=uk_today(),
        format="DD/MM/YYYY",
    )  # fmt: skip
    level_claimed = st.selectbox("Level claimed", [NO_LEVEL, *plan_levels["name"]])
    narrative = st.text_area(
        "Narrative",
        help="What the council does in this theme and what difference it makes.",
        height=150,
    )
    entered: list[tuple[int, str, str]] = []
    for judged_row in criteria.to_dict("records"):
        criterion_id = int(judged_row["criterion_id"])
        before = previous.loc[criterion_id] if criterion_id in previous.index else None
        ref, text = plain(str(judged_row["ref"])), plain(str(judged_row["text"]))
        st.markdown(f"**{ref}** ({plain(judged_row['level'])}) {text}")
        if judged_row["guidance"]:
            st.caption(plain(str(judged_row["guidance"])))
        judged = st.radio(
            f"Judgement on {ref}",
            choices,
            index=choices.index(str(before["judgement"])) if before is not None else 2,
            horizontal=True,
            key=f"judgement_{theme_id}_{criterion_id}",
        )
        evidence = st.text_area(
            f"Evidence for {ref} (one link or reference a line)",
            value=str(before["evidence"]) if before is not None else "",
            height=68,
            key=f"evidence_{theme_id}_{criterion_id}",
        )
        entered.append((criterion_id, str(judged), evidence))
    saved = st.form_submit_button("Save self-assessment", type="primary")

if saved:
    level_ids = dict(zip(plan_levels["name"], plan_levels["level_id"], strict=True))
    try:
        with session() as db:
            record_self_assessment(
                session=db,
                actor=actor,
                organisation_id=organisation_id,
                theme_id=theme_id,
                assessed_on=when,  # type: ignore[arg-type]
                level_claimed_id=int(level_ids[level_claimed])
                if level_claimed in level_ids
                else None,
                narrative=narrative,
                expected_latest_id=seen_latest,
                judgements=[
                    CriterionJudgement(criterion_id, Judgement(judged), evidence)
                    for criterion_id, judged, evidence in entered
                ],
            )
    except Refused as refused:
        st.error(plain(refused), icon=":material/error:")
        # this run already shows the newer assessment: the next save is checked against it
        st.session_state[seen_key] = shown_latest
    else:
        after_write()
        st.session_state.pop(seen_key, None)
        st.session_state[FLASH] = (
            f"Saved the self-assessment of {plain(theme['theme'])} dated "
            f"{words.format_day(when)}."  # type: ignore[arg-type]
        )
        st.rerun()
