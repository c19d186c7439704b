"""Races: two people press Save at the same instant, from the same screen (the same version), on
SQLite and PostgreSQL. Each thread has its own Session; a Barrier releases them together, and
the race is run several rounds, since one lucky round proves little. Every round, exactly one
save wins, the other is refused in plain words saying someone else saved first, and the record
gains exactly one row."""

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func
from sqlmodel import Session, SQLModel, select

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor
from dashboard.store.settings import Settings
from dashboard.writes import criteria, levels, meetings, updates
from models import DueDateChange, Evidence, Issue, Plan, Role, StatusChange, Theme
from models.levels import Criterion, IssueCriterion, SelfAssessment
from models.meeting import Meeting

ROUNDS = 4
PEOPLE = (Actor(name="Asha Patel", role=Role.ADMIN), Actor(name="Ben Ade", role=Role.ADMIN))
CONFLICT = "while you were editing"


def race(engine: Engine, saves: list[Callable[[Session], Any]]) -> list[Any]:
    """Run each save in a thread of its own with a Session of its own, released together; each
    result is what the save returned or what it raised."""
    barrier = threading.Barrier(len(saves))
    results: list[Any] = [None] * len(saves)

    def run(n: int) -> None:
        with Session(engine, expire_on_commit=False) as session:
            barrier.wait()
            try:
                results[n] = saves[n](session)
            except BaseException as raised:  # reported below, as the person would see it
                results[n] = raised

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(saves))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def one_winner(results: list[Any], words: str) -> None:
    """Exactly one save went through; the other was refused with `words`, never a traceback."""
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(refused) == 1, f"{len(refused)} of {len(results)} saves were refused: {results}"
    assert isinstance(refused[0], Refused), f"not a plain refusal: {refused[0]!r}"
    assert words in str(refused[0])


def count(engine: Engine, table: type[SQLModel], *where: Any) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(table).where(*where)).one()


@dataclass
class Scene:
    engine: Engine
    issue_id: int
    other_id: int
    settings: Settings

    def version(self, issue_id: int | None = None) -> int:
        with Session(self.engine) as session:
            found = session.get(Issue, issue_id or self.issue_id)
            assert found is not None
            return found.version


@pytest.fixture
def scene(engine: Engine, seeded: Session, tmp_path: Path) -> Scene:
    first = issue_id_by_ref(seeded, "eflg-developing", "2.9")
    second = issue_id_by_ref(seeded, "eflg-developing", "2.8")
    assert first and second
    settings = Settings(
        database_url=str(engine.url), evidence_dir=tmp_path, max_evidence_mb=5, rag_amber_days=30
    )
    return Scene(engine, first[0], second[0], settings)


def _status(scene: Scene, seen: int, n: int, rnd: int) -> Callable[[Session], Any]:
    return lambda s: updates.record_status_change(
        session=s,
        actor=PEOPLE[n],
        issue_id=scene.issue_id,
        status=("In progress", "Complete")[n],
        note=f"Round {rnd}: done by {PEOPLE[n].name}.",
        expected_version=seen,
    )


def _due(scene: Scene, seen: int, n: int, rnd: int) -> Callable[[Session], Any]:
    return lambda s: updates.change_due_date(
        session=s,
        actor=PEOPLE[n],
        issue_id=scene.issue_id,
        due_date=date(2027, 1, 1) + timedelta(days=10 * rnd + n),
        reason=f"Moved by {PEOPLE[n].name}.",
        expected_version=seen,
    )


def _evidence(scene: Scene, seen: int, n: int, rnd: int) -> Callable[[Session], Any]:
    return lambda s: updates.record_update(
        session=s,
        actor=PEOPLE[n],
        issue_id=scene.issue_id,
        expected_version=seen,
        status="Not started",
        evidence_title=f"Minutes {rnd}{n}",
        evidence_url=f"https://intranet.example.org/minutes/{rnd}/{n}",
        settings=scene.settings,
    )


def _bulk(scene: Scene, seen: int, n: int, rnd: int) -> Callable[[Session], Any]:
    both = [
        updates.IssueChange(scene.issue_id, seen, "In progress", f"{rnd}: {PEOPLE[n].name}"),
        updates.IssueChange(
            scene.other_id, scene.version(scene.other_id), "In progress", f"{rnd}/{n}"
        ),
    ]
    return lambda s: updates.bulk_update(session=s, actor=PEOPLE[n], changes=both)


# (the save, the history it adds to, counted for the issue)
ISSUE_SAVES = {
    "status": (_status, StatusChange),
    "due date": (_due, DueDateChange),
    "evidence": (_evidence, Evidence),
    "bulk": (_bulk, StatusChange),
}


@pytest.mark.parametrize("kind", ISSUE_SAVES)
def test_two_saves_of_an_issue_from_the_same_version(scene: Scene, kind: str) -> None:
    save, history = ISSUE_SAVES[kind]
    for rnd in range(ROUNDS):
        seen = scene.version()
        rows = count(scene.engine, history, history.issue_id == scene.issue_id)  # type: ignore[attr-defined]
        results = race(scene.engine, [save(scene, seen, n, rnd) for n in range(2)])
        one_winner(results, CONFLICT)
        assert count(scene.engine, history, history.issue_id == scene.issue_id) == rows + 1  # type: ignore[attr-defined]
        assert scene.version() == seen + 1


