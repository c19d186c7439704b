"""The write functions behind My issues and `python -m dashboard update`: who may do what, what
is recorded, and how a save over someone else's change is refused."""

import pickle
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from dashboard.formats.sheets import rows_to_csv
from dashboard.formats.words import time_text
from dashboard.reads.accounts import resolve_leads
from dashboard.reads.issues import (
    HISTORY_COLUMNS,
    EvidenceItem,
    IssueForUpdate,
    RecentUpdate,
    evidence_of,
    history_rows,
    issue_id_by_ref,
    issues_for_update,
    recent_updates,
)
from dashboard.rules.accounts import AccountRefused, SignInExpired, SignInRefused
from dashboard.rules.permissions import Actor, PermissionDenied
from dashboard.store import evidence_files
from dashboard.store.settings import Settings
from dashboard.writes import accounts, updates
from models import DueDateChange, Evidence, Issue, Lead, Role, StatusChange, User, utcnow

PLAN = "eflg-developing"
ADMIN = Actor(name="Equality Lead", role=Role.ADMIN)
VIEWER = Actor(name="Cllr Viewer", role=Role.VIEWER)


def lead_id(session: Session, name: str) -> int:
    found = session.exec(select(Lead.id).where(Lead.name == name)).one()
    assert found is not None
    return found


def issue(session: Session, ref: str, plan: str = PLAN) -> Issue:
    found = issue_id_by_ref(session, plan, ref)
    assert found is not None
    got = session.get(Issue, found[0], populate_existing=True)
    assert got is not None
    return got


@pytest.fixture
def officer(seeded: Session) -> Actor:
    """Asha acts for the Improvement and Efficiency Officer, who leads 2.9 but not 1.1."""
    return Actor(
        name="Asha Patel",
        role=Role.OFFICER,
        lead_ids=frozenset({lead_id(seeded, "Improvement and Efficiency Officer")}),
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url="unused",
        evidence_dir=tmp_path / "evidence",
        max_evidence_mb=1,
        rag_amber_days=30,
    )


def count(session: Session, table: type) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


# ---------------------------------------------------------------- role x action matrix

Action = Callable[[Session, Actor, Issue, Settings], object]

ACTIONS: dict[str, Action] = {
    "status": lambda s, a, i, _: updates.record_status_change(
        session=s,
        actor=a,
        issue_id=i.id,
        status="Complete",
        note="Done.",
        expected_version=i.version,
    ),
    "form": lambda s, a, i, st: updates.record_update(
        session=s,
        actor=a,
        issue_id=i.id,
        expected_version=i.version,
        status="In progress",
        note="Started.",
        evidence_url="https://intranet.example.org/eia",
        settings=st,
    ),
    "evidence": lambda s, a, i, st: updates.add_evidence(
        session=s,
        actor=a,
        issue_id=i.id,
        title="Minutes",
        upload=updates.EvidenceUpload("minutes.txt", b"Agreed."),
        settings=st,
    ),
    "due date": lambda s, a, i, _: updates.change_due_date(
        session=s,
        actor=a,
        issue_id=i.id,
        due_date=date(2027, 3, 31),
        reason="Waiting for the census release.",
        expected_version=i.version,
    ),
    "bulk": lambda s, a, i, _: updates.bulk_update(
        session=s, actor=a, changes=[updates.IssueChange(i.id, i.version, "In progress", "")]
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("who", "ref", "allowed"),
    [
        ("admin", "1.1", True),
        ("admin", "2.9", True),
        ("officer", "2.9", True),  # their lead's issue
        ("officer", "1.1", False),  # another lead's issue
        ("viewer", "2.9", False),
        ("viewer", "1.1", False),
    ],
)
def test_role_action_matrix(
    seeded: Session,
    officer: Actor,
    settings: Settings,
    action: str,
    who: str,
    ref: str,
    allowed: bool,
) -> None:
    actor = {"admin": ADMIN, "officer": officer, "viewer": VIEWER}[who]
    target = issue(seeded, ref)
    before = (count(seeded, StatusChange), count(seeded, Evidence), count(seeded, DueDateChange))
    if allowed:
        ACTIONS[action](seeded, actor, target, settings)
        after = (count(seeded, StatusChange), count(seeded, Evidence), count(seeded, DueDateChange))
        assert after != before
    else:
        with pytest.raises(PermissionDenied) as refused:
            ACTIONS[action](seeded, actor, target, settings)
        expected = "not one" if who == "officer" else "can read the plans but not change"
        assert expected in str(refused.value)
        seeded.rollback()
        after = (count(seeded, StatusChange), count(seeded, Evidence), count(seeded, DueDateChange))
        assert after == before
        assert issue(seeded, ref).version == target.version
        assert not settings.evidence_dir.exists() or not any(settings.evidence_dir.rglob("*.*"))


# ---------------------------------------------------------------- status changes


def test_status_change_is_recorded_with_who_and_note(seeded: Session, officer: Actor) -> None:
    target = issue(seeded, "2.9")
    saved = updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        status="Complete",
        note="Pre-assessment now in every tender.",
        expected_version=1,
    )
    assert saved.status == "Complete" and saved.version == 2
    assert saved.updated_by == "Asha Patel"
    change = seeded.exec(select(StatusChange).where(StatusChange.issue_id == target.id)).one()
    assert (change.from_status, change.to_status, change.by) == (
        "Not started",
        "Complete",
        "Asha Patel",
    )
    assert change.note == "Pre-assessment now in every tender."


