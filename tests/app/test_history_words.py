"""History reads the same everywhere (issue 16, item 5): a note that left the status as it was
is "Note added", never "Not started → Not started"; a missing note is blank, never "nan" or
"None"; every time is written "19:20 on 1 Dec 2026"."""

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.cli.main import main
from dashboard.formats.words import NOTE_ADDED, change_words, format_day, note_text, time_text
from dashboard.reads.issues import issue_id_by_ref
from dashboard.reports.peer_pack.pdf import _change
from dashboard.rules.permissions import Actor
from dashboard.writes import updates
from models import Role
from tests.app.tables import tables

ADMIN = Actor(name="Ben Ade", role=Role.ADMIN)
NOTE = "Met the procurement team."


def note_only(session: Session, ref: str = "1.1") -> int:
    found = issue_id_by_ref(session, "eflg-developing", ref)
    assert found is not None
    updates.record_status_change(
        session=session,
        actor=ADMIN,
        issue_id=found[0],
        status="Not started",
        note=NOTE,
        expected_version=found[1],
    )
    return found[0]


def every_text(at: AppTest) -> str:
    frames = tables(at)
    return " ".join([m.value for m in at.markdown] + [frame.to_csv() for frame in frames])


def test_the_words_for_a_change() -> None:
    assert change_words("Not started", "Not started") == NOTE_ADDED == "Note added"
    assert change_words("Not started", "In progress") == "Not started → In progress"
    assert change_words(None, "Not started") == "(new) → Not started"
    assert _change("In progress", "In progress") == "Note added"  # the peer-challenge pack
    assert [note_text(v) for v in (None, float("nan"), " Done. ")] == ["", "", "Done."]
    at = datetime(2026, 12, 1, 19, 20, tzinfo=UTC)
    assert time_text(at) == format_day(at) == "19:20 on 1 Dec 2026"


def test_a_note_only_update_is_a_note_on_the_issue_page_and_the_overview(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    issue_id = note_only(seeded)
    page = app("issue", issue=str(issue_id))
    history = tables(page)[-1]
    assert list(history["Change"]) == ["Note added"]
    assert list(history["Note"]) == [NOTE]
    assert "Not started → Not started" not in every_text(page)
    assert " on " in history["When"].iloc[0]  # "19:20 on 1 Dec 2026"

    overview = app()
    changes = next(frame for frame in tables(overview) if "Change" in frame)
    assert changes.iloc[0]["Change"] == "Note added"
    assert "Not started → Not started" not in every_text(overview)
    assert "nan" not in list(changes["Note"]) and "None" not in list(changes["Note"])


def test_a_note_only_update_is_a_note_in_the_history_command(
    engine: Engine,
    seeded: Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    note_only(seeded)
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    assert main(["history", "--plan", "eflg-developing", "--out", "-"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["ref"], r["kind"], r["note"]) for r in rows] == [("1.1", "note", NOTE)]
