"""The draft an equality lead writes for the next publication (dashboard/writes/publication.py):
kept per plan and nation, cleaned and limited the same on both databases, never overwritten by a
stale form or a second save at the same moment, and written or published by equality leads only.
`publish build` starts from it."""

import threading
from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.reads import publication as reads
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, Actor, PermissionDenied
from dashboard.rules.publication import NARRATIVE_MOST, Nation
from dashboard.writes.publication import DraftConflict, DraftWords, publish, save_draft
from models import Plan, Publication, PublicationDraft, Role

PLAN = "eflg-developing"
OFFICER = Actor(name="An officer", role=Role.OFFICER, lead_ids=frozenset({1}))
VIEWER = Actor(name="A councillor", role=Role.VIEWER)


def words(narrative: dict[str, str] | None = None, **reasons: str) -> DraftWords:
    return DraftWords(narrative or {}, dict(reasons), None, None, False)


def plan_id(session: Session) -> int:
    found = session.exec(select(Plan.id).where(Plan.slug == PLAN)).one()
    assert found is not None
    return found


def test_a_draft_is_kept_per_plan_and_nation_and_replaced_on_each_save(seeded: Session) -> None:
    spaced = words({"Procurement": "  We ask every supplier.  "})
    first = save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.WALES, spaced, None)
    assert first.narrative == {"Procurement": "We ask every supplier."}
    again = save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.WALES,
                       words({"Procurement": "Rewritten."}, pay="In our pay report."),
                       seen_at=first.at)  # fmt: skip
    assert again.narrative == {"Procurement": "Rewritten."} and again.reasons == {
        "pay": "In our pay report."
    }
    save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.ENGLAND, words(), seen_at=None)
    assert len(seeded.exec(select(PublicationDraft)).all()) == 2
    assert reads.draft(seeded, plan_id(seeded), Nation.WALES).narrative == {  # type: ignore[union-attr]
        "Procurement": "Rewritten."
    }


@pytest.mark.parametrize("actor", [OFFICER, VIEWER], ids=["officer", "viewer"])
def test_only_an_equality_lead_may_write_or_publish(seeded: Session, actor: Actor) -> None:
    with pytest.raises(PermissionDenied, match="Only an equality lead"):
        save_draft(seeded, actor, plan_id(seeded), Nation.ENGLAND, words(), seen_at=None)
    content = reads.gather(
        seeded, PLAN,
        reads.choices_from_draft(None, Nation.ENGLAND, None, date(2026, 12, 3), 30),
        None, date(2026, 12, 3),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        publish(seeded, content, actor)
    assert seeded.exec(select(PublicationDraft)).all() == []
    assert seeded.exec(select(Publication)).all() == []


@pytest.mark.parametrize(
    ("given", "said"),
    [
        (words({"Introduction": "x" * (NARRATIVE_MOST + 1)}), "at most 20,000 characters"),
        (words({"Pay differences": "Not a section of England"}), "is not a section"),
        (words(wages="Not an item"), "is not an item of the England checklist"),
        (DraftWords({}, {}, date(2026, 5, 1), date(2026, 4, 1), False), "ends before it starts"),
    ],
    ids=["too long", "other nation's section", "unknown item", "backwards period"],
)
def test_a_refused_draft_says_why_and_keeps_nothing(
    seeded: Session, given: DraftWords, said: str
) -> None:
    with pytest.raises(Refused, match=said):
        save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.ENGLAND, given, None)
    assert seeded.exec(select(PublicationDraft)).all() == []


def test_invisible_characters_are_taken_out_on_both_databases(seeded: Session) -> None:
    saved = save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.ENGLAND,
                       words({"Introduction": "Equal\x00ity\x07 matters."}), None)  # fmt: skip
    seeded.expire_all()
    assert reads.draft(seeded, plan_id(seeded), Nation.ENGLAND).narrative == {  # type: ignore[union-attr]
        "Introduction": "Equality matters."
    }
    assert saved.id is not None


def test_a_stale_form_cannot_overwrite_a_colleagues_draft(seeded: Session) -> None:
    theirs = save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.ENGLAND,
                        words({"Introduction": "Theirs."}), None)  # fmt: skip
    with pytest.raises(DraftConflict, match="saved this draft at"):  # opened before theirs
        save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.ENGLAND,
                   words({"Introduction": "Mine."}), None)  # fmt: skip
    with pytest.raises(DraftConflict):  # opened an older version of it
        save_draft(
            seeded,
            COMMAND_LINE_ADMIN,
            plan_id(seeded),
            Nation.ENGLAND,
            words({"Introduction": "Mine."}),
            date(2026, 1, 1),
        )  # type: ignore[arg-type]
    seeded.expire_all()
    assert reads.draft(seeded, plan_id(seeded), Nation.ENGLAND).narrative == {  # type: ignore[union-attr]
        "Introduction": "Theirs."
    }
    assert theirs.id is not None


def test_of_two_saves_at_the_same_moment_one_lands_and_one_is_told(
    engine: Engine, seeded: Session
) -> None:
    first = save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.ENGLAND, words(), None)
    gate = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str) -> None:
        with Session(engine) as own:
            gate.wait()
            try:
                save_draft(own, COMMAND_LINE_ADMIN, plan_id(own), Nation.ENGLAND,
                           words({"Introduction": text}), first.at)  # fmt: skip
                outcomes.append("saved")
            except DraftConflict:
                outcomes.append("refused")

    threads = [threading.Thread(target=save, args=(t,)) for t in ("One.", "Two.")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "saved"]


def test_publish_build_starts_from_the_draft_written_in_the_app(
    engine: Engine, seeded: Session, monkeypatch: pytest.MonkeyPatch, capsys, tmp_path
) -> None:
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.ENGLAND,
               words({"Our workforce": "312 staff."}), None)  # fmt: skip
    code = main(["publish", "build", "--plan", PLAN, "--nation", "england", "--out",
                 str(tmp_path), "--publish"])  # fmt: skip
    said = capsys.readouterr()
    assert code == 0, said.err
    assert "<h2>Our workforce</h2><p>312 staff.</p>" in (tmp_path / "index.html").read_text()
