"""A meeting pack as an Excel workbook: the full plan in the import format, plus a summary."""

import io

from dashboard.formats.headers import COLUMNS
from dashboard.formats.sheets import neutralise, rows_to_xlsx
from dashboard.formats.words import format_day
from dashboard.reports.packs.contents import (
    NO_EARLIER_MEETING,
    PEOPLE_HIDDEN,
    headline_rows,
    theme_headers,
    theme_rows,
)
from dashboard.reports.packs.gather import PackData


def xlsx_bytes(data: PackData) -> bytes:
    """The full plan in the import format (sheet "Issues", re-imports with `python -m dashboard
    import`) plus a "Summary" sheet; formula-like cells are neutralised in both."""
    from openpyxl import load_workbook
    from openpyxl.styles import Font

    workbook = load_workbook(io.BytesIO(rows_to_xlsx(data.export_rows, COLUMNS)))
    sheet = workbook.create_sheet("Summary")
    bold = Font(bold=True)

    def put(*values: object, strong: bool = False) -> None:
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in values])
        if strong:
            for cell in sheet[sheet.max_row]:
                cell.font = bold

    put(data.plan_title, strong=True)
    put(f"Figures as at {format_day(data.today)}")
    if data.hide_people:
        put(PEOPLE_HIDDEN)
    put()
    put("Measure", "Figure", strong=True)
    for measure, figure in headline_rows(data):
        put(measure, figure)
    put()
    put(*theme_headers(data), strong=True)
    for row in theme_rows(data):
        put(row[0], *[int(v) if v.isdigit() else v for v in row[1:]])
    put()
    if data.changes is None:
        put(NO_EARLIER_MEETING)
    else:
        put(f"Since {data.changes.since}", "Issues", strong=True)
        for kind, n in data.changes.counts().items():
            put(kind, n)
        put()
        put("New progress notes", strong=True)
        put("Ref", "Status", "Note", strong=True)
        for note in data.changes.notes.itertuples():
            put(str(note.ref), str(note.to_status), str(note.note or ""))
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
