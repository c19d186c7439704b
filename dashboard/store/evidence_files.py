"""Evidence files kept under settings.evidence_dir: checked for size and type (by extension AND by
content) before they are stored; macro-enabled Office files are refused."""

import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from dashboard.formats.sheets import MEGABYTE
from dashboard.rules.errors import Refused
from dashboard.store.settings import Settings

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
_OFFICE_MAIN_PART = {
    ".docx": "word/document.xml",
    ".xlsx": "xl/workbook.xml",
    ".pptx": "ppt/presentation.xml",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


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
    _sniff(data, extension, file_name)
    return ALLOWED[extension]


def _sniff(data: bytes, extension: str, file_name: str) -> None:
    """Refuse a file whose content is not what its extension says."""
    mismatch = EvidenceRefused(
        f"{file_name} is not really a {extension} file: its content does not match its name."
    )
    if extension == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise mismatch
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


def _check_office(data: bytes, extension: str, file_name: str, mismatch: EvidenceRefused) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise mismatch
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = {name.lower() for name in archive.namelist()}
            if "[content_types].xml" not in names or _OFFICE_MAIN_PART[extension] not in names:
                raise mismatch
            with archive.open("[Content_Types].xml") as part:
                content_types = part.read(1_000_000).lower()
    except (zipfile.BadZipFile, KeyError, OSError):
        raise mismatch from None
    if any(name.endswith("vbaproject.bin") for name in names) or b"macroenabled" in content_types:
        raise EvidenceRefused(
            f"{file_name} contains macros, which are not accepted. Save a copy without macros "
            "(or as a PDF) and attach that."
        )


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
    """The base name only, without control characters, at most 200 characters."""
    name = _CONTROL.sub("", Path(file_name.replace("\\", "/")).name).strip()
    return name[-200:] or "evidence"


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
