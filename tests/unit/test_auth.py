"""Pure sign-in rules: passwords, OIDC claims, token expiry, loopback addresses, evidence files."""

import io
import zipfile
from datetime import UTC, datetime

import pytest

from dashboard.formats.words import time_text
from dashboard.rules.accounts import AccountRefused, claims_email, is_loopback, token_expired
from dashboard.store import evidence_files
from dashboard.writes import accounts

NOW = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)


def test_password_hash_is_argon2_and_verifies_only_the_right_password() -> None:
    stored = accounts.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$")
    assert "correct horse" not in stored
    assert accounts.verify_password(stored, "correct horse battery")
    assert not accounts.verify_password(stored, "correct horse batterY")
    assert not accounts.verify_password(None, "correct horse battery")
    assert not accounts.verify_password("not a hash", "correct horse battery")


def test_short_password_is_refused() -> None:
    with pytest.raises(AccountRefused, match="at least 10 characters"):
        accounts.hash_password("short")


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "Asha.Patel@Council.gov.uk"}, "asha.patel@council.gov.uk"),
        ({"preferred_username": "ann@example.org"}, "ann@example.org"),  # Entra ID
        ({"upn": "bob@example.org", "preferred_username": "bob"}, "bob@example.org"),
        ({"sub": "123", "name": "No Mail"}, None),
    ],
)
def test_email_is_read_from_the_usual_claims(claims: dict[str, str], expected: str | None) -> None:
    assert claims_email(claims) == expected


def test_token_expiry_is_checked() -> None:
    assert not token_expired({"exp": NOW.timestamp() + 60}, NOW)
    assert token_expired({"exp": NOW.timestamp() - 1}, NOW)
    assert token_expired({"exp": NOW.timestamp()}, NOW)
    assert token_expired({}, NOW)  # no expiry: never trusted
    assert token_expired({"exp": "tomorrow"}, NOW)


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("localhost", True),
        ("127.0.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("", False),  # empty = every interface
        (None, False),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("dashboard.council.gov.uk", False),
    ],
)
def test_loopback_addresses(address: str | None, loopback: bool) -> None:
    assert is_loopback(address) is loopback


def test_times_are_shown_in_uk_time() -> None:
    assert time_text(NOW) == "14:05 on 24 Nov 2026"
    assert time_text(datetime(2026, 7, 1, 13, 5, tzinfo=UTC)) == "14:05 on 1 Jul 2026"


# ---------------------------------------------------------------- evidence files


def office_file(main_part: str, *, macros: bool = False) -> bytes:
    content_types = '<Types><Default Extension="xml" ContentType="application/xml"/>'
    if macros:
        content_types += (
            '<Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/>'
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", content_types + "</Types>")
        archive.writestr(main_part, "<document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00macro")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", b"%PDF-1.7\n..."),
        ("photo.PNG", b"\x89PNG\r\n\x1a\n...."),
        ("photo.jpg", b"\xff\xd8\xff\xe0...."),
        ("minutes.docx", office_file("word/document.xml")),
        ("figures.xlsx", office_file("xl/workbook.xml")),
        ("slides.pptx", office_file("ppt/presentation.xml")),
        ("data.csv", b"ward,count\nAbbey,12\n"),
        ("note.txt", "Café opened – 3 staff trained.".encode("cp1252")),
    ],
)
def test_accepted_evidence_files(name: str, data: bytes) -> None:
    assert (
        evidence_files.check(data, name, max_mb=1)
        == evidence_files.ALLOWED["." + name.rsplit(".", 1)[1].lower()]
    )


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("macro.docm", office_file("word/document.xml"), "macros"),
        ("macro.docx", office_file("word/document.xml", macros=True), "contains macros"),
        ("virus.exe", b"MZ....", "not a kind of file"),
        ("renamed.pdf", b"MZ\x90\x00 an executable", "content does not match its name"),
        ("fake.docx", b"%PDF-1.4", "content does not match its name"),
        ("sheet.docx", office_file("xl/workbook.xml"), "content does not match its name"),
        ("binary.txt", b"\x00\x01\x02\x03", "content does not match its name"),
        ("empty.pdf", b"", "empty"),
        ("big.pdf", b"%PDF-" + b"x" * (1024 * 1024), "largest file accepted is 1 MB"),
    ],
)
def test_refused_evidence_files(name: str, data: bytes, message: str) -> None:
    with pytest.raises(evidence_files.EvidenceRefused, match=message):
        evidence_files.check(data, name, max_mb=1)


def test_uploaded_file_names_cannot_reach_other_folders() -> None:
    assert evidence_files.safe_file_name("../../etc/passwd.txt") == "passwd.txt"
    assert evidence_files.safe_file_name("C:\\Users\\me\\report.pdf") == "report.pdf"
