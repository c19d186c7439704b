"""What pages draw with: choices kept in the address bar, tables, figures, sections, charts,
issue links and evidence downloads."""

from collections.abc import Mapping, Sequence

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from dashboard.formats import tables
from dashboard.formats.markdown import plain
from dashboard.reads import progress
from dashboard.reports import charts
from dashboard.reports.packs.gather import PackData, chart_frames
from dashboard.store import evidence_files
from dashboard.ui.cache import cached
from dashboard.ui.engine import settings

ALL = "all"
ISSUE_PAGE = "../pages/issue.py"


def url_choice(
    label: str,
    options: Sequence[tuple[str, str]],
    param: str,
    *,
    default: str | None = None,
    key: str | None = None,
) -> str:
    """A drop-down kept in the address bar (?param=value), so a filtered view can be shared.

    ``options`` are (value in the address, words shown) pairs; ``default`` is else the first.
    Opening a page leaves its address as it is; each choice someone makes changes it once, so
    the browser's Back button undoes one choice (and a page never adds history of its own).

    Back (or Forward, or a link) changes the address but not the drop-down's own state, which
    Streamlit keeps by key: had the drop-down won, its newer choice would have been written
    straight back into the address (Streamlit replaces the address during a history step), and
    Back would undo nothing. So the address last seen on this page is remembered: when the
    address has changed since, the address wins; otherwise a drop-down that differs from it is
    a new choice. (Arriving from another page, a choice made there carries over, as before.)
    """
    values = [value for value, _ in options]
    words = dict(options)
    fallback = default if default in values else values[0]
    key = key or f"choice_{param}"
    address = st.query_params.get(param)
    wanted = address if address in values else fallback
    seen = _address_seen()
    kept = st.session_state.get(key)
    current: str = kept if kept in values else wanted  # else first drawn here, or gone
    moved = key in seen and seen[key] != address
    if moved:
        st.session_state[key] = wanted  # the address moved (Back, Forward, a link): it wins
    # The index counts when the drop-down is new on this page (its state, once it has one);
    # none beside a state set just now, which Streamlit would log as set twice.
    chosen = st.selectbox(
        label,
        values,
        index=0 if moved else values.index(current),
        format_func=lambda value: words[value],
        key=key,
    )
    assert chosen is not None  # (a drop-down with options and an index always has a choice)
    if chosen != wanted:  # a choice made: the address changes once (one step of history)
        # (An address this drop-down cannot show, such as the theme of another plan after the
        # plan changed, is left as it is: it reads as the default, and rewriting it would add
        # a second step of history for the one choice.)
        st.query_params[param] = chosen
        address = chosen
    seen[key] = address
    return chosen


def url_text(label: str, param: str, *, key: str | None = None, help: str | None = None) -> str:
    """A text box kept in the address bar (?param=words), so a search can be shared or
    bookmarked; as `url_choice`, Back and Forward (the address moving) win over the box."""
    key = key or f"text_{param}"
    address = st.query_params.get(param, "")
    seen = _address_seen()
    if key not in st.session_state or (key in seen and seen[key] != address):
        st.session_state[key] = address  # first drawn here, or the address moved: it wins
    typed = st.text_input(label, key=key, help=help)
    if typed != address:  # words typed: the address changes once
        if typed:
            st.query_params[param] = typed
        else:
            st.query_params.pop(param, None)
        address = typed
    seen[key] = address
    return typed


def _address_seen() -> dict[str, str | None]:
    """What the address held for each drop-down at the end of this page's last run; forgotten
    when another page ran in between (a new page starts from its own address)."""
    context = get_script_run_ctx()
    page = context.page_script_hash if context else ""
    memo = st.session_state.setdefault("_address_seen", {"page": page, "seen": {}})
    if memo["page"] != page:
        memo.update(page=page, seen={})
    seen: dict[str, str | None] = memo["seen"]
    return seen