@pytest.mark.parametrize("status", ["Complete", "Embedded", "Not applicable"])
def test_note_is_required_to_finish_an_issue(seeded: Session, officer: Actor, status: str) -> None:
    target = issue(seeded, "2.9")
    with pytest.raises(
        updates.UpdateRefused, match=f"Write a progress note to mark issue 2.9 as {status}"
    ):
        updates.record_status_change(
            session=seeded,
            actor=officer,
            issue_id=target.id,
            status=status,
            note="  ",
            expected_version=1,
        )
    assert issue(seeded, "2.9").status == "Not started"
    assert count(seeded, StatusChange) == 0


def test_in_progress_needs_no_note_but_an_empty_save_is_refused(
    seeded: Session, officer: Actor
) -> None:
    target = issue(seeded, "2.9")
    updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        status="In progress",
        note=None,
        expected_version=1,
    )
    with pytest.raises(updates.UpdateRefused, match="Nothing to save"):
        updates.record_status_change(
            session=seeded,
            actor=officer,
            issue_id=target.id,
            status="In progress",
            note="",
            expected_version=2,
        )
    with pytest.raises(updates.UpdateRefused, match="is not a status"):
        updates.record_status_change(
            session=seeded,
            actor=officer,
            issue_id=target.id,
            status="Done",
            note="x",
            expected_version=2,
        )


def test_second_save_over_a_newer_change_is_refused_with_who_and_when(
    seeded: Session, officer: Actor
) -> None:
    target = issue(seeded, "2.9")
    updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        status="In progress",
        note="Drafting the checklist.",
        expected_version=1,
    )
    with pytest.raises(updates.Conflict) as conflict:
        updates.record_status_change(
            session=seeded,
            actor=ADMIN,
            issue_id=target.id,
            status="Complete",
            note="Done, I think.",
            expected_version=1,
        )
    assert conflict.value.by == "Asha Patel"
    assert conflict.value.at is not None
    message = str(conflict.value)
    assert message.startswith("Asha Patel changed issue 2.9 at ")
    assert message.endswith("while you were editing.")
    assert time_text(conflict.value.at) in message
    assert issue(seeded, "2.9").status == "In progress"
    assert count(seeded, StatusChange) == 1


