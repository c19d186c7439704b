"""The issue statuses and how much each counts towards progress: the one place they are defined."""

from enum import StrEnum


class Status(StrEnum):
    """Where an issue stands. Stored by its value (the words a council officer reads)."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    COMPLETE = "Complete"
    EMBEDDED = "Embedded"
    NOT_APPLICABLE = "Not applicable"

    @property
    def weight(self) -> float | None:
        """Share of an issue's progress this status counts for; None means left out of progress."""
        return STATUS_WEIGHTS[self]

    @property
    def is_done(self) -> bool:
        """Complete or Embedded: counts as done."""
        return self in DONE_STATUSES

    @property
    def meaning(self) -> str:
        return STATUS_MEANINGS[self]


STATUS_WEIGHTS: dict[Status, float | None] = {
    Status.NOT_STARTED: 0.0,
    Status.IN_PROGRESS: 0.0,
    Status.COMPLETE: 1.0,
    Status.EMBEDDED: 1.0,
    Status.NOT_APPLICABLE: None,
}

STATUS_MEANINGS: dict[Status, str] = {
    Status.NOT_STARTED: "No work recorded yet.",
    Status.IN_PROGRESS: "Work has started.",
    Status.COMPLETE: "The action is done.",
    Status.EMBEDDED: "Complete and now routine practice.",
    Status.NOT_APPLICABLE: "Agreed not to apply; left out of progress.",
}

DONE_STATUSES = frozenset({Status.COMPLETE, Status.EMBEDDED})
# Closed: done or agreed not to apply. A closed issue is never overdue, never Red or Amber, and
# moving an issue into a closed status needs a note (the reason must be on record).
CLOSED_STATUSES = frozenset({*DONE_STATUSES, Status.NOT_APPLICABLE})
STATUS_VALUES: tuple[str, ...] = tuple(s.value for s in Status)


class OwnRag(StrEnum):
    """A council's own RAG rating of an issue, by its officers' judgement (Amber often means
    "risks identified"), kept beside the rating the dashboard works out from the dates."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"


class RatingSource(StrEnum):
    """Which rating a plan's Red, Amber and Green figures use."""

    DATES = "dates"  # worked out from due dates and statuses (the default)
    COUNCIL = "council"  # the council's own rating where an issue has one


OWN_RAG_VALUES: tuple[str, ...] = tuple(r.value for r in OwnRag)
RATING_SOURCE_VALUES: tuple[str, ...] = tuple(r.value for r in RatingSource)
