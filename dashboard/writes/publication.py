"""Record a publication in the archive: only when its checklist is settled; never changed after."""

from datetime import date
from typing import Any

from sqlmodel import Session, select

from dashboard.rules.errors import Refused
from models import Plan, Publication, pk


def publish(session: Session, content: dict[str, Any], by: str) -> Publication:
    """Keep this content as a published version. Refused, with nothing kept, while a checklist
    item is neither present nor given a reason."""
    if not content["ready_to_publish"]:
        missing = [c["requirement"] for c in content["checklist"]
                   if not c["present"] and not c["reason"].strip()]  # fmt: skip
        raise Refused(
            f"{content['ready']}. Write the missing section or record why it is missing: "
            + "; ".join(missing)
            + "."
        )
    plan = session.exec(select(Plan).where(Plan.slug == content["plan"]["slug"])).one()
    row = Publication(
        plan_id=pk(plan),
        nation=content["nation"],
        published_on=date.fromisoformat(content["published_on"]),
        covers_from=date.fromisoformat(content["covers_from"]),
        covers_to=date.fromisoformat(content["covers_to"]),
        content=content,
        by=by,
    )
    session.add(row)
    session.commit()
    session.refresh(row)
    return row