def test_stale_write_after_the_check_becomes_a_conflict(
    engine: object, seeded: Session, officer: Actor
) -> None:
    """The race between the version check and the write: the write itself is conditional on
    the version read, so a save that slipped in between is never overwritten."""
    from sqlalchemy import update as sa_update

    target = issue(seeded, "2.9")
    seeded.commit()
    original = updates._current
    with seeded.get_bind().connect() as connection:  # type: ignore[union-attr]
        seen = original(connection, officer, target.id, 1)  # what the check saw...
    with Session(seeded.get_bind()) as other:  # ...then Ben saves before the write
        other.execute(
            sa_update(Issue)
            .where(col(Issue.id) == target.id)
            .values(version=Issue.version + 1, updated_by="Ben Ade", status="In progress")
        )
        other.commit()
    updates._current = lambda *_args: seen  # type: ignore[assignment]
    try:
        with pytest.raises(updates.Conflict, match="Ben Ade changed issue 2.9"):
            updates.record_status_change(
                session=seeded,
                actor=officer,
                issue_id=target.id,
                status="Complete",
                note="Done.",
                expected_version=1,
            )
    finally:
        updates._current = original
    assert count(seeded, StatusChange) == 0
    assert issue(seeded, "2.9").status == "In progress"


# ---------------------------------------------------------------- bulk, evidence, due dates


def test_bulk_update_is_all_or_nothing(seeded: Session, officer: Actor) -> None:
    first, second = issue(seeded, "2.4"), issue(seeded, "2.5")
    bad = [
        updates.IssueChange(first.id, first.version, "In progress", "Started."),
        updates.IssueChange(second.id, second.version, "Complete", ""),  # no note
    ]
    with pytest.raises(updates.UpdateRefused, match="Nothing was saved.*issue 2.5 as Complete"):
        updates.bulk_update(session=seeded, actor=officer, changes=bad)
    assert issue(seeded, "2.4").status == "Not started"
    assert count(seeded, StatusChange) == 0

    outside = issue(seeded, "1.1")
    with pytest.raises(PermissionDenied):
        updates.bulk_update(
            session=seeded,
            actor=officer,
            changes=[
                updates.IssueChange(first.id, first.version, "In progress", ""),
                updates.IssueChange(outside.id, outside.version, "In progress", ""),
            ],
        )
    assert issue(seeded, "2.4").status == "Not started"

    good = [
        updates.IssueChange(first.id, first.version, "In progress", "Started."),
        updates.IssueChange(second.id, second.version, "Complete", "Guidance published."),
    ]
    saved = updates.bulk_update(session=seeded, actor=officer, changes=good)
    assert [i.status for i in saved] == ["In progress", "Complete"]
    assert count(seeded, StatusChange) == 2


def test_file_evidence_is_stored_and_bad_files_leave_nothing(
    seeded: Session, officer: Actor, settings: Settings
) -> None:
    target = issue(seeded, "2.9")
    kept = updates.add_evidence(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        title="",
        upload=updates.EvidenceUpload("../Tender checklist.csv", b"step,done\n1,yes\n"),
        settings=settings,
    )
    assert kept[0].title == "Tender checklist.csv"
    assert kept[0].stored_path is not None
    stored = settings.evidence_dir / kept[0].stored_path
    assert stored.read_bytes() == b"step,done\n1,yes\n"
    assert stored.resolve().is_relative_to(settings.evidence_dir.resolve())

    files_before = sorted(settings.evidence_dir.rglob("*.*"))
    with pytest.raises(evidence_files.EvidenceRefused, match="not really a .xlsx file"):
        updates.record_update(
            session=seeded,
            actor=officer,
            issue_id=target.id,
            expected_version=target.version,
            status="Complete",
            note="See the attached.",
            upload=updates.EvidenceUpload("checklist.xlsx", b"PK\x03\x04 not really"),
            settings=settings,
        )
    assert issue(seeded, "2.9").status == "Not started"
    with pytest.raises(updates.UpdateRefused, match="must be a web address"):
        updates.record_update(
            session=seeded,
            actor=officer,
            issue_id=target.id,
            expected_version=target.version,
            status="Complete",
            note="See the link.",
            evidence_url="javascript:alert(1)",
            settings=settings,
        )
    assert sorted(settings.evidence_dir.rglob("*.*")) == files_before
    assert count(seeded, Evidence) == 1


