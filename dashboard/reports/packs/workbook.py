"""A meeting pack as an Excel workbook: every sheet one table a person can sort and filter
(headings in words, a filter row, the heading row frozen, real numbers, dates and percentages,
columns wide enough to read). The Issues sheet is the full plan in the import format, headed in
words (headers.EXPORT_HEADINGS), with the RAG by dates, the latest progress note and the last
update beside it; it re-imports with `python -m dashboard import`, which leaves those out."""

import io
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from dashboard.formats.headers import COLUMNS, EXPORT_HEADINGS, FOR_READING
from dashboard.formats.sheets import neutralise
from dashboard.formats.words import note_text, percent_label, uk_time
from dashboard.reports.packs.contents import (
    NO_EARLIER_MEETING,
    PEOPLE_HIDDEN,
    headline_rows,
    risk_figures,
    theme_headers,
)
from dashboard.reports.packs.gather import PackData, done_counts

ISSUES_SHEET = "Issues"
ISSUE_HEADINGS: tuple[str, ...] = (*(EXPORT_HEADINGS[c] for c in COLUMNS), *FOR_READING)
SERVICE_HEADINGS = ("Lead service", "Issues", "Done", "Not applicable", "Overdue", "% complete")
NOTE_HEADINGS = ("Ref", "Status", "Note", "By", "Added")
DAY_FORMAT = "d mmm yyyy"  # 23 Nov 2026
TIME_FORMAT = "d mmm yyyy hh:mm"
PERCENT_FORMAT = "0%"
_WIDEST = 60  # characters; longer text wraps
_NARROWEST = 8

Cell = str | int | float | date | datetime | None


def percent_cell(issues: Any, counted: Any, percent_complete: Any) -> float | str:
    """% complete as a fraction Excel shows as a percentage (0.2 as 20%), or the words saying
    why there is none ("No issues", "All not applicable")."""
    words = percent_label(int(issues), int(counted), percent_complete)
    return float(percent_complete) / 100 if words.endswith("%") else words


def _moment(at: Any) -> datetime | None:
    """A stored moment as UK local time without its zone (Excel has none), or None."""
    if at is None or pd.isna(at):
        return None
    return uk_time(pd.Timestamp(at).to_pydatetime()).replace(tzinfo=None)


def _issue_rows(data: PackData) -> list[list[Cell]]:
    """The export's row of each issue (due as a date), then its RAG by dates, latest note and
    when it was last updated."""
    by_ref = {str(issue.ref): issue for issue in data.issues.itertuples()}
    rows: list[list[Cell]] = []
    for row in data.export_rows:
        cells: list[Cell] = [row[c] for c in COLUMNS]
        if row["due"]:
            cells[COLUMNS.index("due")] = date.fromisoformat(row["due"])
        issue = by_ref.get(row["ref"])
        if issue is None:
            cells += [None, None, None]
        else:
            cells += [str(issue.rag), note_text(issue.last_note), _moment(issue.last_update_at)]
        rows.append(cells)
    return rows


def _summary_rows(data: PackData) -> list[list[Cell]]:
    head = data.headline
    percent = percent_cell(head["issues"], head["counted"], head["percent_complete"])
    rows: list[list[Any]] = [
        ["Plan", data.plan_title],
        ["Organisation", data.organisation],
        ["Figures as at", data.today],
        *[[str(m), f] for m, f in headline_rows(data, percent)],
    ]
    if data.hide_people:
        rows.append(["Names", PEOPLE_HIDDEN])
    return rows


def _theme_rows(data: PackData) -> list[list[Cell]]:
    themes = data.themes
    return [
        [str(theme["theme"]), int(theme["issues"]), int(done),
         percent_cell(theme["issues"], theme["counted"], theme["percent_complete"]),
         *[v for _, v in risk_figures(data, theme, "Due soon")]]
        for (_, theme), done in zip(themes.iterrows(), done_counts(themes), strict=True)
    ]  # fmt: skip


def _service_rows(data: PackData) -> list[list[Cell]]:
    return [
        [str(s["lead"]), int(s["issues"]), int(s["done"]), int(s["not_applicable"]),
         int(s["overdue"]), percent_cell(s["issues"], s["counted"], s["percent_complete"])]
        for s in data.services.to_dict("records")
    ]  # fmt: skip


def xlsx_bytes(data: PackData) -> bytes:
    """The pack as a workbook: Issues (re-imports), Summary, Themes, Services and, after a
    meeting, Since last meeting and New progress notes; formula-like cells are neutralised."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    _table(workbook, ISSUES_SHEET, ISSUE_HEADINGS, _issue_rows(data))
    _table(workbook, "Summary", ("Measure", "Figure"), _summary_rows(data))
    _table(workbook, "Themes", theme_headers(data), _theme_rows(data))
    _table(workbook, "Services", SERVICE_HEADINGS, _service_rows(data))
    if data.changes is None:
        _table(workbook, "Since last meeting", ("Since the last meeting",), [[NO_EARLIER_MEETING]])
    else:
        counts = [[kind, n] for kind, n in data.changes.counts().items()]
        _table(workbook, "Since last meeting", (f"Since {data.changes.since}", "Issues"), counts)
        notes = [
            [str(n.ref), str(n.to_status), note_text(n.note), str(n.by), _moment(n.at)]
            for n in data.changes.notes.itertuples()
        ]
        _table(workbook, "New progress notes", NOTE_HEADINGS, notes)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _table(
    workbook: Any, title: str, headings: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """One sheet holding one table: bold headings with a filter row, frozen under them; dates,
    times and percentages formatted as such; each column as wide as its text (up to _WIDEST
    characters, longer text wrapped); text cells neutralised."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.append(list(headings))
    for row in rows:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headings))}{max(sheet.max_row, 2)}"
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, column in enumerate(sheet.iter_cols(min_row=1), start=1):
        longest = _NARROWEST
        for cell in column:
            value = cell.value
            if isinstance(value, datetime):
                cell.number_format, size = TIME_FORMAT, 17
            elif isinstance(value, date):
                cell.number_format, size = DAY_FORMAT, 11
            elif isinstance(value, float) and cell.row > 1:
                cell.number_format, size = PERCENT_FORMAT, 6
            else:
                text = "" if value is None else str(value)
                size = max((len(line) for line in text.splitlines()), default=0)
                if size > _WIDEST:
                    cell.alignment = wrap
            longest = max(longest, size + 2 if cell.row > 1 else size + 4)  # room for the filter
        sheet.column_dimensions[get_column_letter(number)].width = min(math.ceil(longest), _WIDEST)
