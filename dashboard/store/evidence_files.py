"""Evidence files kept under settings.evidence_dir: checked for size and type (by extension AND by
content) before they are stored. Refused, each with a message naming the file: macro-enabled and
old-style (OLE) Office files; Office files that carry macros, embedded objects, ActiveX controls,
links to other files or to content on the web, or DDE field codes and formulas (which can run
commands when the file is opened); PDFs with JavaScript, launch actions or embedded files."""

import bisect
import io
import re
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from sqlmodel import SQLModel

from dashboard.formats.sheets import (
    MEGABYTE,
    OLE_MAGIC,
    Limits,
    expanded_size,
    file_name_shown,
    shorten_file_name,
)
from dashboard.rules.errors import Refused
from dashboard.store.settings import Settings
from models import Evidence

# extension -> content type; the content is checked too (see _sniff)
ALLOWED: dict[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv",
    ".txt": "text/plain",
}
ACCEPTED_WORDS = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG, JPG, CSV or text"
_MACRO_EXTENSIONS = {
    ".docm",
    ".dotm",
    ".xlsm",
    ".xltm",
    ".xlsb",
    ".xlam",
    ".pptm",
    ".potm",
    ".ppsm",
}
_OLD_OFFICE_EXTENSIONS = {".doc", ".dot", ".xls", ".xlt", ".ppt", ".pot", ".pps", ".rtf"}
_OFFICE_MAIN_PART = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_SAVE_PLAIN = "Save a copy without them (or as a PDF) and attach that."


def column_length(model: type[SQLModel], name: str) -> int:
    """The most characters a text column holds, as its model says (the limit is written once,
    there, and enforced the same on SQLite and PostgreSQL)."""
    length = model.__table__.c[name].type.length  # type: ignore[attr-defined]
    assert isinstance(length, int), f"{model.__name__}.{name} has no length"
    return length


# A stored file's name is its evidence's title too, unless a title is given.
MAX_FILE_NAME = min(column_length(Evidence, "file_name"), column_length(Evidence, "title"))


class EvidenceRefused(Refused):
    """The file cannot be kept as evidence; the message says why in plain words."""


@dataclass(frozen=True)
class StoredFile:
    stored_path: str  # relative to settings.evidence_dir
    file_name: str  # as the person uploaded it (made safe for display)
    content_type: str
    size_bytes: int


def check(data: bytes, file_name: str, max_mb: int) -> str:
    """The content type of an acceptable evidence file; EvidenceRefused otherwise."""
    extension = Path(file_name).suffix.lower()
    if extension in _MACRO_EXTENSIONS:
        raise EvidenceRefused(
            f"{file_name} can contain macros, which are not accepted. Save it as "
            ".docx, .xlsx or .pptx (or as a PDF) and attach that."
        )
    if extension in _OLD_OFFICE_EXTENSIONS:
        raise EvidenceRefused(_old_office(file_name))
    if extension not in ALLOWED:
        raise EvidenceRefused(
            f"{file_name} is not a kind of file that can be kept as evidence. "
            f"Attach a {ACCEPTED_WORDS} file."
        )
    if not data:
        raise EvidenceRefused(f"{file_name} is empty.")
    if len(data) > max_mb * MEGABYTE:
        size = len(data) / MEGABYTE
        raise EvidenceRefused(
            f"{file_name} is {size:.1f} MB; the largest file accepted is {max_mb} MB."
        )
    if data.startswith(OLE_MAGIC):
        raise EvidenceRefused(_old_office(file_name))
    _sniff(data, extension, file_name)
    return ALLOWED[extension]


def _old_office(file_name: str) -> str:
    return (
        f"{file_name} is an old-style or password-protected Office file, which can hide macros "
        "and other programs and cannot be checked, so it is not accepted. Save it as .docx, "
        ".xlsx or .pptx without a password (or as a PDF) and attach that."
    )


def _sniff(data: bytes, extension: str, file_name: str) -> None:
    """Refuse a file whose content is not what its extension says, or that carries active
    content."""
    mismatch = EvidenceRefused(
        f"{file_name} is not really a {extension} file: its content does not match its name."
    )
    if extension == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise mismatch
        _check_pdf(data, file_name)
    elif extension == ".png":
        if not data.startswith(b"\x89PNG\r\n\x1a\n"):
            raise mismatch
    elif extension in (".jpg", ".jpeg"):
        if not data.startswith(b"\xff\xd8\xff"):
            raise mismatch
    elif extension in _OFFICE_MAIN_PART:
        _check_office(data, extension, file_name, mismatch)
    else:
        _check_text(data, mismatch)


# ---------------------------------------------------------------- Office files