def test_a_failed_status_save_removes_the_file_it_stored(
    seeded: Session, officer: Actor, settings: Settings
) -> None:
    target = issue(seeded, "2.9")
    with pytest.raises(updates.Conflict):
        updates.record_update(
            session=seeded,
            actor=officer,
            issue_id=target.id,
            expected_version=99,
            status="Complete",
            note="Done.",
            upload=updates.EvidenceUpload("proof.txt", b"done"),
            settings=settings,
        )
    assert not settings.evidence_dir.exists() or not any(settings.evidence_dir.rglob("*.*"))


def test_due_date_change_records_the_reason(seeded: Session, officer: Actor) -> None:
    target = issue(seeded, "2.9")
    with pytest.raises(updates.UpdateRefused, match="Say why"):
        updates.change_due_date(
            session=seeded,
            actor=officer,
            issue_id=target.id,
            due_date=date(2027, 1, 31),
            reason=" ",
            expected_version=1,
        )
    moved = updates.change_due_date(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        due_date=date(2027, 1, 31),
        reason="Procurement rules change in January.",
        expected_version=1,
    )
    assert (moved.due_date, moved.due_precision, moved.version) == (date(2027, 1, 31), "day", 2)
    change = seeded.exec(select(DueDateChange)).one()
    assert change.to_due == date(2027, 1, 31) and change.by == "Asha Patel"
    assert change.reason == "Procurement rules change in January."


def test_my_issues_lists_overdue_first(seeded: Session, officer: Actor) -> None:
    today = date(2026, 11, 24)
    late, later = issue(seeded, "2.5"), issue(seeded, "2.4")
    updates.change_due_date(
        session=seeded,
        actor=officer,
        issue_id=later.id,
        due_date=today + timedelta(days=30),
        reason="Agreed.",
        expected_version=1,
    )
    updates.change_due_date(
        session=seeded,
        actor=officer,
        issue_id=late.id,
        due_date=today - timedelta(days=3),
        reason="Agreed.",
        expected_version=1,
    )
    rows = issues_for_update(seeded, lead_ids=officer.lead_ids, today=today)
    assert rows[0].ref == "2.5"
    assert [row.overdue for row in rows] == [True] + [False] * (len(rows) - 1)
    assert {row.ref for row in rows} == {"1.3", "2.2", "2.4", "2.5", "2.8", "2.9"}
    assert {row.ref: row.leads for row in rows}["2.9"] == (
        "Improvement and Efficiency Officer / Mel Staton / Corporate Management Team"
    )
    updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=late.id,
        status="Complete",
        note="Done.",
        expected_version=2,
    )
    rows = issues_for_update(seeded, lead_ids=officer.lead_ids, today=today)
    assert not any(row.overdue for row in rows)


def test_update_screen_rows_are_typed_with_none_for_missing_values(
    seeded: Session, officer: Actor, settings: Settings
) -> None:
    target = issue(seeded, "2.9")
    assert target.due_date is None  # the plan gives it a timescale, no date
    updates.add_evidence(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        title="Tender checklist",
        upload=updates.EvidenceUpload("checklist.csv", b"step,done\n1,yes\n"),
        settings=settings,
    )
    updates.add_evidence(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        title="Minutes",
        url="https://council.example/minutes",
        settings=settings,
    )
    updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        status="In progress",
        note="Started.",
        expected_version=issue(seeded, "2.9").version,
    )
    rows = issues_for_update(seeded, lead_ids=officer.lead_ids, today=date(2026, 11, 24))
    assert all(isinstance(row, IssueForUpdate) for row in rows)
    row = {row.ref: row for row in rows}["2.9"]
    assert row.issue_id == target.id and isinstance(row.issue_id, int)
    assert (row.due_date, row.status, row.overdue) == (None, "In progress", False)
    assert row.version == issue(seeded, "2.9").version
    assert rows == pickle.loads(pickle.dumps(rows))  # what a cached read keeps
    file, link = evidence_of(seeded, [row.issue_id])
    assert isinstance(file, EvidenceItem) and isinstance(link, EvidenceItem)
    assert (file.title, file.file_name, file.url) == ("Tender checklist", "checklist.csv", None)
    assert file.stored_path is not None
    assert (link.title, link.url, link.stored_path, link.file_name) == (
        "Minutes",
        "https://council.example/minutes",
        None,
        None,
    )
    [change] = recent_updates(seeded, [row.issue_id])
    assert isinstance(change, RecentUpdate)
    assert (change.from_status, change.to_status, change.note, change.by) == (
        "Not started",
        "In progress",
        "Started.",
        "Asha Patel",
    )


