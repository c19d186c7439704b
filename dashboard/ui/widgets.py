"""What pages draw with: choices kept in the address bar, tables, figures, sections, charts,
issue links and evidence downloads."""

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from functools import partial
from typing import NamedTuple, NoReturn

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from dashboard.formats import bars, tables
from dashboard.formats.markdown import plain
from dashboard.formats.words import issue_words, percent_label
from dashboard.reads import progress
from dashboard.reports import charts
from dashboard.reports.packs.gather import PackData, chart_frames
from dashboard.rules import progress as progress_rules
from dashboard.store import evidence_files
from dashboard.ui.cache import cached
from dashboard.ui.engine import settings

ALL = "all"
# The progress filters' "every" choices, as the drop-downs show them.
ALL_LEVELS, ALL_LEADS, ALL_CHARACTERISTICS = "All levels", "All leads", "All characteristics"
# The overview's filters, folded away so its first screen holds the answer (README → Overview).
CHANGE_FILTERS = "Change the plan, level, lead service or characteristic"
FILTERS_OPEN = "eflg_filters_open"  # the key of that fold (True while open)
ISSUE_PAGE = "../pages/issue.py"


def url_choice(
    label: str,
    options: Sequence[tuple[str, str]],
    param: str,
    *,
    default: str | None = None,
    key: str | None = None,
    drawn: bool = True,
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

    ``drawn=False``: the drop-down is folded away (`folded_progress_filters`); what it would
    hold is returned, by the same rules, and nothing is drawn.
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
    if not drawn:  # (a drop-down not drawn keeps no state: its next drawing starts afresh)
        chosen: str | None = wanted if moved else current
    else:
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


class PageEnds(StopException):
    """A page has said why it goes no further (`stop`). Streamlit's own ending of a run, so no
    page's `except Exception` takes it (and, were it ever left uncaught, the run would simply
    end); dashboard/main_script.py takes it, then draws the menu."""


def stop() -> NoReturn:
    """End the page here, as `st.stop()` would, and still have the menu drawn: the menu is drawn
    after the page (dashboard/main_script.py), so that what the person came for is sent and drawn
    first, and `st.stop()` would end the whole run, menu and all. In a fragment's own run (the
    menu is not drawn again then) it is `st.stop()`."""
    if fragment_run():
        st.stop()
    raise PageEnds


def fragment_run() -> bool:
    """True while only a fragment of the page runs again (its own widget was used), not the
    whole page."""
    context = get_script_run_ctx()
    return bool(context and context.fragment_ids_this_run)


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


def plan_choice(*, drawn: bool = True) -> pd.Series:
    """Pick a plan (?plan=slug; the first plan by default) and return its row."""
    plans = cached(progress.plans)()
    options = list(zip(plans["slug"], plans["title"], strict=True))
    slug = url_choice("Plan", options, "plan", drawn=drawn)
    return plans[plans["slug"] == slug].iloc[0]


def progress_filters() -> tuple[pd.Series, progress.Filters, str | None]:
    """Plan, level, lead and characteristic drop-downs, kept in the address bar.

    Returns the plan row, the filters and the chosen level's name (None when not set).
    """
    with st.container(key="eflg-filters"):  # two to a row on a phone (tables.STYLE)
        return _progress_filters()


def folded_progress_filters() -> tuple[pd.Series, progress.Filters, str | None]:
    """The progress filters folded under one line that says what is shown: a first screen
    (the overview, on a phone above all) then holds the figures and bars, not four drop-downs.
    Returns as `progress_filters`."""
    said = st.empty()  # filled once the choices are known
    # The drop-downs are drawn only while open (opening runs the page again): every element is
    # sent and drawn again on each run, and these are a dozen before the overview's bars.
    folded = st.expander(
        CHANGE_FILTERS, icon=":material/filter_list:", key=FILTERS_OPEN, on_change="rerun"
    )
    if folded.open:
        with folded:
            plan, filters, level_name = progress_filters()
    else:
        plan, filters, level_name = _progress_filters(drawn=False)
    said.html(tables.small_print(shown_words(plan, filters, level_name), tight=True))
    return plan, filters, level_name


def shown_words(plan: pd.Series, filters: progress.Filters, level_name: str | None) -> str:
    """What the progress filters show, in words: "Showing … · Developing level · All leads ·
    All characteristics"."""
    choices = filter_choices(int(plan["plan_id"]))
    parts = [str(plan["title"])]
    if choices.levels:
        parts.append(f"{level_name} level" if level_name else ALL_LEVELS)
    leads = dict(choices.leads)
    parts.append(ALL_LEADS if filters.lead_id is None else leads[str(filters.lead_id)])
    names = {i: n for _, n, i in choices.characteristics}
    characteristic = filters.characteristic_id
    parts.append(ALL_CHARACTERISTICS if characteristic is None else names[characteristic])
    return "Showing " + " · ".join(parts)


class FilterChoices(NamedTuple):
    """The choices of the progress filters for one plan, as plain values (quick to keep)."""

    levels: tuple[tuple[int, str], ...]  # (level id, name), in order
    leads: tuple[tuple[str, str], ...]  # (lead id, words shown)
    characteristics: tuple[tuple[str, str, int], ...]  # (code, name, characteristic id)


@st.cache_data(show_spinner=False, max_entries=200)
def filter_choices(plan_id: int) -> FilterChoices:
    """The filters' choices for a plan from its levels, leads and the characteristics, kept as
    one result until a write (each read kept as a table costs more to hand back)."""
    levels = cached(progress.levels)(plan_id)
    leads = cached(progress.leads)(plan_id)
    chars = cached(progress.characteristics)()
    return FilterChoices(
        levels=tuple(zip(map(int, levels["level_id"]), map(str, levels["name"]), strict=True)),
        leads=tuple(
            (str(lead_id), lead_words(name, parent))
            for lead_id, name, parent in zip(
                leads["lead_id"], leads["name"], leads["parent"], strict=True
            )
        ),
        characteristics=tuple(
            zip(
                map(str, chars["code"]),
                map(str, chars["name"]),
                map(int, chars["characteristic_id"]),
                strict=True,
            )
        ),
    )


def _progress_filters(*, drawn: bool = True) -> tuple[pd.Series, progress.Filters, str | None]:
    """The filters' choices, their drop-downs drawn (or, folded away, not)."""
    columns: Sequence[AbstractContextManager[object]] = (
        st.columns([2, 1, 1.5, 1.5]) if drawn else [nullcontext()] * 4
    )
    plan_col, level_col, lead_col, char_col = columns
    with plan_col:
        plan = plan_choice(drawn=drawn)
    plan_id = int(plan["plan_id"])
    choices = filter_choices(plan_id)
    level_id: int | None = None
    level_name: str | None = None
    if not choices.levels:
        st.query_params.pop("level", None)
    else:
        plan_level = None if pd.isna(plan["level_id"]) else int(plan["level_id"])
        own = next((name for i, name in choices.levels if i == plan_level), ALL)
        with level_col:
            level_name = url_choice(
                "Level",
                [(ALL, ALL_LEVELS), *[(n, n) for _, n in choices.levels]],
                "level",
                default=own,
                key=f"level_{plan_id}",
                drawn=drawn,
            )
        if level_name == ALL:
            level_name = None
        else:
            level_id = next(i for i, name in choices.levels if name == level_name)
    with lead_col:
        lead = url_choice(
            "Lead service",
            [(ALL, ALL_LEADS), *choices.leads],
            "lead",
            key=f"lead_{plan_id}",
            drawn=drawn,
        )
    with char_col:
        code = url_choice(
            "Protected characteristic",
            [(ALL, ALL_CHARACTERISTICS), *[(c, n) for c, n, _ in choices.characteristics]],
            "characteristic",
            drawn=drawn,
        )
    filters = progress.Filters(
        plan_id=plan_id,
        level_id=level_id,
        lead_id=None if lead == ALL else int(lead),
        characteristic_id=None
        if code == ALL
        else next(i for c, _, i in choices.characteristics if c == code),
    )
    return plan, filters, level_name


FILTER_PARAMS = ("plan", "level", "lead", "characteristic")  # as progress_filters keeps them


def filter_params(plan: pd.Series) -> dict[str, str]:
    """The progress filters in the address as they stand (the plan always named), for a link
    to another page showing the same issues."""
    params = {key: st.query_params[key] for key in FILTER_PARAMS if key in st.query_params}
    return params | {"plan": str(plan["slug"])}


def organisation_then_lead(
    leads: pd.DataFrame, label: str, param: str = "lead", *, first: Sequence[int] = ()
) -> int:
    """Pick an organisation (when there are several), then one of its leads; both kept in the
    address. `leads` has lead_id, name, organisation and, optionally, parent and issues. With
    no lead in the address, the first of ``first`` (lead ids in order) is chosen, else the
    first in the list."""
    organisations = list(dict.fromkeys(leads["organisation"]))
    wanted = st.query_params.get(param)
    known = set(leads["lead_id"].astype(str))
    if wanted not in known:
        wanted = next((str(i) for i in first if str(i) in known), None)
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
    shown = set(leads["lead_id"].astype(str))
    default = wanted if wanted in shown else next((str(i) for i in first if str(i) in shown), None)
    return int(url_choice(label, options, param, default=default))


def lead_label(lead: pd.Series) -> str:
    """A lead as shown in a list: "Improvement and Efficiency Officer (The Improvement Unit)"."""
    return lead_words(lead["name"], lead["parent"])


def lead_words(name: object, parent: object) -> str:
    """`lead_label` from a lead's name and its parent's ("" when it has none)."""
    return f"{name} ({parent})" if parent else str(name)


def issue_links(issues: pd.DataFrame) -> None:
    """One link per issue to its own page (columns issue_id, ref, text)."""
    for row in issues.itertuples():
        st.page_link(
            ISSUE_PAGE,
            label=plain(issue_words(str(row.ref), str(row.text))),
            icon=":material/arrow_forward:",
            query_params={"issue": str(row.issue_id)},
        )


def issue_addresses(issue_ids: Iterable[object]) -> list[str]:
    """Each issue's own page (`issue?issue=ID`), for a table column of links."""
    return [tables.href("issue", {"issue": int(str(i))}) for i in issue_ids]


def theme_addresses(plan_slug: str, section_ids: Iterable[object]) -> list[str | None]:
    """Each theme's own page on Themes (`themes?plan=SLUG&theme=ID`), for a column of links."""
    return [tables.href("themes", {"plan": plan_slug, "theme": int(str(s))}) for s in section_ids]


def service_addresses(lead_ids: Iterable[object]) -> list[str]:
    """Each lead's own page on Services (`services?lead=ID`), for a table column of links."""
    return [tables.href("services", {"lead": int(str(i))}) for i in lead_ids]


def progress_bars(title: str, rows: Sequence[bars.Bar], *, caption: str | None = None) -> None:
    """A heading over % complete bars, each a link (dashboard/formats/bars.py), as one block."""
    st.html(progress_bars_html(title, rows, caption=caption))


def progress_bars_html(title: str, rows: Sequence[bars.Bar], *, caption: str | None = None) -> str:
    """The block `progress_bars` draws, as HTML (for a page that keeps it drawn)."""
    section = tables.section(title, caption=caption, body=bars.bars(rows, label=title), level=3)
    return f'<div class="{bars.SECTION}">{section}</div>'


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
def _chart_image(name: str, width: int, *frames: pd.DataFrame, narrow: bool = False) -> str:
    """The chart drawn `width` wide; with `narrow`, also its phone version (charts.NARROW_WIDTH),
    which a narrow screen shows instead."""
    chart = charts.BY_NAME[name](*frames)
    phone = None
    if narrow:
        phone = charts.to_svg(charts.NARROW_BY_NAME[name](*frames), charts.NARROW_WIDTH)
    return charts.as_image(charts.to_svg(chart, width), str(chart.description), phone)


def theme_chart(themes: pd.DataFrame, width: int = 200, *, title: str | None = None) -> None:
    """Issues by status in each theme, drawn on the server (see dashboard/reports/charts.py); with
    ``title``, under that heading in the same block (as `section`)."""
    image = _chart_image("themes", width, themes)
    st.html(tables.section(title, body=image) if title else image)


def burn_up_chart(burn: pd.DataFrame, meetings: pd.DataFrame, width: int = 560) -> None:
    """Issues complete over time with the meetings marked, drawn on the server; a phone shows
    its narrow version, whose text stays at least 12 px."""
    st.html(_chart_image("burn_up", width, burn, meetings, narrow=True))


def slide_chart(data: PackData, name: str, width: int) -> None:
    """The chart a slide names, drawn from the pack's data as on the other screens."""
    st.html(_chart_image(name, width, *chart_frames(data, name)))


def figures(
    items: Sequence[tuple[str, object]], *, notes: Sequence[str] = (), compact: bool = False
) -> None:
    """Headline figures side by side: (label, figure) pairs, labels in the app's own words (icons
    written as ":material/…:"), with ``notes`` in small print under them. Plain HTML
    (dashboard/formats/tables.py): Streamlit's metric element loads its own scripts and cost the
    overview ~25 ms in the browser (README → Performance)."""
    st.html(figures_html(items, notes=notes, compact=compact))


def figures_html(
    items: Sequence[tuple[str, object]], *, notes: Sequence[str] = (), compact: bool = False
) -> str:
    """The block `figures` draws, as HTML (for a page that keeps it drawn)."""
    return tables.figures(items, compact=compact) + "".join(
        tables.small_print(note) for note in notes
    )


def section(
    title: str,
    *,
    subtitle: str | None = None,
    caption: str | None = None,
    text: str | None = None,
    table: pd.DataFrame | None = None,
    icons: Sequence[str] = (),
    links: Mapping[str, Sequence[str | None]] | None = None,
    name: str | None = None,
    sortable: bool = False,
    download: bool = False,
    keys: Mapping[str, Sequence[object]] | None = None,
) -> None:
    """A heading with its caption and a sentence or a table (as `table` below), drawn as one
    block of HTML: each Streamlit header and caption is a Markdown element of its own, and on
    the overview the ones below the chart held the chart back by ~20 ms (README → Performance).
    ``name``, ``sortable``, ``download`` and ``keys`` are as for `table`: with ``sortable`` the
    "Sort by" choices come between the heading and the table."""
    body = tables.paragraph(text) if text else ""
    if table is not None and sortable:
        st.html(tables.section(title, subtitle=subtitle, caption=caption, body=body))
        _draw_table(table, icons, False, links, name, True, download, keys)
        return
    if table is not None:
        body += tables.to_html(table, icons=icons, links=links)
    st.html(tables.section(title, subtitle=subtitle, caption=caption, body=body))
    if table is not None and download:
        _downloads(table, icons, _named(name))


def table(
    frame: pd.DataFrame,
    *,
    icons: Sequence[str] = (),
    row_headers: bool = False,
    links: Mapping[str, Sequence[str | None]] | None = None,
    name: str | None = None,
    sortable: bool = False,
    download: bool = False,
    keys: Mapping[str, Sequence[object]] | None = None,
) -> None:
    """A plain HTML table (dashboard/formats/tables.py) with every cell shown as typed, except
    the columns named in ``icons``, which hold the app's own status words with their icons.
    With ``row_headers`` the first column heads each row; ``links`` makes a column's cells
    links to each row's own page (`tables.href`).

    ``name`` (short, unique on the page, such as "meetings") names the table in the address bar,
    in its widgets' keys and in its file names; needed with:

    - ``sortable``: "Sort by" and "Order" drop-downs above the table, kept in the address
      (?meetings_sort=date&meetings_order=desc), so a sorted view can be shared and Back undoes
      a choice. Numbers sort as numbers, dates as dates, "33%" by its value (`tables.sort_key`);
      ``keys`` gives a column hidden values to sort by instead ({"Coverage": [0, 3, …]}).
    - ``download``: "Download this table" as CSV and as an Excel workbook under it: exactly the
      rows shown, in the order shown, as words (no icons), formula-like cells neutralised,
      numbers and percentages stored as numbers. Each file is made when its button is pressed.
    """
    _draw_table(frame, icons, row_headers, links, name, sortable, download, keys)


def _draw_table(
    frame: pd.DataFrame,
    icons: Sequence[str],
    row_headers: bool,
    links: Mapping[str, Sequence[str | None]] | None,
    name: str | None,
    sortable: bool,
    download: bool,
    keys: Mapping[str, Sequence[object]] | None,
) -> None:
    sort: str | None = None
    descending = False
    if sortable:
        name = _named(name)
        sort, descending = _sort_choice(frame, name)
    if sort is not None:
        order = tables.sort_order(frame, sort, descending=descending, keys=keys)
        frame = frame.iloc[order]
        links = {c: [addresses[i] for i in order] for c, addresses in (links or {}).items()}
        keys = {c: [values[i] for i in order] for c, values in (keys or {}).items()}
    st.html(
        tables.to_html(
            frame,
            icons=icons,
            row_headers=row_headers,
            links=links,
            sort=sort,
            descending=descending,
            keys=keys,
        )
    )
    if download:
        _downloads(frame, icons, _named(name))


LISTED = "listed"
ORDERS = (
    ("asc", "A to Z, smallest or earliest first"),
    ("desc", "Z to A, largest or latest first"),
)


def _named(name: str | None) -> str:
    if not name:
        raise ValueError("a table that can be sorted or downloaded needs a name")
    return name


def _sort_choice(frame: pd.DataFrame, name: str) -> tuple[str | None, bool]:
    """The "Sort by" and "Order" drop-downs of table ``name``: (column or None, descending)."""
    columns = {tables.column_param(str(c)): str(c) for c in frame.columns}
    by_col, order_col = st.columns(2)
    with by_col:
        chosen = url_choice(
            "Sort by",
            [(LISTED, "As listed"), *columns.items()],
            f"{name}_sort",
            key=f"sort_{name}",
        )
    with order_col:
        order = url_choice("Order", list(ORDERS), f"{name}_order", key=f"order_{name}")
    return columns.get(chosen), order == "desc"


def _downloads(frame: pd.DataFrame, icons: Sequence[str], name: str) -> None:
    """ "Download this table" as CSV and as a workbook, each made when its button is pressed."""
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(
        "Download this table (CSV)",
        data=partial(tables.to_csv, frame, icons=icons),
        file_name=f"{name}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key=f"download_{name}_csv",
    )
    xlsx_col.download_button(
        "Download this table (Excel)",
        data=partial(tables.to_xlsx, frame, icons=icons),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        on_click="ignore",
        key=f"download_{name}_xlsx",
    )


def standings(frame: pd.DataFrame, name: str) -> list[progress_rules.Standing]:
    """Each row of a progress tally (`progress.progress_by_theme` or `progress_by_service`) as
    a Standing, the column ``name`` naming it."""
    columns = [frame[c].tolist() for c in (name, "issues", "Complete", "Embedded", "counted")]
    columns += [frame["percent_complete"].tolist(), frame["overdue"].tolist()]
    return [
        progress_rules.Standing(
            name=str(named),
            issues=int(issues),
            done=int(complete) + int(embedded),
            counted=int(counted),
            percent_complete=None if pd.isna(percent) else int(percent),
            overdue=int(overdue),
        )
        for named, issues, complete, embedded, counted, percent, overdue in zip(
            *columns, strict=True
        )
    ]


def progress_bar_rows(frame: pd.DataFrame, name: str, addresses: Sequence[str]) -> list[bars.Bar]:
    """A progress tally's rows as bars, in the frame's order, each linked to its address."""
    statuses = progress_rules.STATUSES
    return [
        bars.Bar(
            name=standing.name,
            figure=percent_label(standing.issues, standing.counted, standing.percent_complete),
            done=standing.done,
            counted=standing.counted,
            counts={status: int(count) for status, count in zip(statuses, row, strict=True)},
            address=address,
        )
        for standing, row, address in zip(
            standings(frame, name),
            zip(*(frame[status].tolist() for status in statuses), strict=True),
            addresses,
            strict=True,
        )
    ]
