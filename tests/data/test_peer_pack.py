"""The peer-challenge pack: a PDF that renders and says what peers need, and a zip that holds
every evidence file its index names."""

import dataclasses
import io
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.reports.peer_pack.archive import INDEX_NAME, PDF_NAME, pack_zip
from dashboard.reports.peer_pack.gather import MISSING, PackError, PeerPack, gather, plan_and_theme
from dashboard.reports.peer_pack.pdf import pack_pdf
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store import evidence_files
from dashboard.store.settings import Settings
from dashboard.writes.criteria import import_criteria
from dashboard.writes.levels import CriterionJudgement, record_self_assessment
from models import Criterion, Evidence, Issue, Judgement, Plan, StatusChange, Theme

KNOWING = "Knowing your community and equality mapping"
WORKFORCE = "A modern and diverse workforce"
TODAY = date(2026, 11, 24)
PDF_BYTES = b"%PDF-1.4\n% test evidence\n"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return dataclasses.replace(Settings.from_env(), evidence_dir=tmp_path / "evidence")


def _issue(session: Session, ref: str) -> Issue:
    return session.exec(
        select(Issue).join(Plan).where(Plan.slug == "eflg-developing", Issue.ref == ref)
    ).one()


def _stored(session: Session, settings: Settings, ref: str, name: str, data: bytes) -> Evidence:
    issue = _issue(session, ref)
    kept = evidence_files.store(data=data, file_name=name, issue_id=issue.id, settings=settings)
    evidence = Evidence(
        issue_id=issue.id,
        title=f"Evidence {name}",
        stored_path=kept.stored_path,
        file_name=kept.file_name,
        content_type=kept.content_type,
        size_bytes=kept.size_bytes,
        added_by="Asha Patel",
    )
    session.add(evidence)
    session.commit()
    return evidence


@pytest.fixture
def prepared(seeded: Session, settings: Settings) -> Session:
    """Criteria and a self-assessment for theme 1, evidence of every kind, and an update."""
    rows = [
        {"framework": "eflg-2009", "theme": KNOWING, "level": "Developing", "ref": "K1",
         "criterion": "Test criterion one", "guidance": ""},
        {"framework": "eflg-2009", "theme": KNOWING, "level": "Achieving", "ref": "KA1",
         "criterion": "Test criterion two", "guidance": ""},
    ]  # fmt: skip
    assert import_criteria(seeded, rows, actor=COMMAND_LINE_ADMIN).ok
    plan = seeded.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    theme = seeded.exec(select(Theme).where(Theme.name == KNOWING)).one()
    k1 = seeded.exec(select(Criterion).where(Criterion.ref == "K1")).one()
    record_self_assessment(
        session=seeded, actor=COMMAND_LINE_ADMIN, organisation_id=plan.organisation_id,
        theme_id=theme.id, assessed_on=date(2026, 11, 1), level_claimed_id=plan.level_id,
        narrative="Test narrative: we map our communities every year.",
        judgements=[CriterionJudgement(k1.id, Judgement.MET, "https://example.org/map")],
    )  # fmt: skip
    _stored(seeded, settings, "1.1", "Community map.pdf", PDF_BYTES)
    _stored(seeded, settings, "1.1", "survey.csv", b"area,people\nNorth,12\n")
    _stored(seeded, settings, "5.1", "workforce.txt", b"Test workforce profile\n")
    gone = _stored(seeded, settings, "1.2", "lost.txt", b"soon gone\n")
    evidence_files.remove(str(gone.stored_path), settings)
    issue = _issue(seeded, "1.1")
    seeded.add(Evidence(issue_id=issue.id, title="=HYPERLINK(\"https://evil.example\")",
                        url="https://example.org/report", added_by="Asha Patel"))  # fmt: skip
    seeded.add(StatusChange(issue_id=issue.id, from_status="Not started", to_status="In progress",
                            note="Test note: mapping started", by="Asha Patel"))  # fmt: skip
    seeded.commit()
    return seeded


def _all(session: Session, settings: Settings) -> PeerPack:
    plan_id, theme_id = plan_and_theme(session, None, None)
    return gather(session, plan_id, theme_id, settings=settings, today=TODAY)


