"""Limits: text too long for its field, or holding a character no database can keep (NUL, or
the broken half of a character that invalid UTF-8 leaves), typed into every kind of save. On
PostgreSQL such values used to end in a database error; on SQLite they were stored (or cut)
silently. Now both databases refuse them the same way, in words naming the field, and nothing
changes."""

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

import dashboard.cli.main as cli
from dashboard.cli.output import BAD_INPUT
from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.settings import Settings
from dashboard.writes import criteria, levels, meetings, updates
from models import (
    Criterion,
    DueDateChange,
    Evidence,
    Issue,
    Meeting,
    Plan,
    SelfAssessment,
    StatusChange,
    Theme,
)

NUL = "Agreed at CMT\x00 on Tuesday"
BROKEN = "Caf\udce9 minutes"  # what Python makes of the Windows-1252 byte é read as UTF-8
UNSTORABLE = "contains a character that cannot be stored"
TABLES = (StatusChange, DueDateChange, Evidence, Meeting, Criterion, SelfAssessment, Plan)


def rows(session: Session) -> dict[str, int]:
    """How many rows each table a save could touch holds, and each issue's version."""
    counts = {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in TABLES}
    versions = session.exec(select(func.sum(Issue.version))).one()
    return counts | {"issue versions": int(versions or 0)}


def refused(session: Session, save: Callable[[], Any], words: str) -> None:
    """The save is refused with `words`, a plain sentence, and nothing in the database moved."""
    before = rows(session)
    with pytest.raises(Refused) as caught:
        save()
    message = str(caught.value)
    assert words in message
    assert "Error" not in message and "psycopg" not in message and "\x00" not in message
    session.rollback()
    assert rows(session) == before


@pytest.fixture
def settings(engine: Engine, tmp_path: Path) -> Settings:
    return Settings(
        database_url=str(engine.url), evidence_dir=tmp_path / "evidence", max_evidence_mb=5,
        rag_amber_days=30,
    )  # fmt: skip


def issue(session: Session, ref: str = "2.9") -> Issue:
    found = issue_id_by_ref(session, "eflg-developing", ref)
    assert found is not None
    got = session.get(Issue, found[0], populate_existing=True)
    assert got is not None
    return got


def _note(s: Session, _: Settings, text: str) -> None:
    target = issue(s)
    updates.record_status_change(
        session=s, actor=COMMAND_LINE_ADMIN, issue_id=target.id or 0, status="In progress",
        note=text, expected_version=target.version,
    )  # fmt: skip


def _reason(s: Session, _: Settings, text: str) -> None:
    target = issue(s)
    updates.change_due_date(
        session=s, actor=COMMAND_LINE_ADMIN, issue_id=target.id or 0, due_date=date(2027, 3, 31),
        reason=text, expected_version=target.version,
    )  # fmt: skip


def _evidence_title(s: Session, settings: Settings, text: str) -> None:
    target = issue(s)
    updates.record_update(
        session=s, actor=COMMAND_LINE_ADMIN, issue_id=target.id or 0,
        expected_version=target.version, status="Complete", note="Done.", evidence_title=text,
        upload=updates.EvidenceUpload("minutes.txt", b"Agreed."), settings=settings,
    )  # fmt: skip


def _evidence_link(s: Session, settings: Settings, text: str) -> None:
    target = issue(s)
    updates.record_update(
        session=s, actor=COMMAND_LINE_ADMIN, issue_id=target.id or 0,
        expected_version=target.version, status="Not started",
        evidence_url=f"https://intranet.example.org/{text.replace(' ', '-')}", settings=settings,
    )  # fmt: skip


def _meeting(field: str) -> Callable[[Session, Settings, str], None]:
    def save(s: Session, _: Settings, text: str) -> None:
        given = {"body": "Corporate Management Team", "title": "CMT quarterly update"}
        meetings.record_meeting(
            session=s, actor=COMMAND_LINE_ADMIN, **(given | {field: text}),
            held_on=date(2026, 11, 24), today=date(2026, 11, 24), amber_days=30,
        )  # fmt: skip

    return save


def _criterion(field: str) -> Callable[[Session, Settings, str], None]:
    def save(s: Session, _: Settings, text: str) -> None:
        row = {
            "framework": "eflg-2009", "theme": "Knowing your community and equality mapping",
            "level": "Developing", "ref": "K1", "criterion": "Test criterion", "guidance": "",
        }  # fmt: skip
        criteria.import_criteria(s, [row | {field: text}], actor=COMMAND_LINE_ADMIN)

    return save