def test_history_rows_neutralise_formulas(seeded: Session, officer: Actor) -> None:
    target = issue(seeded, "2.9")
    updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        status="Complete",
        note='=HYPERLINK("http://evil.example","click")',
        expected_version=1,
    )
    rows = history_rows(seeded, PLAN)
    assert [(r["plan"], r["ref"], r["from"], r["to"], r["by"]) for r in rows] == [
        (PLAN, "2.9", "Not started", "Complete", "Asha Patel")
    ]
    text = rows_to_csv(rows, HISTORY_COLUMNS)
    assert text.splitlines()[0] == "plan,ref,kind,from,to,note,by,at"
    assert "'=HYPERLINK" in text
    assert history_rows(seeded, "race-equality-scheme-2008-11") == []


def test_history_rows_hold_due_date_changes_beside_status_changes(
    seeded: Session, officer: Actor
) -> None:
    target = issue(seeded, "2.9")
    updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        status="In progress",
        note="Started.",
        expected_version=1,
    )
    updates.change_due_date(
        session=seeded,
        actor=officer,
        issue_id=target.id,
        due_date=date(2027, 1, 31),
        reason="=Procurement rules change in January.",
        expected_version=2,
    )
    rows = history_rows(seeded, PLAN)
    assert [(r["ref"], r["kind"], r["from"], r["to"], r["by"]) for r in rows] == [
        ("2.9", "status", "Not started", "In progress", "Asha Patel"),
        ("2.9", "due date", "", "2027-01-31", "Asha Patel"),
    ]
    assert rows[1]["note"] == "=Procurement rules change in January."
    assert "'=Procurement rules change" in rows_to_csv(rows, HISTORY_COLUMNS)  # never run as one


# ---------------------------------------------------------------- accounts and sign-in


def add_officer(session: Session, email: str = "asha.patel@council.gov.uk") -> User:
    return accounts.add_user(
        session=session,
        actor=ADMIN,
        email=email,
        role="officer",
        lead_ids=[lead_id(session, "Improvement and Efficiency Officer")],
        password="correct horse battery",
    )


def test_local_sign_in_locks_after_five_failures(seeded: Session) -> None:
    add_officer(seeded)
    settings = Settings.from_env()
    for _ in range(4):
        with pytest.raises(SignInRefused, match="do not match an account"):
            accounts.sign_in(
                session=seeded,
                email="asha.patel@council.gov.uk",
                password="wrong",
                settings=settings,
            )
    with pytest.raises(SignInRefused, match="do not match an account"):
        accounts.sign_in(
            session=seeded, email="asha.patel@council.gov.uk", password="wrong", settings=settings
        )
    # even the right password is refused while locked
    with pytest.raises(SignInRefused, match="do not match an account"):
        accounts.sign_in(
            session=seeded,
            email="Asha.Patel@council.gov.uk",
            password="correct horse battery",
            settings=settings,
        )
    later = utcnow() + timedelta(minutes=16)
    actor = accounts.sign_in(
        session=seeded,
        email="asha.patel@council.gov.uk",
        password="correct horse battery",
        settings=settings,
        now=later,
    )
    assert actor.role is Role.OFFICER and actor.name == "Asha Patel"
    assert actor.lead_ids == {lead_id(seeded, "Improvement and Efficiency Officer")}


