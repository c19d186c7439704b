"""Publish equality information (pages/publish.py): an equality lead writes the narrative,
records why anything is missing, saves a draft that is there on the next visit, and publishes
only when the checklist is settled; a colleague's save in between is refused with the typed
words kept; nobody else can open the page."""

from collections.abc import Callable

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.rules.publication import Nation
from dashboard.writes.accounts import add_user
from dashboard.writes.publication import DraftWords, save_draft
from models import Lead, Plan, Publication, PublicationDraft
from tests.app.tables import tables

PLAN = "eflg-developing"
PASSWORD = "correct horse battery staple"


def open_page(app: Callable[..., AppTest], nation: str = "england") -> AppTest:
    return app("publish", plan=PLAN, nation=nation)


def area(at: AppTest, label: str):
    return next(a for a in at.text_area if a.label == label)


def field(at: AppTest, label: str):
    return next(t for t in at.text_input if t.label == label)


def press(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    return at.run()


def plan_id(session: Session) -> int:
    plan = session.exec(select(Plan).where(Plan.slug == PLAN)).one()
    assert plan.id is not None
    return plan.id


def test_the_page_says_what_is_due_and_what_the_regulations_ask_for(
    app: Callable[..., AppTest],
) -> None:
    at = open_page(app, "wales")
    assert at.title[0].value == "Publish equality information"
    said = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert "Annual equality report: due by" in said
    assert "Not ready: 6 checklist items" in said
    checklist = next(t for t in tables(at) if "What the regulations ask for" in t.columns)
    assert "Missing, with no reason recorded" in set(checklist["Where it stands"])
    assert "Nothing has been published from this plan yet." in said


def test_a_saved_draft_is_there_on_the_next_visit_and_publishing_keeps_a_version(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = open_page(app)
    area(at, "Our workforce").input("312 staff; 4% disabled.\n\nWe publish pay gaps in March.")
    area(at, "Introduction").input("Our equality information for 2026.")
    at = press(at, "Save the draft")
    assert not at.exception
    assert any("Saved the draft at" in s.value for s in at.success)
    again = open_page(app)
    assert area(again, "Our workforce").value.startswith("312 staff")
    assert "Ready to publish" in " ".join(m.value for m in again.markdown).replace("\\", "")
    again = press(again, "Save and publish")
    assert any("Published version" in s.value for s in again.success), again.error
    kept = seeded.exec(select(Publication)).all()
    assert len(kept) == 1 and kept[0].by == "Local administrator"
    published = next(t for t in tables(again) if "Published on" in t.columns)
    assert list(published["Version"]) == [f"Version {kept[0].id}"]
    assert list(published["What changed since the one before"]) == ["The first"]


def test_publishing_is_refused_while_an_item_is_open_and_the_draft_is_kept(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = open_page(app, "wales")
    area(at, "How we engaged").input("We met 14 community groups.")
    at = press(at, "Save and publish")
    errors = " ".join(e.value for e in at.error)
    assert "Saved the draft" in errors and "Nothing was published" in errors
    assert "Pay differences" in errors
    assert seeded.exec(select(Publication)).all() == []
    draft = seeded.exec(select(PublicationDraft)).one()
    assert draft.narrative == {"How we engaged": "We met 14 community groups."}


def test_a_colleagues_save_in_between_is_refused_with_the_typed_words_kept(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = open_page(app)
    save_draft(seeded, COMMAND_LINE_ADMIN, plan_id(seeded), Nation.ENGLAND,
               DraftWords({"Introduction": "Their words."}, {}, None, None, False),
               seen_at=None)  # fmt: skip
    area(at, "Introduction").input("My words, typed over ten minutes.")
    at = press(at, "Save the draft")
    errors = " ".join(e.value for e in at.error)
    assert "saved this draft at" in errors and "your text is still in the boxes" in errors
    assert area(at, "Introduction").value == "My words, typed over ten minutes."
    seeded.expire_all()
    assert seeded.exec(select(PublicationDraft)).one().narrative == {"Introduction": "Their words."}
    at = press(at, "Show their version")  # once they have copied their words
    assert area(at, "Introduction").value == "Their words."
    area(at, "Introduction").input("Their words, and mine.")
    at = press(at, "Save the draft")
    assert any("Saved the draft at" in s.value for s in at.success), at.error


@pytest.mark.parametrize("role", ["officer", "viewer"])
def test_nobody_but_an_equality_lead_can_open_it(
    app: Callable[..., AppTest], seeded: Session, role: str
) -> None:
    lead = seeded.exec(select(Lead.id).where(Lead.name == "Community Development")).one()
    for email, kind in (("lead@council.gov.uk", "admin"), (f"{role}@council.gov.uk", role)):
        add_user(session=seeded, actor=COMMAND_LINE_ADMIN, email=email, role=kind,
                 lead_ids=[lead] if kind == "officer" else [], password=PASSWORD)  # fmt: skip
    at = app()
    at.text_input[0].input(f"{role}@council.gov.uk")
    at.text_input[1].input(PASSWORD)
    at.button[0].click()
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("../pages/publish.py")