# Folders and parts of an Office file that hold something active, and what a person is told.
_ACTIVE_PARTS = (
    (re.compile(r"(^|/)vbaproject\.bin$|(^|/)vbadata\.xml$"), "macros"),
    (re.compile(r"(^|/)embeddings/"), "embedded objects (other files or programs inside it)"),
    (re.compile(r"(^|/)activex/"), "ActiveX controls"),
    (re.compile(r"(^|/)externallinks/"), "links to other workbooks"),
)
_ACTIVE_TYPES = (
    (b"macroenabled", "macros"),
    (b"vbaproject", "macros"),
    (b"oleobject", "embedded objects (other files or programs inside it)"),
    (b"activex", "ActiveX controls"),
    (b"externallink", "links to other workbooks"),
)
_DDE = re.compile(r"\bDDE(?:AUTO)?\b", re.I)
_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_DDE_WORDS = "DDE field codes or formulas, which can start other programs when it is opened"
_EMBEDDED_WORDS = "embedded objects (other files or programs inside it)"


def _check_office(data: bytes, extension: str, file_name: str, mismatch: EvidenceRefused) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise mismatch
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename.lower(): m.filename for m in members}
            if "[content_types].xml" not in names or _OFFICE_MAIN_PART[extension] not in names:
                raise mismatch
            total = expanded_size(members, len(data), Limits())
            if total is not None:
                raise EvidenceRefused(
                    f"{file_name} expands to {total / MEGABYTE:.0f} MB when opened, far more "
                    "than a document needs (it may be a 'zip bomb'), so it is not accepted."
                )
            for pattern, words in _ACTIVE_PARTS:
                if any(pattern.search(name) for name in names):
                    raise EvidenceRefused(_carries(file_name, words))
            content_types = archive.read(names["[content_types].xml"]).lower()
            for marker, words in _ACTIVE_TYPES:
                if marker in content_types:
                    raise EvidenceRefused(_carries(file_name, words))
            for lower, name in names.items():
                if lower.endswith(".rels"):
                    with archive.open(name) as part:
                        _check_relationships(_elements(part), file_name)
                elif lower.endswith(".xml") and lower.startswith(("word/", "xl/worksheets/")):
                    with archive.open(name) as part:
                        if _has_dde(lower, _elements(part)):
                            raise EvidenceRefused(_carries(file_name, _DDE_WORDS))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, zlib.error):
        raise mismatch from None
    except ElementTree.ParseError:
        raise mismatch from None


def _local(name: str) -> str:
    """An XML name without its namespace: '{http://…}instrText' -> 'instrText'."""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _elements(source: IO[bytes]) -> Iterator[tuple[str, dict[str, str], str]]:
    """Each element of an XML part as it ends, in document order: its name, its attributes and
    its text, all without namespaces. Read by an XML parser in one pass (however the file is
    made, the time follows its size), each element let go once read."""
    open_elements: list[ElementTree.Element] = []
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            continue
        open_elements.pop()
        attributes = {_local(k).lower(): v for k, v in element.attrib.items()}
        yield _local(str(element.tag)), attributes, element.text or ""
        if open_elements:
            open_elements[-1].remove(element)


def _carries(file_name: str, words: str) -> str:
    return f"{file_name} contains {words}, which are not accepted. {_SAVE_PLAIN}"


def _check_relationships(
    elements: Iterator[tuple[str, dict[str, str], str]], file_name: str
) -> None:
    """Refuse parts that point outside the file (a remote template, a linked picture or object,
    which the program fetches on opening) or at an embedded object; web links are fine."""
    for name, attributes, _text in elements:
        if name != "Relationship":
            continue
        kind = attributes.get("type", "").lower()
        if kind.endswith("/oleobject") or kind.endswith("/package"):
            raise EvidenceRefused(_carries(file_name, _EMBEDDED_WORDS))
        external = attributes.get("targetmode", "").lower() == "external"
        if external and not kind.endswith("/hyperlink"):
            raise EvidenceRefused(
                f"{file_name} links to content outside the file (a template, picture or object "
                "fetched when it is opened), which is not accepted. Save a copy with the content "
                "inside the file (or as a PDF) and attach that."
            )


def _has_dde(part: str, elements: Iterator[tuple[str, dict[str, str], str]]) -> bool:
    """True when a Word part holds a DDE or DDEAUTO field (however its code is split across
    runs, or built from another field), or a sheet a DDE formula (program|topic!item)."""
    if part.startswith("word/"):
        return any(_DDE.search(code) or built for code, built in _field_codes(elements))
    for name, _attributes, text in elements:
        if name == "f" and "|" in _STRING_LITERAL.sub("", text):
            return True
    return False


def _field_codes(
    elements: Iterator[tuple[str, dict[str, str], str]],
) -> Iterator[tuple[str, bool]]:
    """Each outermost field's code as one text, and whether its code starts with another field
    (a command word built by a nested field, such as QUOTE 68 68 69)."""
    depth = 0
    code: list[str] = []
    built = False
    for name, attributes, text in elements:
        if name == "fldSimple":
            yield attributes.get("instr", ""), False
        elif name == "fldChar":
            mark = attributes.get("fldchartype", "").lower()
            if mark == "begin":
                if depth and not "".join(code).strip():
                    built = True
                depth += 1
            elif mark == "end" and depth:
                depth -= 1
                if not depth:
                    yield "".join(code), built
                    code, built = [], False
        elif name == "instrText" and depth:
            code.append(text)
    if code:
        yield "".join(code), built