def plan_choice() -> pd.Series:
    """Pick a plan (?plan=slug; the first plan by default) and return its row."""
    plans = cached(progress.plans)()
    slug = url_choice("Plan", list(zip(plans["slug"], plans["title"], strict=True)), "plan")
    return plans[plans["slug"] == slug].iloc[0]


def progress_filters() -> tuple[pd.Series, progress.Filters, str | None]:
    """Plan, level, lead and characteristic drop-downs, kept in the address bar.

    Returns the plan row, the filters and the chosen level's name (None when not set).
    """
    plan_col, level_col, lead_col, char_col = st.columns([2, 1, 1.5, 1.5])
    with plan_col:
        plan = plan_choice()
    plan_id = int(plan["plan_id"])
    levels = cached(progress.levels)(plan_id)
    level_id: int | None = None
    level_name: str | None = None
    if levels.empty:
        st.query_params.pop("level", None)
    else:
        own = levels[levels["level_id"] == plan["level_id"]]["name"]
        with level_col:
            level_name = url_choice(
                "Level",
                [(ALL, "All levels"), *[(n, n) for n in levels["name"]]],
                "level",
                default=own.iloc[0] if not own.empty else ALL,
                key=f"level_{plan_id}",
            )
        if level_name == ALL:
            level_name = None
        else:
            level_id = int(levels[levels["name"] == level_name]["level_id"].iloc[0])
    leads = cached(progress.leads)(plan_id)
    with lead_col:
        lead = url_choice(
            "Lead service",
            [(ALL, "All leads")]
            + [(str(row["lead_id"]), lead_label(row)) for _, row in leads.iterrows()],
            "lead",
            key=f"lead_{plan_id}",
        )
    chars = cached(progress.characteristics)()
    with char_col:
        code = url_choice(
            "Protected characteristic",
            [(ALL, "All characteristics"), *zip(chars["code"], chars["name"], strict=True)],
            "characteristic",
        )
    filters = progress.Filters(
        plan_id=plan_id,
        level_id=level_id,
        lead_id=None if lead == ALL else int(lead),
        characteristic_id=None
        if code == ALL
        else int(chars[chars["code"] == code]["characteristic_id"].iloc[0]),
    )
    return plan, filters, level_name


def organisation_then_lead(leads: pd.DataFrame, label: str, param: str = "lead") -> int:
    """Pick an organisation (when there are several), then one of its leads; both kept in the
    address. `leads` has lead_id, name, organisation and, optionally, parent and issues."""
    organisations = list(dict.fromkeys(leads["organisation"]))
    wanted = st.query_params.get(param)
    current = leads[leads["lead_id"].astype(str) == wanted]["organisation"]
    if len(organisations) > 1:
        organisation = url_choice(
            "Organisation",
            [(name, name) for name in organisations],
            "organisation",
            default=str(current.iloc[0]) if not current.empty else None,
        )
        leads = leads[leads["organisation"] == organisation]
    words = leads["name"].astype(str)
    if "parent" in leads:
        words = words.where(leads["parent"] == "", words + " (" + leads["parent"] + ")")
    if "issues" in leads:
        words = words + [f", {n} issue{'' if n == 1 else 's'}" for n in leads["issues"]]
    options = list(zip(leads["lead_id"].astype(str), words, strict=True))
    return int(url_choice(label, options, param))


def lead_label(lead: pd.Series) -> str:
    """A lead as shown in a list: "Improvement and Efficiency Officer (The Improvement Unit)"."""
    return f"{lead['name']} ({lead['parent']})" if lead["parent"] else str(lead["name"])


def issue_links(issues: pd.DataFrame) -> None:
    """One link per issue to its own page (columns issue_id, ref, text)."""
    for row in issues.itertuples():
        text = str(row.text)
        words = text if len(text) <= 90 else text[:87].rstrip() + "…"
        st.page_link(
            ISSUE_PAGE,
            label=plain(f"{row.ref} {words}"),
            icon=":material/arrow_forward:",
            query_params={"issue": str(row.issue_id)},
        )