def test_unknown_and_disabled_accounts_cannot_sign_in(seeded: Session) -> None:
    add_officer(seeded)
    settings = Settings.from_env()
    with pytest.raises(SignInRefused, match="do not match an account"):
        accounts.sign_in(
            session=seeded, email="nobody@council.gov.uk", password="whatever", settings=settings
        )
    accounts.disable_user(session=seeded, actor=ADMIN, email="asha.patel@council.gov.uk")
    with pytest.raises(SignInRefused, match="do not match an account"):
        accounts.sign_in(
            session=seeded,
            email="asha.patel@council.gov.uk",
            password="correct horse battery",
            settings=settings,
        )


def test_oidc_claims_map_to_accounts(seeded: Session) -> None:
    add_officer(seeded)
    fresh = {
        "iss": "https://login.example.org",
        "sub": "asha",
        "email": "ASHA.PATEL@council.gov.uk",
        "email_verified": True,
        "exp": utcnow().timestamp() + 600,
    }
    actor = accounts.actor_from_claims(session=seeded, claims=fresh, unknown_email="refuse")
    assert actor.role is Role.OFFICER and actor.email == "asha.patel@council.gov.uk"
    with pytest.raises(SignInExpired):
        accounts.actor_from_claims(
            session=seeded, claims={**fresh, "exp": fresh["exp"] - 1200}, unknown_email="refuse"
        )
    stranger = {**fresh, "sub": "cllr", "email": "cllr.jones@council.gov.uk", "name": "Cllr Jones"}
    with pytest.raises(SignInRefused, match="does not match an account"):
        accounts.actor_from_claims(session=seeded, claims=stranger, unknown_email="refuse")
    viewer = accounts.actor_from_claims(session=seeded, claims=stranger, unknown_email="viewer")
    assert (viewer.role, viewer.name, viewer.user_id) == (Role.VIEWER, "Cllr Jones", None)


def test_only_admins_manage_accounts_and_one_admin_remains(seeded: Session, officer: Actor) -> None:
    with pytest.raises(PermissionDenied):
        accounts.add_user(session=seeded, actor=officer, email="x@council.gov.uk", role="admin")
    with pytest.raises(AccountRefused, match="needs at least one lead"):
        accounts.add_user(session=seeded, actor=ADMIN, email="x@council.gov.uk", role="officer")
    boss = accounts.add_user(session=seeded, actor=ADMIN, email="lead@council.gov.uk", role="admin")
    with pytest.raises(AccountRefused, match="already an account"):
        accounts.add_user(session=seeded, actor=ADMIN, email="Lead@Council.gov.uk", role="viewer")
    with pytest.raises(AccountRefused, match="last active equality lead"):
        accounts.update_user(session=seeded, actor=ADMIN, email=boss.email, role="viewer")
    with pytest.raises(AccountRefused, match="last active equality lead"):
        accounts.disable_user(session=seeded, actor=ADMIN, email=boss.email)
    assert seeded.exec(select(User.role).where(User.email == boss.email)).one() == "admin"


def test_leads_are_matched_by_name_or_alias(seeded: Session) -> None:
    improvement = lead_id(seeded, "The Improvement Unit")
    assert resolve_leads(seeded, ["improvement unit"]) == [improvement]
    assert resolve_leads(seeded, ["THE IMPROVEMENT UNIT", "Improvement Unit"]) == [improvement]
    with pytest.raises(AccountRefused, match="more than one organisation"):
        resolve_leads(seeded, ["CMT"])
    hampshire = resolve_leads(seeded, ["CMT"], "Hampshire County Council")
    assert len(hampshire) == 1
    with pytest.raises(AccountRefused, match="No lead is called 'Parks'"):
        resolve_leads(seeded, ["Parks"])