# ---------------------------------------------------------------- PDF

# PDF names that make a document act when it is opened or clicked: scripts, starting programs,
# files carried inside it, embedded media players.
_PDF_ACTIVE = {
    "JavaScript": "JavaScript",
    "JS": "JavaScript",
    "Launch": "actions that start other programs",
    "EmbeddedFile": "embedded files",
    "EmbeddedFiles": "embedded files",
    "RichMedia": "embedded media",
}
_PDF_NAME = re.compile(rb"/([^\s/\[\]()<>{}%]+)")
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n")
_MOST_INFLATED = 64 * MEGABYTE  # of object streams, where a PDF may pack its dictionaries


def _pdf_names(data: bytes | memoryview) -> Iterator[tuple[int, str]]:
    """Each name in the PDF with where it starts, #xx escapes read as a PDF reader reads them."""
    for found in _PDF_NAME.finditer(data):
        raw = _PDF_HEX.sub(lambda m: bytes([int(m[1], 16)]), found[1])
        yield found.start(), raw.decode("latin-1")


def _check_pdf(data: bytes, file_name: str) -> None:
    """Refuse a PDF whose dictionaries (as written, or packed in compressed object streams)
    name JavaScript, launch actions, embedded files or media. One pass over the file, then
    each object stream (/Type /ObjStm) inflated, within a budget."""
    packed_at: list[int] = []  # where an object stream's dictionary names its type
    for where, name in _pdf_names(data):
        if name in _PDF_ACTIVE:
            raise EvidenceRefused(_carries(file_name, _PDF_ACTIVE[name]))
        if name == "ObjStm":
            packed_at.append(where)
    if not packed_at:
        return
    starts = [found.end() for found in _STREAM.finditer(data)]
    ends = [found.start() for found in re.finditer(rb"endstream", data)]
    streams = sorted({starts[i] for i in (bisect.bisect(starts, at) for at in packed_at)
                      if i < len(starts)})  # fmt: skip
    budget = _MOST_INFLATED
    view = memoryview(data)
    for start in streams:
        # Up to its endstream, and never into the next stream (so the slices read add up to no
        # more than the file); only what starts as zlib data is inflated.
        i, j = bisect.bisect(ends, start), bisect.bisect(starts, start)
        stop = min(ends[i] if i < len(ends) else len(data), starts[j] if j < len(starts) else
                   len(data))  # fmt: skip
        packed = view[start:stop]
        if len(packed) < 2 or packed[0] & 0x0F != 8 or (packed[0] * 256 + packed[1]) % 31:
            continue
        try:
            inflated = zlib.decompressobj().decompress(packed, budget + 1)
        except zlib.error:
            continue
        budget -= len(inflated)
        if budget < 0:
            raise EvidenceRefused(
                f"{file_name} packs far more into its object streams than a document needs, so "
                "it could not be checked and is not accepted."
            )
        for _where, name in _pdf_names(inflated):
            if name in _PDF_ACTIVE:
                raise EvidenceRefused(_carries(file_name, _PDF_ACTIVE[name]))


# ---------------------------------------------------------------- text


def _check_text(data: bytes, mismatch: EvidenceRefused) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise mismatch from None
    if _CONTROL.search(text):
        raise mismatch


def safe_file_name(file_name: str) -> str:
    """The base name only, without control or text-direction characters, shortened (keeping
    its start and its extension) to what the database keeps."""
    name = shorten_file_name(file_name_shown(file_name), MAX_FILE_NAME)
    return name if name.strip(". ") else "evidence"


def store(*, data: bytes, file_name: str, issue_id: int, settings: Settings) -> StoredFile:
    """Check the file and write it under the evidence folder with a name nobody can choose."""
    name = safe_file_name(file_name)
    content_type = check(data, name, settings.max_evidence_mb)
    relative = f"{issue_id}/{uuid.uuid4().hex}{Path(name).suffix.lower()}"
    target = settings.evidence_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return StoredFile(
        stored_path=relative, file_name=name, content_type=content_type, size_bytes=len(data)
    )


def path_of(stored_path: str, settings: Settings) -> Path:
    """The file on disk for a stored evidence path; never outside the evidence folder."""
    root = settings.evidence_dir.resolve()
    target = (root / stored_path).resolve()
    if not target.is_relative_to(root):
        raise EvidenceRefused("That evidence file is not in the evidence folder.")
    return target


def remove(stored_path: str, settings: Settings) -> None:
    """Delete a stored file (used when the database write it belonged to failed)."""
    path_of(stored_path, settings).unlink(missing_ok=True)
