"""Progress rules on single values: % complete, overdue and RAG, and the one-line statement of
each rule that the screens show. Their SQL forms live in dashboard/reads/progress.py, and
tests/data/test_progress.py checks the two agree. ``today`` is always a parameter."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dashboard.rules.timescale import Precision, overdue_from
from models import CLOSED_STATUSES, DONE_STATUSES, RatingSource, Status

STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
DONE: tuple[str, ...] = tuple(s.value for s in Status if s in DONE_STATUSES)
# Never overdue, never Red or Amber; moving an issue into one needs a note.
CLOSED: tuple[str, ...] = tuple(s.value for s in Status if s in CLOSED_STATUSES)


class Rag(StrEnum):
    """A red/amber/green rating, plus the two states where no rating applies."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    COMPLETE = "Complete"
    NOT_APPLICABLE = "Not applicable"


# One line per rule, shown on the screens exactly as written here.
PERCENT_RULE = "% complete = (Complete + Embedded) ÷ (all issues − Not applicable)."
OVERDUE_RULE = (
    "Overdue: the due date has passed (a date written as a month or a year is due at its end) "
    "and the issue is not Complete, Embedded or Not applicable."
)
SERVICE_RULE = (
    "Each lead counts every issue it leads, shared issues count once for each of their leads, "
    "and an officer's issues also count for the service they belong to."
)
READINESS_RULE = (
    "A theme is ready for a level when every issue at that level (other than Not applicable) "
    "is Complete or Embedded and has at least one piece of evidence."
)


def rag_rule(amber_days: int, rating_source: str = RatingSource.DATES.value) -> str:
    """The RAG rule in one line, with the configured number of days; for a plan whose figures
    use the council's own rating, how that rating counts."""
    by_dates = (
        "RAG: Complete or Embedded → Complete; Not applicable → left out; overdue → Red; "
        f"due within {amber_days} days and not started → Amber; otherwise Green "
        "(also when there is no due date)."
    )
    if rating_source != RatingSource.COUNCIL.value:
        return by_dates
    return (
        "Red, Amber and Green use the council's own rating of each issue; an issue it has not "
        "rated counts by its dates. Complete or Embedded → Complete; Not applicable → left out. "
        + by_dates
    )


def percent(done: float, counted: float) -> int | None:
    """Whole-number percentage, halves rounded up; None when nothing counts. The one rounding
    of a percentage anywhere in the product (screens, packs, command line)."""
    if not counted:
        return None
    return int(100 * done / counted + 0.5)


def percent_complete(counts: dict[str, int]) -> int | None:
    """% complete from issue counts by status, using the status weights of models/status.py."""
    done = counted = 0.0
    for status, n in counts.items():
        weight = Status(status).weight
        if weight is not None:
            done += weight * n
            counted += n
    return percent(done, counted)


def is_overdue(status: str, due: date | None, precision: str | None, today: date) -> bool:
    """Due date passed (the due date is already the end of the period written), not closed."""
    if due is None or status in CLOSED:
        return False
    return today >= overdue_from(due, Precision(precision or Precision.DAY.value))


def is_due_soon(status: str, due: date | None, overdue: bool, today: date, days: int) -> bool:
    """Not finished, not overdue, and due within `days` (the Amber window) of ``today``: what an
    officer's list shows next after the overdue ones."""
    if due is None or overdue or status in CLOSED:
        return False
    return due <= today + timedelta(days=days)


def rag(status: str, due: date | None, precision: str | None, today: date, amber_days: int) -> Rag:
    """The RAG rating of one issue on ``today`` (see rag_rule)."""
    if status in DONE:
        return Rag.COMPLETE
    if status == Status.NOT_APPLICABLE.value:
        return Rag.NOT_APPLICABLE
    if due is None:
        return Rag.GREEN
    if is_overdue(status, due, precision, today):
        return Rag.RED
    if status == Status.NOT_STARTED.value and due <= today + timedelta(days=amber_days):
        return Rag.AMBER
    return Rag.GREEN


def figure_rag(
    status: str,
    due: date | None,
    precision: str | None,
    today: date,
    amber_days: int,
    own_rag: str | None,
    rating_source: str,
) -> Rag:
    """The rating an issue counts as in its plan's Red, Amber and Green figures (see rag_rule):
    the council's own rating when the plan uses it and the issue has one, else by dates."""
    by_dates = rag(status, due, precision, today, amber_days)
    if by_dates in (Rag.COMPLETE, Rag.NOT_APPLICABLE) or own_rag is None:
        return by_dates
    if rating_source != RatingSource.COUNCIL.value:
        return by_dates
    return Rag(own_rag)


@dataclass(frozen=True)
class Standing:
    """How far along one theme or lead service is: its name, issues, issues done (Complete or
    Embedded), issues counted (all but Not applicable), % complete and issues overdue."""

    name: str
    issues: int
    done: int
    counted: int
    percent_complete: int | None
    overdue: int = 0


def behind_key(percent_complete: float | None, overdue: int, issues: int) -> tuple[float, int, int]:
    """The order "furthest behind first": lowest % complete, then most issues overdue, then most
    issues; one with nothing to count (no issues, or all Not applicable) comes last."""
    missing = percent_complete is None or percent_complete != percent_complete  # None or NaN
    return (101.0 if missing else float(percent_complete or 0), -int(overdue), -int(issues))


def furthest_behind(standings: Iterable[Standing]) -> Standing | None:
    """The theme or service furthest behind (see `behind_key`); None when none has an issue
    that counts."""
    counted = [s for s in standings if s.counted and s.percent_complete is not None]
    return min(
        counted, key=lambda s: behind_key(s.percent_complete, s.overdue, s.issues), default=None
    )
