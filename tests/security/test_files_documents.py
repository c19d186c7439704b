"""Red team: hostile Word and PDF plan files. Each test is one attack on the one import path
(dashboard/writes/import_plan.py, reading through dashboard/formats/documents.py), run on SQLite
and PostgreSQL, asserting what an equality lead would see: the file refused with a plain message,
nothing written, no trace of a stack."""

import base64
import io
import zipfile
from collections.abc import Callable

import pytest
from sqlmodel import Session

from dashboard.formats.sheets import MEGABYTE, Limits
from tests.data.documents.make_documents import pdf_of, res_pdf, seed002_docx
from tests.security.test_files_import import attempt, plain, state


def _rezip(data: bytes, add: dict[str, bytes] | None = None,
           change: dict[str, Callable[[bytes], bytes]] | None = None) -> bytes:  # fmt: skip
    """A copy of a .docx with parts added or changed, as a hand-made file could have it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:  # fmt: skip
        for item in source.infolist():
            body = source.read(item.filename)
            if change and item.filename in change:
                body = change[item.filename](body)
            target.writestr(item.filename, body)
        for name, body in (add or {}).items():
            target.writestr(name, body)
    return out.getvalue()


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF written by hand: numbered objects (1 is the catalog), an xref table, a trailer."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\n" % (len(objects) + 1, trailer)
    return out + b"startxref\n%d\n%%%%EOF\n" % xref


def _pages(count: int) -> list[bytes]:
    kids = b" ".join(b"%d 0 R" % (n + 3) for n in range(count))
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count,
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * count


def encrypted_pdf() -> bytes:
    """A PDF whose standard security handler wants a password (no empty user password opens
    it), as a council's 'protected' PDF has."""
    encrypt = (
        b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <" + b"4f" * 32 + b"> /U <" + b"a5" * 32 + b"> >>"
    )
    file_id = b"<" + b"0123456789abcdef" * 2 + b">"
    return _pdf([*_pages(1), encrypt], b"/Encrypt 4 0 R /ID [" + file_id + b" " + file_id + b"]")


def pdf_bomb() -> bytes:
    """A page whose content stream is 400 MB of spaces, compressed to well under 1 MB."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b" " * MEGABYTE
    packed = b"".join(packer.compress(chunk) for _ in range(400)) + packer.flush()
    objects = _pages(1)
    objects[2] = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
    return _pdf([*objects, stream + packed + b"\nendstream"])


def scanned_pdf() -> bytes:
    """A page that is only a picture of text (a scan): no text layer at all."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (600, 800), 255)
    draw = ImageDraw.Draw(image)
    for line in range(20):
        draw.rectangle((40, 40 + line * 35, 540, 55 + line * 35), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    src = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()
    return pdf_of(f'<img src="{src}" style="width:100%">')


def _long_cell_docx(length: int) -> bytes:
    from docx import Document

    document = Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Lead", "Action"
    table.cell(1, 0).text, table.cell(1, 1).text = "HR", "x" * length
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# A document.xml that defines an entity expanding a billion times ("billion laughs").
_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "hahahahahahahahahaha">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10)
        for i in range(8)
    )
    + b']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>"
)

