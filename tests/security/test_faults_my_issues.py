"""My issues must never break for good. A normal save (an evidence link and a file together)
once left a link-less evidence row whose missing link was read as NaN, and from then on My
issues showed only "Sorry, something went wrong" to every officer of that lead. A missing value
must never reach the page as the words "nan" or "None". And saving evidence while the evidence
folder cannot be written (a read-only disk, a folder the server may not write) is one plain
sentence, with what was typed kept and nothing half-written."""

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session, func, select
from streamlit.testing.v1 import AppTest

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.permissions import Actor
from dashboard.writes.accounts import add_user
from models import Evidence, Issue, Lead, Role, StatusChange
from tests.app.conftest import ENTRY
from tests.app.test_my_issues import open_card
from tests.security.test_faults_cli import read_only

PASSWORD = "correct horse battery"
FIRST, SECOND = "asha.patel@council.gov.uk", "sam.okoro@council.gov.uk"
MISSING = re.compile(r"\b(nan|NaN|NaT|None)\b")
BROKEN = "Sorry, something went wrong"


@pytest.fixture
def officers(seeded: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Two officers acting for the lead of issue 2.9; returns that issue's id."""
    monkeypatch.setenv("EFLG_EVIDENCE_DIR", str(tmp_path / "evidence"))
    lead = seeded.exec(
        select(Lead.id).where(Lead.name == "Improvement and Efficiency Officer")
    ).one()
    assert lead is not None
    for email in (FIRST, SECOND):
        add_user(
            session=seeded, actor=Actor(name="Equality lead", role=Role.ADMIN), email=email,
            role="officer", lead_ids=[lead], password=PASSWORD,
        )  # fmt: skip
    found = issue_id_by_ref(seeded, "eflg-developing", "2.9")
    assert found is not None
    return found[0]


@pytest.fixture
def app(engine: Engine, officers: int, monkeypatch: pytest.MonkeyPatch) -> Callable[[], AppTest]:
    """A fresh browser tab on the real app (dashboard/app.py) on the test database."""
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))

    def open_tab() -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        return AppTest.from_file(ENTRY, default_timeout=30).run()

    return open_tab


def my_issues(open_app: Callable[[], AppTest], email: str) -> AppTest:
    at = open_app()
    fields = {box.label: box for box in at.text_input}
    fields["E-mail address"].input(email)
    fields["Password"].input(PASSWORD)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    at.switch_page("../pages/my_issues.py")
    at.run()
    assert not at.exception, at.exception
    return at


def read(markdown: str) -> str:
    """Markdown as a person reads it: escapes read, the invisible word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def shown(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error]
    parts += [b.label for b in at.get("download_button")]  # type: ignore[attr-defined]
    return read("\n".join(parts))


def test_an_evidence_link_and_file_saved_together_leave_my_issues_working(
    app: Callable[[], AppTest], officers: int, seeded: Session
) -> None:
    at = open_card(my_issues(app, FIRST), officers)
    key = f"{officers}_0"
    at.radio(key=f"status_{key}").set_value("In progress")
    at.text_area(key=f"note_{key}").input("Checklist agreed with procurement.")
    at.text_input(key=f"link_{key}").input("https://intranet.example.org/tenders/checklist")
    at.text_input(key=f"title_{key}").input("Tender checklist")
    at.file_uploader(key=f"file_{key}").upload("checklist.csv", b"step,done\n1,yes\n", "text/csv")
    at.button(key=f"save_{key}").click()
    at.run()
    assert not at.exception, at.exception
    assert "Saved: issue 2.9 is now In progress." in [s.value for s in at.success]
    kinds = seeded.exec(select(Evidence.url, Evidence.stored_path)).all()
    assert len(kinds) == 2 and {url is None for url, _ in kinds} == {True, False}

    other = open_card(my_issues(app, SECOND), officers)  # another officer, on a fresh page
    text = shown(other)
    assert BROKEN not in text
    assert "Build equality needs pre-assessment into the tendering" in text
    assert "[Tender checklist](<https://intranet.example.org/tenders/checklist>)" in text
    assert "Download checklist.csv" in text
    assert not MISSING.search(text), MISSING.search(text)


def test_a_first_status_from_an_import_is_not_shown_as_none(
    app: Callable[[], AppTest], officers: int, seeded: Session
) -> None:
    # An import records a new issue's first status as coming from nothing (from_status NULL).
    seeded.add(
        StatusChange(issue_id=officers, from_status=None, to_status="In progress", by="Import")
    )
    seeded.commit()
    text = shown(open_card(my_issues(app, FIRST), officers))
    assert BROKEN not in text
    assert "(new) → In progress" in text
    assert not MISSING.search(text), MISSING.search(text)


def test_saving_evidence_into_a_read_only_evidence_folder(
    app: Callable[[], AppTest], officers: int, seeded: Session, tmp_path: Path
) -> None:
    folder = tmp_path / "evidence"  # EFLG_EVIDENCE_DIR (see `officers`)
    folder.mkdir()
    at = open_card(my_issues(app, FIRST), officers)
    key = f"{officers}_0"
    note = "Checklist agreed with procurement."
    at.radio(key=f"status_{key}").set_value("Complete")
    at.text_area(key=f"note_{key}").input(note)
    at.file_uploader(key=f"file_{key}").upload("checklist.csv", b"step,done\n1,yes\n", "text/csv")
    before = seeded.get(Issue, officers)
    assert before is not None
    version = before.version
    changes = seeded.exec(select(func.count()).select_from(StatusChange)).one()
    with read_only(folder):
        at.button(key=f"save_{key}").click()
        at.run()
    assert not at.exception, at.exception
    errors = [read(e.value) for e in at.error]
    assert any("could not be kept: the evidence folder cannot be written" in e for e in errors)
    assert not any(BROKEN in e or "Error" in e for e in errors), errors
    assert at.text_area(key=f"note_{key}").value == note  # what they typed is still there
    seeded.expire_all()
    assert seeded.exec(select(func.count()).select_from(Evidence)).one() == 0
    assert seeded.exec(select(func.count()).select_from(StatusChange)).one() == changes
    after = seeded.get(Issue, officers)
    assert after is not None and after.version == version
    assert list(folder.rglob("*")) == []
