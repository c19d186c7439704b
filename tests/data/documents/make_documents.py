"""Writes the Word and PDF plans in this folder, from the seed plans, as their councils had them.
Run by hand after changing a seed plan (the files are committed; the tests never write them):

    cd <worktree> && PYTHONPATH=$PWD .venv/bin/python tests/data/documents/make_documents.py

* seed002_developing_action_plan.docx: seed 002 (seed/plans/1-eflg-developing.yaml) as a Word
  document: the title paragraph, the introduction, then per theme a heading and a three-column
  table "No." / "Issues which need to be addressed" / "Lead service/officer" (the lead cell as
  the seed's lead text; numbered 1.1, 1.2 by theme).
* res_action_plan_2008_11.pdf: seed 003 (seed/plans/2-race-equality-scheme-2008-11.yaml) as a
  ruled table made with WeasyPrint: sections and the objective as rows across the table, columns
  Activity / Timescales / Lead / Performance Measures, the header repeated on each page the
  table crosses, page numbers in the footer.

The functions are used by the tests too, for variants (tests/security, tests/unit).
"""

import io
import sys
from html import escape
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SEED_PLANS = HERE.parents[2] / "seed" / "plans"
DOCX_002 = HERE / "seed002_developing_action_plan.docx"
PDF_003 = HERE / "res_action_plan_2008_11.pdf"
TITLE_002 = "Equalities Framework for Local Government – Developing level – Action plan"
HEADER_002 = ["No.", "Issues which need to be addressed", "Lead service/officer"]


def seed_plan(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((SEED_PLANS / f"{name}.yaml").read_text("utf-8"))
    return data


def _bold_row(row: Any) -> None:
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.bold = True


def seed002_docx() -> bytes:
    from docx import Document

    plan = seed_plan("1-eflg-developing")
    document = Document()
    document.add_paragraph(TITLE_002, style="Title")
    for paragraph in plan["plan"]["introduction"].split("\n\n"):
        document.add_paragraph(paragraph)
    for number, section in enumerate(plan["sections"], start=1):
        document.add_paragraph(section["heading"], style="Heading 1")
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, HEADER_002, strict=True):
            cell.text = text
        _bold_row(table.rows[0])
        for position, issue in enumerate(section["issues"], start=1):
            cells = table.add_row().cells
            cells[0].text = f"{number}.{position}"
            cells[1].text = issue["text"]
            cells[2].text = issue["lead_text"]
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


PDF_CSS = """
@page { size: A4; margin: 15mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
h1 { font-size: 16pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 0.75pt solid black; padding: 2mm; text-align: left; vertical-align: top; }
th { background: #dddddd; }
tr { page-break-inside: avoid; }
td.section { font-weight: bold; }
"""


def _row(cells: list[str]) -> str:
    return "<tr>" + "".join(f"<td>{escape(c or '')}</td>" for c in cells) + "</tr>"


def res_html(plan: dict[str, Any]) -> str:
    header = "".join(f"<th>{escape(c)}</th>" for c in plan["plan"]["columns"])
    rows = []
    for section in plan["sections"]:
        rows.append(f'<tr><td class="section" colspan="4">{escape(section["heading"])}</td></tr>')
        objective = None
        for issue in section["issues"]:
            if issue["objective"] and issue["objective"] != objective:
                objective = issue["objective"]
                rows.append(f'<tr><td colspan="4">{escape(objective)}</td></tr>')
            rows.append(
                _row([issue["text"], issue["timescale"], issue["lead_text"], issue["measure"]])
            )
    return (
        f"<html><head><style>{PDF_CSS}</style></head><body>"
        "<h1>Race Equality Scheme action plans for 2008 - 11</h1>"
        f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        "</body></html>"
    )


def pdf_of(html: str) -> bytes:
    from weasyprint import HTML

    data: bytes = HTML(string=html).write_pdf()
    return data


def res_pdf() -> bytes:
    return pdf_of(res_html(seed_plan("2-race-equality-scheme-2008-11")))


def main() -> int:
    DOCX_002.write_bytes(seed002_docx())
    PDF_003.write_bytes(res_pdf())
    print(f"Wrote {DOCX_002.name} and {PDF_003.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