def _narrative(s: Session, _: Settings, text: str) -> None:
    plan = s.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    theme = s.exec(select(Theme).where(Theme.name.startswith("Knowing"))).first()  # type: ignore[attr-defined]
    assert theme is not None and theme.id is not None
    levels.record_self_assessment(
        session=s, actor=COMMAND_LINE_ADMIN, organisation_id=plan.organisation_id,
        theme_id=theme.id, assessed_on=date(2026, 11, 1), level_claimed_id=None,
        narrative=text, judgements=[],
    )  # fmt: skip


# (the save, the value typed, the words of the refusal)
ATTACKS = {
    "progress note with a NUL": (_note, NUL, f"The progress note {UNSTORABLE}"),
    "progress note with a broken character": (_note, BROKEN, f"The progress note {UNSTORABLE}"),
    "due-date reason with a NUL": (_reason, NUL, f"reason for the new due date {UNSTORABLE}"),
    "evidence title too long": (
        _evidence_title,
        "Minutes " * 52,
        "The evidence title can be at most 300 characters; this one has 415.",
    ),
    "evidence link with a NUL": (_evidence_link, NUL, f"The evidence link {UNSTORABLE}"),
    "meeting title too long": (
        _meeting("title"),
        "x" * 412,
        "The meeting title can be at most 300 characters; this one has 412.",
    ),
    "meeting body too long": (
        _meeting("body"),
        "Corporate Management Team " * 5,
        "The body the meeting was of can be at most 100 characters; this one has 129.",
    ),
    "criterion ref too long": (
        _criterion("ref"),
        "K" * 41,
        "The criterion ref can be at most 40 characters; this one has 41.",
    ),
    "criterion text with a NUL": (_criterion("criterion"), NUL, f"criterion text {UNSTORABLE}"),
    "self-assessment narrative with a NUL": (
        _narrative,
        NUL,
        f"The self-assessment narrative {UNSTORABLE}",
    ),
}


@pytest.mark.parametrize("attack", ATTACKS)
def test_a_value_the_field_cannot_hold_is_refused_and_changes_nothing(
    seeded: Session, settings: Settings, attack: str
) -> None:
    save, value, words = ATTACKS[attack]
    refused(seeded, lambda: save(seeded, settings, value), words)
    evidence = settings.evidence_dir
    assert not evidence.exists() or not any(p.is_file() for p in evidence.rglob("*"))


CLI_ATTACKS = {
    "meeting title": (
        ["meetings", "record", "--body", "CMT", "--title", "T" * 320, "--date", "2026-11-24"],
        "The meeting title can be at most 300 characters; this one has 320.",
    ),
    "account name": (
        ["users", "add", "long@council.gov.uk", "--role", "viewer", "--name", "N" * 201],
        "The name shown for the account can be at most 200 characters; this one has 201.",
    ),
}


@pytest.mark.parametrize("attack", CLI_ATTACKS)
def test_the_command_line_refuses_an_over_long_value_in_one_plain_line(
    engine: Engine,
    seeded: Session,
    attack: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    argv, words = CLI_ATTACKS[attack]
    before = rows(seeded)
    assert cli.main(argv) == BAD_INPUT
    err = capsys.readouterr().err
    assert words in err
    assert err.count("\n") == 1 and "Traceback" not in err and "Error" not in err
    seeded.rollback()
    assert rows(seeded) == before


def test_the_forms_stop_typing_at_what_the_database_can_hold(
    engine: Engine, seeded: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fields of My issues and Meetings take no more characters than their columns hold
    (read from the models), so a long paste is cut while typing, not refused after."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import ENTRY
    from tests.app.test_my_issues import open_card

    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    st.cache_data.clear()
    st.cache_resource.clear()
    lead = issue(seeded).lead_links[0].lead_id  # no accounts yet: the local administrator
    at = AppTest.from_file(ENTRY, default_timeout=30).run()
    at.query_params["lead"] = str(lead)
    at.switch_page("../pages/my_issues.py").run()
    open_card(at, issue(seeded).id)  # its forms
    fields = {box.label: box.proto.max_chars for box in [*at.text_input, *at.text_area]}
    at.switch_page("../pages/meetings.py").run()
    fields |= {f"meeting {box.label}": box.proto.max_chars for box in at.text_input}
    assert {
        label: fields.get(label)
        for label in (
            "Progress note",
            "Evidence link (optional)",
            "Title of the evidence (optional)",
            "Why is it changing?",
            "meeting Title",
        )
    } == {
        "Progress note": updates.MAX_NOTE_LENGTH,
        "Evidence link (optional)": 2000,
        "Title of the evidence (optional)": 300,
        "Why is it changing?": updates.MAX_NOTE_LENGTH,
        "meeting Title": 300,
    }
