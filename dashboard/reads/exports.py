"""Plans as rows of text for export: one row per issue, in the export's columns (COLUMNS in
dashboard/formats/headers.py, which the importer reads back as one more layout)."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from dashboard.formats.headers import COLUMNS
from dashboard.reads.summaries import leads_by_issue
from models import Characteristic, Issue, IssueCharacteristic, Level, Plan, Section, pk


def export_rows(session: Session, plan_slug: str | None = None) -> list[dict[str, str]]:
    """Every issue (of one plan, or all) as a row of strings keyed by the export's COLUMNS."""
    query = (
        select(Issue, Plan.slug, Section.heading, Level.name)
        .join(Plan, col(Issue.plan_id) == Plan.id)
        .join(Section, col(Issue.section_id) == Section.id)
        .outerjoin(Level, col(Issue.level_id) == Level.id)
        .order_by(col(Plan.id), col(Issue.position))
    )
    if plan_slug:
        query = query.where(Plan.slug == plan_slug)
    results = session.exec(query).all()
    issue_ids = [issue.id for issue, *_ in results]
    leads = leads_by_issue(session, issue_ids)
    chars = characteristics_by_issue(session, issue_ids)
    return [
        dict(
            zip(
                COLUMNS,
                (  # in the order of headers.EXPORT_COLUMNS, which the importer reads back
                    slug,
                    heading,
                    issue.ref,
                    issue.text,
                    " / ".join(leads.get(pk(issue), [])),
                    level_name or "",
                    issue.status,
                    issue.own_rag or "",
                    issue.due_date.isoformat() if issue.due_date else "",
                    issue.due_precision or "",
                    issue.recurrence or "",
                    issue.timescale or "",
                    issue.measure or "",
                    "; ".join(chars.get(pk(issue), [])),
                ),
                strict=True,
            )
        )
        for issue, slug, heading, level_name in results
    ]


def characteristics_by_issue(
    session: Session, issue_ids: Sequence[int | None]
) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not issue_ids:
        return found
    rows = session.exec(
        select(IssueCharacteristic.issue_id, Characteristic.name)
        .join(Characteristic, col(IssueCharacteristic.characteristic_id) == Characteristic.id)
        .where(col(IssueCharacteristic.issue_id).in_(issue_ids))
        .order_by(col(IssueCharacteristic.issue_id), col(Characteristic.position))
    ).all()
    for issue_id, name in rows:
        found.setdefault(issue_id, []).append(name)
    return found