ATTACKS: list[tuple[str, str, Callable[[], bytes], dict[str, Limits], str]] = [
    ("zip bomb", "plan.docx",
     lambda: _rezip(seed002_docx(), {"word/media/zeros.bin": b"\x00" * 30_000_000}), {},
     "zip bomb"),
    ("macro-enabled by name", "plan.docm", seed002_docx, {}, "macro-enabled Word document"),
    ("macro template by name", "plan.dotm", seed002_docx, {}, "macro-enabled Word document"),
    ("macros inside a .docx", "plan.docx",
     lambda: _rezip(seed002_docx(), {"word/vbaProject.bin": b"\x00" * 64}), {},
     "contains macros"),
    ("macro content type in a .docx", "plan.docx",
     lambda: _rezip(seed002_docx(), change={"[Content_Types].xml": lambda xml: xml.replace(
         b"wordprocessingml.document.main+xml", b"word.document.macroEnabled.main+xml")}), {},
     "contains macros"),
    ("password-protected Word document", "plan.docx",
     lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, {}, "password-protected"),
    ("old .doc", "plan.doc", lambda: b"\xd0\xcf\x11\xe0", {}, "Save it as a Word document (.docx)"),
    ("truncated Word document", "plan.docx", lambda: seed002_docx()[:5000], {},
     "could not be opened"),
    ("damaged document XML", "plan.docx",
     lambda: _rezip(seed002_docx(), change={"word/document.xml": lambda _x: b"<w:document><oops"}),
     {}, "could not be opened"),
    ("zip that is not a Word document", "plan.docx",
     lambda: _rezip(seed002_docx(), change={"word/document.xml": lambda _x: b""}) .replace(
         b"word/document.xml", b"word/documenx.xml"), {}, "not a .docx"),
    ("billion laughs in document.xml", "plan.docx",
     lambda: _rezip(seed002_docx(), change={"word/document.xml": lambda _x: _LAUGHS}), {},
     "could not be opened"),  # refused unread: never expanded
    ("Word text past its limit", "plan.docx", seed002_docx,
     {"limits": Limits(max_document_text_bytes=10_000)}, "text expands to"),
    ("100,000-character Word cell", "plan.docx", lambda: _long_cell_docx(100_000), {},
     "A cell (table 1, row 2, column B) is longer than 32,767 characters"),
    ("PDF bomb", "plan.pdf", pdf_bomb, {}, "PDF bomb"),
    ("encrypted PDF", "plan.pdf", encrypted_pdf, {}, "protected by a password"),
    ("scanned PDF", "plan.pdf", scanned_pdf, {},
     "it looks like a scanned image; the dashboard can only read a PDF with text in it"),
    ("truncated PDF", "plan.pdf", lambda: res_pdf()[: len(res_pdf()) // 2], {}, "incomplete"),
    ("PDF of junk", "plan.pdf",
     lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n", {}, "PDF"),
    ("not a PDF at all", "plan.pdf", lambda: b"PK\x03\x04" + b"\x00" * 100, {}, "not a valid PDF"),
    ("600-page PDF", "plan.pdf", lambda: _pdf(_pages(600)), {},
     "The PDF has 600 pages; the most that can be imported is 500."),
    ("PDF past a lower page limit", "plan.pdf", res_pdf,
     {"limits": Limits(max_pages=2)}, "The PDF has 3 pages; the most that can be imported is 2."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("filename", "make", "options", "message"),
    [attack[1:] for attack in ATTACKS],
    ids=[attack[0] for attack in ATTACKS],
)
def test_a_hostile_document_is_refused_plainly_and_nothing_is_written(
    seeded: Session,
    filename: str,
    make: Callable[[], bytes],
    options: dict[str, Limits],
    message: str,
) -> None:
    before = state(seeded)
    shown, result = attempt(seeded, make(), filename, **options)
    plain(shown)
    assert message in shown, shown
    assert result is None or not result.applied
    assert state(seeded) == before


def test_a_cell_spanning_a_billion_columns_is_read_within_the_column_limit(
    seeded: Session,
) -> None:
    """The header's first cell claims a billion columns: the reader keeps 200 (the limit), says
    so, and reads what is left as a person would (the unheaded column of text is the action)."""
    data = _rezip(_long_cell_docx(10), change={"word/document.xml": lambda xml: xml.replace(
        b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="999999999"/>', 1)})  # fmt: skip
    shown, result = attempt(seeded, data, "plan.docx", dry_run=True)
    plain(shown)
    assert "Table 1, row 1 had cells right of column GR (the 200th)" in shown, shown
    assert result is not None and all(column.index < 200 for column in result.columns)


def test_a_document_row_with_a_problem_is_named_by_its_table_and_page(seeded: Session) -> None:
    from docx import Document

    document = Document()
    table = document.add_table(rows=3, cols=3)
    for row, cells in enumerate([["Action", "Lead", "Status"], ["Publish the profile", "HR",
                                 "Not started"], ["Train managers", "HR", "Sort of"]]):  # fmt: skip
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    buffer = io.BytesIO()
    document.save(buffer)
    before = state(seeded)
    shown, result = attempt(seeded, buffer.getvalue(), "plan.docx")
    plain(shown)
    assert "Table 1, row 3, column C 'Status': this status is not one" in shown, shown
    html = (
        "<style>td,th{border:1px solid black}</style><h1>Anyshire plan</h1><table>"
        "<tr><th>Action</th><th>Lead</th><th>Status</th></tr>"
        "<tr><td>Publish the profile</td><td>HR</td><td>Sort of</td></tr></table>"
    )
    shown, result = attempt(seeded, pdf_of(html), "plan.pdf")
    plain(shown)
    assert "Page 1, table 1, row 2, column C 'Status': this status is not one" in shown, shown
    assert state(seeded) == before