def between_check_and_write(
    engine: Engine, first: Callable[[Session], Any], second: Callable[[Session], Any]
) -> list[Any]:
    """The worst moment, made certain: `second` runs whole (or as far as it may) while `first`
    has read the issue and not yet written it. Where the database lets no one write between
    the two (SQLite), `second` waits its turn after two seconds."""
    results: list[Any] = [None, None]
    here = threading.current_thread()
    started: list[threading.Thread] = []

    def run(n: int, save: Callable[[Session], Any]) -> None:
        with Session(engine, expire_on_commit=False) as session:
            try:
                results[n] = save(session)
            except BaseException as raised:
                results[n] = raised

    def in_between(_c: Any, _cursor: Any, statement: str, *_: Any) -> None:
        reads_the_issue = (
            statement.lstrip().upper().startswith("SELECT") and "issuelead" in statement
        )
        if threading.current_thread() is here and reads_the_issue and not started:
            started.append(threading.Thread(target=run, args=(1, second)))
            started[0].start()
            started[0].join(timeout=2)

    event.listen(engine, "after_cursor_execute", in_between)
    try:
        run(0, first)
    finally:
        event.remove(engine, "after_cursor_execute", in_between)
    assert started, "the first save never read the issue"
    started[0].join(timeout=60)
    return results


@pytest.mark.parametrize("kind", ["due date", "evidence"])
def test_a_save_landing_between_the_version_check_and_the_write(scene: Scene, kind: str) -> None:
    save, history = ISSUE_SAVES[kind]
    seen = scene.version()
    rows = count(scene.engine, history, history.issue_id == scene.issue_id)  # type: ignore[attr-defined]
    results = between_check_and_write(
        scene.engine, save(scene, seen, 0, 0), save(scene, seen, 1, 0)
    )
    one_winner(results, CONFLICT)
    assert count(scene.engine, history, history.issue_id == scene.issue_id) == rows + 1  # type: ignore[attr-defined]
    assert scene.version() == seen + 1


def _framework_theme(seeded: Session) -> tuple[int, int]:
    plan = seeded.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    theme = seeded.exec(
        select(Theme).where(Theme.name == "Knowing your community and equality mapping")
    ).one()
    assert theme.id is not None
    return plan.organisation_id, theme.id


def test_two_self_assessments_of_a_theme_from_the_same_screen(
    engine: Engine, seeded: Session
) -> None:
    organisation_id, theme_id = _framework_theme(seeded)
    latest = 0
    for rnd in range(ROUNDS):

        def save(n: int, seen: int = latest, rnd: int = rnd) -> Callable[[Session], Any]:
            return lambda s: levels.record_self_assessment(
                session=s,
                actor=PEOPLE[n],
                organisation_id=organisation_id,
                theme_id=theme_id,
                assessed_on=date(2026, 11, 1),
                level_claimed_id=None,
                narrative=f"Round {rnd}, written by {PEOPLE[n].name}.",
                judgements=[],
                expected_latest_id=seen,
            )

        results = race(engine, [save(0), save(1)])
        one_winner(results, CONFLICT)
        assert count(engine, SelfAssessment) == rnd + 1
        latest = next(r.id for r in results if isinstance(r, SelfAssessment))


def test_two_people_record_the_same_meeting_at_once(engine: Engine, seeded: Session) -> None:
    for rnd in range(ROUNDS):
        results = race(
            engine,
            [
                lambda s, n=n, rnd=rnd: meetings.record_meeting(
                    session=s,
                    actor=PEOPLE[n],
                    body="Corporate Management Team",
                    title=f"CMT quarterly update {rnd}",
                    held_on=date(2026, 11, 24),
                    today=date(2026, 11, 24),
                    amber_days=30,
                )
                for n in range(2)
            ],
        )
        one_winner(results, "is already recorded")
        assert count(engine, Meeting) == rnd + 1


def test_two_people_link_and_unlink_the_same_criterion_at_once(
    engine: Engine, seeded: Session
) -> None:
    loaded = criteria.import_criteria(
        seeded,
        [
            {
                "framework": "eflg-2009",
                "theme": "Knowing your community and equality mapping",
                "level": "Developing",
                "ref": "K1",
                "criterion": "Test criterion one",
            }
        ],
        actor=PEOPLE[0],
    )
    assert loaded.ok, loaded.summary()
    criterion_id = seeded.exec(select(Criterion.id)).one()
    assert criterion_id is not None
    issue = issue_id_by_ref(seeded, "eflg-developing", "1.1")
    assert issue is not None
    link = criteria.link_issue_to_criterion
    unlink = criteria.unlink_issue_from_criterion
    for rnd in range(ROUNDS):
        write, words, links = (
            (link, "is already linked", 1) if rnd % 2 == 0 else (unlink, "is not linked", 0)
        )
        results = race(
            engine,
            [
                lambda s, n=n, write=write: write(
                    session=s, actor=PEOPLE[n], issue_id=issue[0], criterion_id=criterion_id
                )
                for n in range(2)
            ],
        )
        one_winner(results, words)
        assert count(engine, IssueCriterion) == links
