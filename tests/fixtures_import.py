"""Council plans in the layouts councils really use, written by code (openpyxl / csv), for the
import tests and the browser test. Nothing here is downloaded.

Seeds 002 and 003 are transcribed from seed/plans/*.yaml back into their documents' table shape.
"""

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

SEED_PLANS = Path(__file__).resolve().parents[1] / "seed" / "plans"


def seed_plan(name: str) -> dict[str, Any]:
    """A seed plan's YAML ('1-eflg-developing', '2-race-equality-scheme-2008-11')."""
    data: dict[str, Any] = yaml.safe_load((SEED_PLANS / f"{name}.yaml").read_text("utf-8"))
    return data


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _heading(sheet: Any, text: str, width: int) -> None:
    """A theme/section row: the text in the first cell, merged across the table, bold."""
    sheet.append([text])
    row = sheet.max_row
    sheet.cell(row, 1).font = Font(bold=True)
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def seed_002_xlsx() -> bytes:
    """Seed 002: a title row, then "Issues which need to be addressed | Lead service/officer",
    grouped by theme rows; the table's header is repeated where the source's page broke."""
    plan = seed_plan("1-eflg-developing")
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Action plan"
    sheet.append([plan["plan"]["source_title"]])
    header = plan["plan"]["columns"]
    sheet.append(header)
    for number, section in enumerate(plan["sections"], start=1):
        if number == 4:
            sheet.append(header)  # page break: the header again
        _heading(sheet, section["heading"], 2)
        for issue in section["issues"]:
            sheet.append([issue["text"], issue["lead_text"]])
    return _save(workbook)


def seed_003_xlsx(changes: dict[str, dict[str, str]] | None = None) -> bytes:
    """Seed 003: "Activity | Timescales | Lead | Performance Measures" under section rows, the
    objective row under Policy Development, a repeated header inside Procurement. `changes`
    edits cells by ref ({"2.1": {"timescale": "Dec-08"}}), as a council's next version would."""
    plan = seed_plan("2-race-equality-scheme-2008-11")
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Introduction"
    first.append(["Race Equality Scheme action plans for 2008 - 11"])
    sheet = workbook.create_sheet("RES action plan")
    header = plan["plan"]["columns"]
    sheet.append(header)
    for section in plan["sections"]:
        _heading(sheet, section["heading"], 4)
        objective = None
        for position, issue in enumerate(section["issues"]):
            if issue["objective"] and issue["objective"] != objective:
                objective = issue["objective"]
                sheet.append([objective])
            if section["heading"] == "Procurement" and position == 1:
                sheet.append(header)
            issue = {**issue, **(changes or {}).get(issue["ref"], {})}
            sheet.append([issue["text"], issue["timescale"], issue["lead_text"], issue["measure"]])
            sheet.cell(sheet.max_row, 3).alignment = Alignment(wrap_text=True)
    return _save(workbook)


OBJECTIVES_HEADER = [
    "No.",
    "Action",
    "Date of Completion",
    "How will success be measured?",
    "Responsibility/Delivery Lead",
]
OBJECTIVES_ROWS: list[list[Any]] = [
    ["Objective 1: Know our communities"],
    ["1.1", "Publish ward equality profiles", "31/03/2017", "Profiles published",
     "Policy and Performance Team"],
    ["1.2", "Refresh the census analysis", datetime(2017, 6, 30), "Analysis agreed by CMT",
     "Policy and Performance Team"],  # the due date typed as a date: merged lead below
    ["1.3", "Agree a data sharing protocol with health partners", "31.03.17",
     "Protocol signed", None],
    ["Objective 2: A diverse workforce"],
    ["2.1", "Run unconscious bias training\nfor all managers", "Q3 2009/10",
     "80% of managers trained", "Head of HR\nLearning and Development Manager"],
    ["2.2", "Publish the workforce profile", "March 2009\nthen Mar-10", "Profile on the website",
     "Head of HR"],
    ["2.3", "Review recruitment advertising", "Summer 2008", "More applicants from BME groups",
     "Head of HR / Communications"],
]  # fmt: skip


def objectives_xlsx() -> bytes:
    """ "Action / Date of Completion / How will success be measured? / Responsibility/Delivery
    Lead", numbered 1.1, 1.2 under objective headings; one lead cell merged down two rows and
    one multi-line cell."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Plan"
    sheet.append(OBJECTIVES_HEADER)
    for row in OBJECTIVES_ROWS:
        if len(row) == 1:
            _heading(sheet, row[0], len(OBJECTIVES_HEADER))
        else:
            sheet.append(row)
    # "Policy and Performance Team" for 1.2 and 1.3: one cell merged down two rows.
    sheet.merge_cells("E4:E5")
    return _save(workbook)


PROGRESS_HEADER = ["Code", "Action", "Lead Service Area", "Notes"]
PROGRESS_ROWS: list[list[str]] = [
    ["Fair access to services"],
    ["EQ01", "Translate the café menu and leaflets into community languages",
     "Customer Services", "Leaflets translated into Polish and Urdu; café menu next."],
    ["EQ02", "Make the council's website accessible", "Digital Services",
     "Audit done; 40 pages fixed."],
    ["Workforce"],
    ["EQ03", "Publish the gender pay gap", "Human Resources", ""],
]  # fmt: skip


def progress_report_csv(
    encoding: str = "cp1252", delimiter: str = ";", status: list[str] | None = None
) -> bytes:
    """A progress report "Code / Action / Lead Service Area / Notes" with narrative notes, as
    Excel saves CSV in the UK (Windows-1252, semicolons). `status` adds a Status column."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(PROGRESS_HEADER + (["Status"] if status is not None else []))
    item = 0
    for row in PROGRESS_ROWS:
        if len(row) == 1:
            writer.writerow(row)
            continue
        extra = [status[item]] if status is not None else []
        item += 1
        writer.writerow(row + extra)
    return out.getvalue().encode(encoding)


TARGETS_ROWS = [
    ["Action/Target", "Protected Characteristics", "Target date (MM/YY)"],
    ["Equality impact assess every budget proposal", "All", "03/18"],
    ["Report hate crime figures to the board", "Race, Religion or belief", "Six monthly"],
    ["Run the BME staff network", "BME", "Ongoing"],
    ["Monitor take-up of services by disabled people", "Disability; Carers", "Quarterly"],
    ["Celebrate LGBT history month", "LGBT", "02/19"],
    ["Consult the youth council on the plan", "Young people; Hair colour", "tbc"],
]


def targets_csv() -> bytes:
    """ "Action/Target / Protected Characteristics / Target date (MM/YY)", UTF-8 with a BOM."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(TARGETS_ROWS)
    return out.getvalue().encode("utf-8-sig")


def unmapped_xlsx() -> bytes:
    """A small plan whose lead column has a header no one could guess ("Whose job"): the user
    maps it by hand. Two themes, four actions."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Actions"
    sheet.append(["Action", "Whose job", "Timescale"])
    _heading(sheet, "Listening to residents", 3)
    sheet.append(["Set up a disability forum", "Community Engagement Team", "June 2026"])
    sheet.append(["Survey residents about access to services", "Customer Services", "Sep-26"])
    _heading(sheet, "Our staff", 3)
    sheet.append(["Publish the workforce equality report", "Human Resources", "31/03/2027"])
    sheet.append(["Train managers in fair recruitment", "Human Resources", "Ongoing"])
    return _save(workbook)
