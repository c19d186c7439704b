"""The peer-challenge pack as a zip: the PDF, an index spreadsheet and every stored evidence file
(the index names each file's path inside the zip)."""

import io
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font

from dashboard.formats.sheets import neutralise
from dashboard.formats.words import format_day
from dashboard.reports.peer_pack.gather import MISSING, PeerPack, each_row, stored_file
from dashboard.reports.peer_pack.pdf import pack_pdf
from dashboard.store.settings import Settings

PDF_NAME = "peer-challenge-pack.pdf"
INDEX_NAME = "evidence-index.xlsx"
INDEX_HEADERS = [
    "Theme", "Issue", "Evidence", "Link", "File in this zip", "Added by", "Added on",
]  # fmt: skip


def index_rows(pack: PeerPack) -> list[list[str]]:
    """One row per piece of evidence, as the index spreadsheet shows it."""
    return [
        [
            str(r.theme),
            str(r.ref),
            str(r.title),
            r.url if isinstance(r.url, str) else "",
            r.zip_path
            if isinstance(r.zip_path, str)
            else (MISSING if isinstance(r.stored_path, str) and r.stored_path else ""),
            str(r.by),
            format_day(r.at),
        ]  # fmt: skip
        for r in each_row(pack.evidence)
    ]


def index_workbook(pack: PeerPack) -> bytes:
    """The index spreadsheet: the evidence, and the criteria judgements; no cell is a formula."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Evidence"
    _fill(sheet, INDEX_HEADERS, index_rows(pack), [34, 8, 40, 40, 50, 24, 14])
    criteria = book.create_sheet("Criteria")
    _fill(
        criteria,
        ["Theme", "Level", "Ref", "Criterion", "Judgement", "Evidence", "Issues linked"],
        [
            [t.theme, r.level, r.ref, r.text, r.judgement, r.evidence, r.issues]
            for t in pack.themes
            for r in each_row(t.criteria)
        ],
        [34, 12, 8, 50, 14, 40, 16],
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet, headers: list[str], rows: list[list[str]], widths: list[int]) -> None:  # type: ignore[no-untyped-def]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(str(v)) for v in row])
    for letter, width in zip("ABCDEFGHIJ", widths, strict=False):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def pack_zip(pack: PeerPack, settings: Settings) -> bytes:
    """A zip of the PDF, the index spreadsheet and every stored evidence file in the pack."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PDF_NAME, pack_pdf(pack))
        archive.writestr(INDEX_NAME, index_workbook(pack))
        for stored, inside in zip(
            pack.evidence["stored_path"], pack.evidence["zip_path"], strict=True
        ):
            if isinstance(inside, str):
                path = stored_file(str(stored), settings)
                if path is not None:
                    archive.write(path, inside)
    return out.getvalue()
