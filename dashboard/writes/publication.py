"""Keep what the equality lead writes for the next publication (a draft, one per plan and nation),
and record a publication in the archive: only when its checklist is settled; never changed after.
Both are for equality leads (admins) only."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from dashboard.formats.sheets import without_controls
from dashboard.formats.words import time_text
from dashboard.reads.publication import draft
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor, require_admin
from dashboard.rules.publication import (
    CHARACTERISTIC_REASON,
    NARRATIVE_MOST,
    NARRATIVE_SECTIONS,
    REASON_MOST,
    REQUIREMENTS,
    Nation,
)
from models import Plan, Publication, PublicationDraft, pk
from models.clock import utcnow

# The Publish page's button that replaces the form with the colleague's draft.
SHOW_THEIRS = "Show their version"


class DraftConflict(Refused):
    """Someone else saved the draft after this person opened it (the page keeps their text)."""

    def __init__(self, by: str, at: datetime) -> None:
        super().__init__(
            f"{by} saved this draft at {time_text(at)} while you were writing. Nothing of yours "
            f"was saved: your text is still in the boxes. Copy what you need, then choose "
            f"“{SHOW_THEIRS}”."
        )


@dataclass(frozen=True)
class DraftWords:
    """What the equality lead wrote on the Publish page."""

    narrative: dict[str, str]
    reasons: dict[str, str]
    covers_from: date | None
    covers_to: date | None
    show_officers: bool


def _clean(text: str, most: int, what: str) -> str:
    cleaned = without_controls(text).replace("\r\n", "\n").strip()
    if len(cleaned) > most:
        raise Refused(f"{what} can be at most {most:,} characters; it has {len(cleaned):,}.")
    return cleaned


def save_draft(
    session: Session,
    actor: Actor,
    plan_id: int,
    nation: Nation,
    words: DraftWords,
    seen_at: datetime | None,
) -> PublicationDraft:
    """Keep the draft for this plan and nation, replacing the one saved before. `seen_at` is the
    saved time of the draft the person opened (None when there was none): a draft saved since by
    someone else is not overwritten (DraftConflict), and nothing changes."""
    require_admin(actor, "write the equality information to publish")
    if session.get(Plan, plan_id) is None:
        raise Refused("That plan is no longer in the dashboard.")
    if words.covers_from and words.covers_to and words.covers_from > words.covers_to:
        raise Refused("The period covered ends before it starts: check the two dates.")
    sections = NARRATIVE_SECTIONS[nation]
    narrative = {}
    for name, text in words.narrative.items():
        if name not in sections:
            raise Refused(f"“{name}” is not a section of the {nation.value.title()} template.")
        if cleaned := _clean(text, NARRATIVE_MOST, f"The section “{name}”"):
            narrative[name] = cleaned
    codes = {r.code for r in REQUIREMENTS[nation]}
    reasons = {}
    for key, why in words.reasons.items():
        if key not in codes and not key.startswith(CHARACTERISTIC_REASON):
            raise Refused(f"“{key}” is not an item of the {nation.value.title()} checklist.")
        if cleaned := _clean(why, REASON_MOST, "A reason"):
            reasons[key] = cleaned
    stored = _draft(session, plan_id, nation)
    if stored is not None and stored.at != seen_at:
        raise DraftConflict(stored.by, stored.at)
    if stored is None and seen_at is not None:  # it was there when the page opened, gone since
        raise Refused("This draft was removed while you were writing: open the page again.")
    values: dict[str, Any] = {
        "narrative": narrative,
        "reasons": reasons,
        "covers_from": words.covers_from,
        "covers_to": words.covers_to,
        "show_officers": words.show_officers,
        "by": actor.name,
        "at": utcnow(),
    }
    lost = False
    try:
        if stored is None:
            session.add(PublicationDraft(plan_id=plan_id, nation=nation.value, **values))
        else:  # only if nobody saved it since it was read: of two saves at once, one wins
            changed = session.connection().execute(
                update(PublicationDraft)
                .where(col(PublicationDraft.id) == stored.id, col(PublicationDraft.at) == seen_at)
                .values(**values)
            )
            lost = changed.rowcount != 1
        if lost:
            session.rollback()
        else:
            session.commit()
    except IntegrityError:  # a first draft saved by someone else a moment before
        session.rollback()
        lost = True
    if lost:
        again = _draft(session, plan_id, nation)
        raise DraftConflict(again.by if again else "Someone else", again.at if again else utcnow())
    saved = _draft(session, plan_id, nation)
    assert saved is not None
    return saved


def _draft(session: Session, plan_id: int, nation: Nation) -> PublicationDraft | None:
    session.expire_all()  # as the database has it now, not as this session last read it
    return draft(session, plan_id, nation)


def publish(session: Session, content: dict[str, Any], actor: Actor) -> Publication:
    """Keep this content as a published version. Refused, with nothing kept, while a checklist
    item is neither present nor given a reason."""
    require_admin(actor, "publish equality information")
    if not content["ready_to_publish"]:
        missing = [c["requirement"] for c in content["checklist"]
                   if not c["present"] and not c["reason"].strip()]  # fmt: skip
        raise Refused(
            f"{content['ready']}. Write the missing section or record why it is missing: "
            + "; ".join(missing)
            + "."
        )
    plan = session.exec(select(Plan).where(Plan.slug == content["plan"]["slug"])).first()
    if plan is None:
        raise Refused("That plan is no longer in the dashboard, so nothing was published.")
    row = Publication(
        plan_id=pk(plan),
        nation=content["nation"],
        published_on=date.fromisoformat(content["published_on"]),
        covers_from=date.fromisoformat(content["covers_from"]),
        covers_to=date.fromisoformat(content["covers_to"]),
        content=content,
        by=actor.name,
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row
