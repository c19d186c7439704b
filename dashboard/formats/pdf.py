"""HTML to PDF for committee papers, tagged (PDF/UA-1) so screen readers get headings and tables.

All text put into the HTML must be escaped by the caller (html.escape); this module only renders.
"""

from collections.abc import Sequence
from html import escape

from weasyprint import HTML

BASE_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm 16mm;
        @bottom-right { content: "Page " counter(page) " of " counter(pages);
                        font-family: "DejaVu Sans", Arial, sans-serif;
                        font-size: 9pt; color: #505a5f; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10.5pt; color: #0b0c0c;
       line-height: 1.35; }
h1 { font-size: 22pt; margin: 0 0 6mm 0; }
h2 { font-size: 15pt; margin: 8mm 0 3mm 0; page-break-after: avoid; }
h3 { font-size: 12pt; margin: 5mm 0 2mm 0; page-break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm 0; }
caption { text-align: left; font-weight: bold; margin-bottom: 1mm; }
th, td { border: 0.5pt solid #b1b4b6; padding: 1.2mm 1.6mm; text-align: left;
         vertical-align: top; }
th { background: #f3f2f1; }
td.number, th.number { text-align: right; }
tr { page-break-inside: avoid; }
.cover { page-break-after: always; }
.muted { color: #505a5f; }
.appendix { page-break-before: always; }
"""


def html_document(title: str, body: str, css: str = "") -> str:
    """A complete British-English HTML document around an already-escaped body."""
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title><style>{BASE_CSS}{css}</style></head>"
        f"<body>{body}</body></html>"
    )


def render_pdf(document: str) -> bytes:
    """Render a complete HTML document to a tagged PDF."""
    return HTML(string=document).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]


def table_html(caption: str, headers: Sequence[str], rows: Sequence[Sequence[object]],
               numeric: set[int] | None = None) -> str:  # fmt: skip
    """An accessible table: caption, header cells with scope, every value escaped."""
    numeric = numeric or set()
    head = "".join(
        f"<th scope='col'{' class=number' if i in numeric else ''}>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=number' if i in numeric else ''}>{escape(str(v))}</td>"
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
