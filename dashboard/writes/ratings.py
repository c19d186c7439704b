"""Which rating a plan's Red, Amber and Green figures use: worked out from the dates, or the
council's own rating of each issue (models.status.RatingSource). Admins only."""

from sqlmodel import Session, col, select

from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor, require_admin
from dashboard.store.db import begin_write, write_transaction
from models import Plan, RatingSource

RATING_SOURCE_WORDS: dict[str, str] = {
    RatingSource.DATES.value: "The rating worked out from the due dates",
    RatingSource.COUNCIL.value: "The council's own rating (by dates where an issue has none)",
}


class RatingSourceRefused(Refused):
    """The plan or the setting asked for is not one there is."""


def set_rating_source(
    *, session: Session, actor: Actor, plan_slug: str, rating_source: str
) -> Plan:
    """Say which rating the plan's figures use: "dates" or "council"."""
    require_admin(actor, "choose which rating a plan's figures use")
    if rating_source not in RATING_SOURCE_WORDS:
        choices = " or ".join(RATING_SOURCE_WORDS)
        raise RatingSourceRefused(f"'{rating_source}' is not a rating a plan can use: {choices}.")
    with write_transaction(session):
        begin_write(session)
        plan = session.exec(select(Plan).where(col(Plan.slug) == plan_slug)).first()
        if plan is None:
            raise RatingSourceRefused(f"No plan has the short name '{plan_slug}'.")
        plan.rating_source = rating_source
        session.add(plan)
    session.refresh(plan)
    return plan