def evidence_download(evidence_id: int, file_name: str, stored_path: str) -> None:
    """A download button for one stored evidence file, or a plain sentence if it has gone."""
    try:
        path = evidence_files.path_of(stored_path, settings())
    except evidence_files.EvidenceRefused:
        path = None
    if path is None or not path.is_file():
        st.caption(
            f"The file {plain(file_name)} is no longer in the evidence folder: "
            "tell your equality lead."
        )
        return
    st.download_button(
        f"Download {plain(file_name)}",
        data=path.read_bytes,  # read when the button is pressed, not on every page run
        file_name=file_name,
        key=f"evidence_{evidence_id}",
        icon=":material/download:",
    )


def evidence_downloads(evidence: pd.DataFrame) -> None:
    """Download buttons for the stored files among an issue's evidence (links need none)."""
    files = evidence[evidence["stored_path"].notna()]
    for evidence_id, file_name, stored_path in zip(
        files["evidence_id"], files["file_name"], files["stored_path"], strict=True
    ):
        evidence_download(int(evidence_id), str(file_name), str(stored_path))


@st.cache_data(show_spinner=False, max_entries=200)
def _chart_image(name: str, width: int, *frames: pd.DataFrame) -> str:
    chart = charts.BY_NAME[name](*frames)
    return charts.as_image(charts.to_svg(chart, width), str(chart.description))


def theme_chart(themes: pd.DataFrame, width: int = 200, *, title: str | None = None) -> None:
    """Issues by status in each theme, drawn on the server (see dashboard/reports/charts.py); with
    ``title``, under that heading in the same block (as `section`)."""
    image = _chart_image("themes", width, themes)
    st.html(tables.section(title, body=image) if title else image)


def burn_up_chart(burn: pd.DataFrame, meetings: pd.DataFrame, width: int = 560) -> None:
    """Issues complete over time with the meetings marked, drawn on the server."""
    st.html(_chart_image("burn_up", width, burn, meetings))


def slide_chart(data: PackData, name: str, width: int) -> None:
    """The chart a slide names, drawn from the pack's data as on the other screens."""
    st.html(_chart_image(name, width, *chart_frames(data, name)))


def figures(items: Sequence[tuple[str, object]], *, notes: Sequence[str] = ()) -> None:
    """Headline figures side by side: (label, figure) pairs, labels in the app's own words (icons
    written as ":material/…:"), with ``notes`` in small print under them. Plain HTML
    (dashboard/formats/tables.py): Streamlit's metric element loads its own scripts and cost the
    overview ~25 ms in the browser (README → Performance)."""
    st.html(tables.figures(items) + "".join(tables.small_print(note) for note in notes))


def section(
    title: str,
    *,
    subtitle: str | None = None,
    caption: str | None = None,
    text: str | None = None,
    table: pd.DataFrame | None = None,
    icons: Sequence[str] = (),
    links: Mapping[str, Sequence[str | None]] | None = None,
) -> None:
    """A heading with its caption and a sentence or a table (as `table` below), drawn as one
    block of HTML: each Streamlit header and caption is a Markdown element of its own, and on
    the overview the ones below the chart held the chart back by ~20 ms (README → Performance)."""
    body = tables.paragraph(text) if text else ""
    if table is not None:
        body += tables.to_html(table, icons=icons, links=links)
    st.html(tables.section(title, subtitle=subtitle, caption=caption, body=body))


def table(
    frame: pd.DataFrame,
    *,
    icons: Sequence[str] = (),
    row_headers: bool = False,
    links: Mapping[str, Sequence[str | None]] | None = None,
) -> None:
    """A plain HTML table (dashboard/formats/tables.py) with every cell shown as typed, except
    the columns named in ``icons``, which hold the app's own status words with their icons.
    With ``row_headers`` the first column heads each row; ``links`` makes a column's cells
    links to each row's own page (`tables.href`)."""
    st.html(tables.to_html(frame, icons=icons, row_headers=row_headers, links=links))
