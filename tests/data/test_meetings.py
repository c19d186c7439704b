"""Meetings: frozen snapshots, the since-last-meeting report, the burn-up and the CLI."""

from datetime import date

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from dashboard.cli.main import main
from dashboard.reads import meetings
from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, Actor, PermissionDenied
from dashboard.store.settings import Settings
from dashboard.writes import updates
from dashboard.writes.meetings import record_meeting
from models import Role

ADMIN = COMMAND_LINE_ADMIN
TODAY = date(2026, 6, 1)
PLAN = "eflg-developing"


def record(session: Session, title: str) -> int:
    meeting = record_meeting(
        session=session, actor=ADMIN, body="Corporate Management Team", title=title,
        held_on=TODAY, today=TODAY, amber_days=30,
    )  # fmt: skip
    assert meeting.id is not None
    return meeting.id


def ident(session: Session, ref: str) -> tuple[int, int]:
    found = issue_id_by_ref(session, PLAN, ref)
    assert found is not None
    return found


def set_status(session: Session, ref: str, status: str, note: str = "Done.") -> None:
    issue_id, version = ident(session, ref)
    updates.record_status_change(
        session=session, actor=ADMIN, issue_id=issue_id, status=status, note=note,
        expected_version=version,
    )  # fmt: skip


def set_due(session: Session, ref: str, due: date) -> None:
    issue_id, version = ident(session, ref)
    updates.change_due_date(
        session=session, actor=ADMIN, issue_id=issue_id, due_date=due, reason="Replanned.",
        expected_version=version,
    )  # fmt: skip


def refs(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["ref"].astype(str))


def test_a_snapshot_is_not_changed_by_later_edits(seeded: Session) -> None:
    meeting = record(seeded, "CMT quarterly update")
    before = meetings.snapshot(seeded, meeting)
    assert len(before) == 81 and set(before["status"]) == {"Not started"}

    set_status(seeded, "1.1", "Complete")
    set_due(seeded, "1.2", date(2026, 3, 1))
    issue_id, _ = ident(seeded, "1.3")
    updates.add_evidence(
        session=seeded, actor=ADMIN, issue_id=issue_id, title="Report", url="https://example.org/r",
        settings=Settings.from_env(),
    )  # fmt: skip

    after = meetings.snapshot(seeded, meeting)
    pd.testing.assert_frame_equal(before, after)
    now = meetings.issue_states(seeded, TODAY, 30)
    changed = now[now["issue_id"] == ident(seeded, "1.1")[0]]
    assert changed["status"].tolist() == ["Complete"]  # ...while the issue itself did change


def test_the_report_lists_exactly_the_changes_between_two_snapshots(seeded: Session) -> None:
    set_due(seeded, "1.3", date(2027, 1, 31))
    set_due(seeded, "2.1", date(2026, 12, 31))
    first = record(seeded, "CMT quarterly update")

    set_status(seeded, "1.1", "Complete", "Hub launched.")
    set_due(seeded, "1.3", date(2027, 3, 31))  # slipped
    set_due(seeded, "2.1", date(2026, 3, 1))  # brought forward, now overdue
    issue_id, _ = ident(seeded, "2.2")
    updates.add_evidence(
        session=seeded, actor=ADMIN, issue_id=issue_id, title="Minutes", url="https://example.org/m",
        settings=Settings.from_env(),
    )  # fmt: skip
    second = record(seeded, "Scrutiny committee")
    set_status(seeded, "3.1", "Complete", "After the second meeting.")

    changes = meetings.changes_between(seeded, first, second, today=TODAY, amber_days=30)
    assert refs(changes.newly_complete) == ["1.1"]
    assert refs(changes.newly_overdue) == ["2.1"]
    assert refs(changes.rag_changes) == ["1.1", "2.1"]
    assert refs(changes.slipped) == ["1.3"]
    assert refs(changes.notes) == ["1.1"] and changes.notes["note"].tolist() == ["Hub launched."]
    assert refs(changes.evidence) == ["2.2"]
    assert changes.new_issues.empty
    assert changes.counts() == {
        "Newly complete": 1, "Newly overdue": 1, "RAG changed": 2, "Due date slipped": 1,
        "New progress notes": 1, "New evidence": 1,
    }  # fmt: skip

    since_then = meetings.changes_between(seeded, second, None, today=TODAY, amber_days=30)
    assert refs(since_then.newly_complete) == ["3.1"]
    assert refs(since_then.notes) == ["3.1"] and since_then.evidence.empty
    other_plan = meetings.changes_between(
        seeded, second, None, today=TODAY, amber_days=30, plan_id=2
    )
    assert other_plan.empty


def test_changes_are_counted_per_theme_and_per_lead(seeded: Session) -> None:
    first = record(seeded, "CMT")
    set_status(seeded, "1.1", "Complete")
    set_status(seeded, "2.1", "In progress", "Started.")
    changes = meetings.changes_between(seeded, first, None, today=TODAY, amber_days=30)
    issues = meetings.issue_states(seeded, TODAY, 30)
    by_theme = meetings.changes_by(changes, issues, "section_heading").set_index("section_heading")
    assert by_theme["Newly complete"].sum() == 1
    assert by_theme["New progress notes"].sum() == 2
    assert len(by_theme) == 2  # only the two themes that changed
    by_lead = meetings.changes_by(changes, issues, "leads")
    assert by_lead["New progress notes"].sum() >= 2


def test_only_an_admin_records_a_meeting_and_it_needs_a_title(seeded: Session) -> None:
    officer = Actor(name="Asha", role=Role.OFFICER)
    with pytest.raises(PermissionDenied):
        record_meeting(
            session=seeded, actor=officer, body="CMT", title="Update", held_on=TODAY,
            today=TODAY, amber_days=30,
        )  # fmt: skip
    with pytest.raises(meetings.MeetingError, match="title"):
        record_meeting(
            session=seeded, actor=ADMIN, body="CMT", title="  ", held_on=TODAY, today=TODAY,
            amber_days=30,
        )  # fmt: skip
    assert meetings.meetings(seeded).empty


def test_the_burn_up_counts_issues_complete_over_time(seeded: Session) -> None:
    set_status(seeded, "1.1", "Complete")
    set_status(seeded, "1.2", "Embedded")
    set_status(seeded, "1.2", "In progress", "Reopened.")
    plan_id = int(meetings.issue_states(seeded, TODAY, 30).iloc[0]["plan_id"])
    burn = meetings.burn_up(seeded, plan_id, today=date(2099, 1, 1))
    assert burn["complete"].iloc[-1] == 1
    assert burn["day"].iloc[-1] == date(2099, 1, 1)


def test_meetings_from_the_command_line(
    seeded: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    code = main(
        ["meetings", "record", "--body", "Scrutiny committee", "--title", "Annual review",
         "--date", "2026-11-23"]
    )  # fmt: skip
    assert code == 0
    assert main(["meetings", "list"]) == 0
    out = capsys.readouterr().out
    assert "23 Nov 2026" in out and "Scrutiny committee: Annual review" in out
    assert main(["meetings", "record", "--body", "CMT", "--title", "X", "--date", "23/11"]) == 2
