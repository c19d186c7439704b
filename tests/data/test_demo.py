"""Demo data is labelled, consistent, and never mixed into a database with real progress."""

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from dashboard.store.demo import DEMO_BY, DemoRefused, load_demo
from models import Issue, Plan, Status, StatusChange


def _quiet(_: str) -> None:
    return None


def test_council_demo_adds_progress_to_the_seed_plans(session: Session) -> None:
    load_demo(session, "council", progress=_quiet)
    changes = session.exec(select(func.count()).select_from(StatusChange)).one()
    assert 1_500 <= changes <= 2_500
    assert set(session.exec(select(StatusChange.by)).all()) == {DEMO_BY}
    # each issue's status is the last update's status
    for issue in session.exec(select(Issue)).all():
        last = session.exec(
            select(StatusChange)
            .where(StatusChange.issue_id == issue.id)
            .order_by(StatusChange.at.desc(), StatusChange.id.desc())
        ).first()
        assert last is not None and last.to_status == issue.status
    assert session.exec(select(func.count()).select_from(Plan)).one() == 4


def test_county_demo_is_labelled(session: Session) -> None:
    load_demo(session, "county", progress=_quiet)
    demo_plans = session.exec(select(Plan).where(Plan.slug.startswith("demo-"))).all()
    assert len(demo_plans) == 40
    assert all("(demo)" in p.title for p in demo_plans)
    issues = session.exec(
        select(func.count()).select_from(Issue).join(Plan).where(Plan.slug.startswith("demo-"))
    ).one()
    assert issues == 5_000
    done = session.exec(
        select(func.count()).select_from(Issue).where(Issue.status == Status.COMPLETE.value)
    ).one()
    assert 0 < done < issues


def test_demo_refuses_a_database_with_real_updates(seeded: Session) -> None:
    issue = seeded.exec(select(Issue)).first()
    assert issue is not None
    seeded.add(
        StatusChange(
            issue_id=issue.id,
            from_status="Not started",
            to_status="In progress",
            note="Real work",
            by="Asha Patel",
        )  # fmt: skip
    )
    seeded.commit()
    with pytest.raises(DemoRefused, match="real progress"):
        load_demo(seeded, "council", progress=_quiet)
    assert seeded.exec(select(func.count()).select_from(StatusChange)).one() == 1
