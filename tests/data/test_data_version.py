"""Every kind of write moves the data version that app servers compare; reads do not."""

from datetime import date

from sqlmodel import Session, select

from dashboard.formats.headers import COLUMNS
from dashboard.formats.sheets import rows_to_csv
from dashboard.reads.exports import export_rows
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import data_version
from dashboard.writes.import_plan import ImportOptions, ImportPreview, run_import
from dashboard.writes.meetings import record_meeting
from dashboard.writes.updates import record_status_change
from models import Issue, Lead


def _import(session: Session, rows: list[dict[str, str]]) -> ImportPreview:
    """Import exported rows as the command line does (written, unless a row is wrong)."""
    data = rows_to_csv(rows, COLUMNS).encode()
    options = ImportOptions()
    return run_import(
        session, data, "plan.csv", actor=COMMAND_LINE_ADMIN, options=options, dry_run=False
    )


def test_each_write_moves_the_version_and_reads_do_not(seeded: Session) -> None:
    start = data_version(seeded)
    assert start > 0  # seeding wrote
    export_rows(seeded)
    seeded.exec(select(Issue)).all()
    assert data_version(seeded) == start

    issue = seeded.exec(select(Issue).where(Issue.ref == "2.9")).first()
    assert issue is not None
    record_status_change(
        session=seeded,
        actor=COMMAND_LINE_ADMIN,
        issue_id=issue.id or 0,
        status="In progress",
        note="Started",
        expected_version=issue.version,
    )
    after_update = data_version(seeded)
    assert after_update > start

    lead = seeded.exec(select(Lead).where(Lead.name == "PR")).one()
    lead.description = "Press and public relations"  # an edit that adds no row anywhere
    seeded.add(lead)
    seeded.commit()
    after_edit = data_version(seeded)
    assert after_edit > after_update

    record_meeting(  # snapshot rows are written as one bulk INSERT
        session=seeded,
        actor=COMMAND_LINE_ADMIN,
        body="Corporate Management Team",
        title="CMT",
        held_on=date(2026, 11, 1),
        today=date(2026, 11, 1),
        amber_days=30,
    )
    after_meeting = data_version(seeded)
    assert after_meeting > after_edit

    rows = export_rows(seeded, "eflg-developing")
    rows[0]["status"] = "Complete"
    result = _import(seeded, rows)
    assert result.ok
    assert data_version(seeded) > after_meeting


def test_a_refused_write_leaves_the_version(seeded: Session) -> None:
    start = data_version(seeded)
    rows = export_rows(seeded, "eflg-developing")
    rows[0]["status"] = "Finished"
    assert not _import(seeded, rows).ok
    assert data_version(seeded) == start
