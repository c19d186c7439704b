"""No lost updates: 20 people saving the same issue 50 times each, at the same time."""

import random
import threading
import time

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.permissions import Actor
from dashboard.writes import updates
from models import Issue, Role, StatusChange

THREADS = 20
UPDATES_EACH = 50
STATUSES = ["In progress", "Not started"]


def test_concurrent_updates_lose_nothing(engine: Engine, seeded: Session) -> None:
    found = issue_id_by_ref(seeded, "eflg-developing", "2.9")
    assert found is not None
    issue_id, start_version = found
    conflicts = [0] * THREADS
    written: list[list[str]] = [[] for _ in range(THREADS)]
    failures: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        actor = Actor(name=f"Officer {n}", role=Role.ADMIN)
        try:
            barrier.wait()
            with Session(engine, expire_on_commit=False) as session:
                while len(written[n]) < UPDATES_EACH:
                    version = session.exec(
                        select(Issue.version)
                        .where(Issue.id == issue_id)
                        .execution_options(populate_existing=True)
                    ).one()
                    session.rollback()  # end the read, as a page does before the person types
                    note = f"{n}-{len(written[n])}"
                    try:
                        updates.record_status_change(
                            session=session,
                            actor=actor,
                            issue_id=issue_id,
                            status=STATUSES[len(written[n]) % 2],
                            note=note,
                            expected_version=version,
                        )
                    except updates.Conflict as conflict:
                        assert conflict.by and conflict.by.startswith("Officer ")
                        assert conflict.at is not None
                        conflicts[n] += 1
                        time.sleep(random.uniform(0, 0.02))  # re-read after a moment, as people do
                        continue
                    written[n].append(note)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    assert not failures, failures[0]

    successes = sum(len(w) for w in written)
    assert successes == THREADS * UPDATES_EACH
    assert sum(conflicts) > 0, "20 threads on one issue should have collided at least once"
    with Session(engine) as check:
        changes = check.exec(
            select(func.count()).select_from(StatusChange).where(StatusChange.issue_id == issue_id)
        ).one()
        notes = set(check.exec(select(StatusChange.note)).all())
        final = check.get(Issue, issue_id)
    assert changes == successes
    assert notes == {note for w in written for note in w}
    assert final is not None
    assert final.version == start_version + successes