def _index(archive: zipfile.ZipFile) -> list[dict[str, str]]:
    book = load_workbook(io.BytesIO(archive.read(INDEX_NAME)))
    sheet = book["Evidence"]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], (str(v or "") for v in row), strict=True)) for row in rows[1:]]


def test_zip_holds_every_evidence_file_its_index_names(
    prepared: Session, settings: Settings
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(pack_zip(_all(prepared, settings), settings)))
    names = set(archive.namelist())
    assert {PDF_NAME, INDEX_NAME} <= names
    index = _index(archive)
    assert len(index) == 5
    files = [row["File in this zip"] for row in index if row["File in this zip"].startswith("ev")]
    assert len(files) == 3
    assert set(files) == names - {PDF_NAME, INDEX_NAME}
    for row in index:
        kept = prepared.exec(select(Evidence).where(Evidence.title == row["Evidence"])).first()
        if row["File in this zip"].startswith("evidence/"):
            assert kept is not None and kept.stored_path
            stored = evidence_files.path_of(kept.stored_path, settings).read_bytes()
            assert archive.read(row["File in this zip"]) == stored
    community = next(r for r in index if r["Evidence"] == "Evidence Community map.pdf")
    assert community["Theme"] == KNOWING and community["Issue"] == "1.1"
    assert community["File in this zip"].endswith("Community map.pdf")
    lost = next(r for r in index if r["Evidence"] == "Evidence lost.txt")
    assert lost["File in this zip"] == MISSING


def test_index_cells_never_run_as_formulas(prepared: Session, settings: Settings) -> None:
    archive = zipfile.ZipFile(io.BytesIO(pack_zip(_all(prepared, settings), settings)))
    sheet = load_workbook(io.BytesIO(archive.read(INDEX_NAME)))["Evidence"]
    titles = [c.value for c in sheet["C"]]
    assert '\'=HYPERLINK("https://evil.example")' in titles
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_pdf_renders_with_criteria_narrative_evidence_and_history(
    prepared: Session, settings: Settings, tmp_path: Path
) -> None:
    pdf = tmp_path / "pack.pdf"
    pdf.write_bytes(pack_pdf(_all(prepared, settings)))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "2", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    assert (tmp_path / "page-1.png").stat().st_size > 1000
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for expected in [
        "Peer challenge pack",
        KNOWING,
        WORKFORCE,
        "Level claimed: Developing",
        "Test narrative: we map our communities every year.",
        "Test criterion one",
        "Not assessed yet",  # KA1 was not judged
        "https://example.org/map",
        "https://example.org/report",
        "Community map.pdf",
        "Test note: mapping started",
        "No self-assessment has been recorded for this theme yet.",  # the other themes
        "No criteria are loaded for this theme",
    ]:
        assert "".join(expected.split()) in "".join(text.split()), expected


def test_one_theme_only(prepared: Session, settings: Settings) -> None:
    plan_id, theme_id = plan_and_theme(prepared, "eflg-developing", WORKFORCE.upper())
    pack = gather(prepared, plan_id, theme_id, settings=settings, today=TODAY)
    assert [t.theme for t in pack.themes] == [WORKFORCE]
    assert pack.scope == WORKFORCE
    assert list(pack.evidence["title"]) == ["Evidence workforce.txt"]
    with pytest.raises(PackError, match="has no theme 'Parks'"):
        plan_and_theme(prepared, "eflg-developing", "Parks")
    with pytest.raises(PackError, match="not written against"):
        plan_and_theme(prepared, "race-equality-scheme-2008-11", None)


def test_peer_pack_command(
    prepared: Session, settings: Settings, engine: Engine, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("EFLG_EVIDENCE_DIR", str(settings.evidence_dir))
    out = tmp_path / "pack.zip"
    assert main(["peer-pack", "--out", str(out), "--theme", KNOWING]) == 0
    assert "1 theme, 4 pieces of evidence, 2 stored files." in capsys.readouterr().out
    archive = zipfile.ZipFile(out)
    assert len([n for n in archive.namelist() if n.startswith("evidence/")]) == 2
    assert main(["peer-pack", "--out", str(out), "--plan", "no-such-plan"]) == 2
    assert "There is no plan 'no-such-plan'." in capsys.readouterr().err
