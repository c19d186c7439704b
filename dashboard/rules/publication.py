"""What the Public Sector Equality Duty asks each nation's bodies to publish, and by when.

England: the Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017 —
equality information at least yearly, equality objectives at least every four years.
Wales: the Equality Act 2010 (Statutory Duties) (Wales) Regulations 2011 — a Strategic Equality
Plan with objectives every four years and an annual report by 31 March (regulation 16).
Scotland: the Equality Act 2010 (Specific Duties) (Scotland) Regulations 2012 (SSI 2012/162) —
a mainstreaming report and progress on equality outcomes every two years by 30 April, and new
equality outcomes every four years.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"


NATION_NAMES = {Nation.ENGLAND: "England", Nation.WALES: "Wales", Nation.SCOTLAND: "Scotland"}

# What each part of a publication is called, on the page and in the checklist.
PART_OBJECTIVES = "objectives"
PART_PROGRESS = "progress"
PART_CHARACTERISTICS = "characteristics"
PART_SELF_ASSESSMENT = "self_assessment"


@dataclass(frozen=True)
class Duty:
    """One thing to publish: every `years` years, by a fixed day of the year or a year after the
    last publication."""

    code: str
    name: str
    regulations: str
    years: int
    by_month_day: tuple[int, int] | None = None  # e.g. (3, 31) for 31 March
    first_year: int | None = None  # the cycle's first deadline year, when fixed by law


@dataclass(frozen=True)
class Requirement:
    """One item of a nation's checklist. `part` is the publication part that shows it, or None
    when the body must write it as a narrative section (`narrative` names the section)."""

    code: str
    words: str
    part: str | None = None
    narrative: str | None = None


ENGLAND_REGS = "Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017"
WALES_REGS = "Equality Act 2010 (Statutory Duties) (Wales) Regulations 2011"
SCOTLAND_REGS = "Equality Act 2010 (Specific Duties) (Scotland) Regulations 2012 (SSI 2012/162)"

DUTIES: dict[Nation, tuple[Duty, ...]] = {
    Nation.ENGLAND: (
        Duty("information", "Equality information", ENGLAND_REGS + ", regulation 4(1)", 1),
        Duty("objectives", "Equality objectives", ENGLAND_REGS + ", regulation 4(2)", 4),
    ),
    Nation.WALES: (
        Duty("annual_report", "Annual equality report", WALES_REGS + ", regulation 16", 1, (3, 31)),
        Duty("plan", "Strategic Equality Plan and objectives",
             WALES_REGS + ", regulations 3 and 14", 4, (3, 31), 2012),
    ),
    Nation.SCOTLAND: (
        Duty("mainstreaming", "Mainstreaming report and progress on equality outcomes",
             SCOTLAND_REGS + ", regulations 3 and 4(4)", 2, (4, 30), 2013),
        Duty("outcomes", "Equality outcomes", SCOTLAND_REGS + ", regulation 4", 4, (4, 30), 2013),
    ),
}  # fmt: skip

# Narrative sections each nation's template offers, in order; the body writes them in the app.
NARRATIVE_SECTIONS: dict[Nation, tuple[str, ...]] = {
    Nation.ENGLAND: ("Introduction", "How we engaged", "Our workforce", "Our services"),
    Nation.WALES: (
        "Introduction",
        "How we engaged",
        "Identifying and collecting relevant information",
        "Employment information",
        "Pay differences",
        "Assessing impact",
        "Procurement",
    ),
    Nation.SCOTLAND: (
        "Introduction",
        "Mainstreaming the equality duty",
        "Employee information",
        "Gender pay gap and equal pay statement",
        "Board diversity",
        "Procurement",
    ),
}

REQUIREMENTS: dict[Nation, tuple[Requirement, ...]] = {
    Nation.ENGLAND: (
        Requirement("objectives", "One or more specific and measurable equality objectives",
                    PART_OBJECTIVES),
        Requirement("progress", "Information showing how the body is meeting the general duty",
                    PART_PROGRESS),
        Requirement("people_affected", "Information about people who share a protected "
                    "characteristic and are affected by the body's policies and practices",
                    PART_CHARACTERISTICS),
        Requirement("employees", "Information about employees who share a protected "
                    "characteristic (bodies with 150 or more employees)",
                    narrative="Our workforce"),
    ),
    Nation.WALES: (
        Requirement("objectives", "Equality objectives and the steps to meet them",
                    PART_OBJECTIVES),
        Requirement("progress", "Progress towards fulfilling each equality objective",
                    PART_PROGRESS),
        Requirement("characteristics", "How the objectives cover each protected characteristic",
                    PART_CHARACTERISTICS),
        Requirement("engagement", "How people with protected characteristics were involved",
                    narrative="How we engaged"),
        Requirement("information", "Steps taken to identify and collect relevant information",
                    narrative="Identifying and collecting relevant information"),
        Requirement("employment", "Employment information", narrative="Employment information"),
        Requirement("pay", "Pay differences and the action taken",
                    narrative="Pay differences"),
        Requirement("impact", "How impact is assessed and monitored",
                    narrative="Assessing impact"),
        Requirement("procurement", "Equality in procurement", narrative="Procurement"),
    ),
    Nation.SCOTLAND: (
        Requirement("mainstreaming", "Progress on making the equality duty integral to the "
                    "body's functions", narrative="Mainstreaming the equality duty"),
        Requirement("outcomes", "Equality outcomes", PART_OBJECTIVES),
        Requirement("outcome_progress", "Progress made towards the equality outcomes",
                    PART_PROGRESS),
        Requirement("characteristics", "Outcomes that cover every protected characteristic, or "
                    "reasons for leaving one out", PART_CHARACTERISTICS),
        Requirement("employees", "Employee information and how it is used",
                    narrative="Employee information"),
        Requirement("pay", "Gender pay gap and equal pay statement",
                    narrative="Gender pay gap and equal pay statement"),
        Requirement("board", "Board members' diversity (where the body has a board)",
                    narrative="Board diversity"),
        Requirement("procurement", "Equality in procurement", narrative="Procurement"),
    ),
}  # fmt: skip

# Warn on the overview from this many days before a due date, and when the latest publication
# is older than a year.
DUE_WARNING_DAYS = 60
STALE_AFTER_DAYS = 365

# The most a narrative section and a recorded reason may hold (the Publish page's fields say so).
NARRATIVE_MOST = 20_000
REASON_MOST = 1_000
# A reason for a protected characteristic with no action is keyed by this and its name.
CHARACTERISTIC_REASON = "characteristic:"

READY = "Ready to publish"
NOT_READY = "Not ready: {count} checklist {items} neither present nor given a reason"


def nation(written: str) -> Nation:
    """A nation from its name in any case; ValueError with the choices otherwise."""
    try:
        return Nation(written.strip().lower())
    except ValueError:
        choices = ", ".join(n.value for n in Nation)
        raise ValueError(f"Choose a nation: {choices}.") from None


def _on(year: int, month_day: tuple[int, int]) -> date:
    return date(year, *month_day)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def next_due(duty: Duty, last_published: date | None, today: date) -> date:
    """The date by which the duty must next be met.

    Rolling duties (England) fall due a cadence after the last publication, or today when there is
    none. Fixed deadlines (Wales, Scotland): a publication in the year before a deadline meets it,
    so the next falls one cycle later; otherwise (a revision mid-cycle, or none on record) it is
    the first deadline on or after the publication, or on or after today."""
    if duty.by_month_day is None:
        return _add_years(last_published, duty.years) if last_published else today
    floor = last_published or today
    year = duty.first_year or floor.year
    while _on(year, duty.by_month_day) < floor:
        year += duty.years
    deadline = _on(year, duty.by_month_day)
    if last_published is not None and (deadline - last_published).days < 366:
        return _on(year + duty.years, duty.by_month_day)  # it met this deadline: the next one
    return deadline


@dataclass(frozen=True)
class Due:
    duty: Duty
    due: date
    last_published: date | None

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def warning(self, today: date) -> bool:
        return self.days_left(today) <= DUE_WARNING_DAYS


def dues(nation: Nation, last_published: date | None, today: date) -> list[Due]:
    return [Due(d, next_due(d, last_published, today), last_published) for d in DUTIES[nation]]


def is_stale(last_published: date | None, today: date) -> bool:
    return last_published is not None and (today - last_published).days > STALE_AFTER_DAYS


@dataclass(frozen=True)
class CheckItem:
    requirement: Requirement
    present: bool
    reason: str  # why it is missing, as the body recorded it; "" when none

    @property
    def settled(self) -> bool:
        return self.present or bool(self.reason.strip())


def checklist(
    nation: Nation, parts_present: set[str], narrative: dict[str, str], reasons: dict[str, str]
) -> list[CheckItem]:
    """Each requirement of the nation, present (its part has content, or its narrative section is
    written) or missing with the reason the body gave (keyed by requirement code)."""
    items = []
    for req in REQUIREMENTS[nation]:
        if req.part is not None:
            present = req.part in parts_present
        else:
            present = bool(narrative.get(req.narrative or "", "").strip())
        items.append(CheckItem(req, present, "" if present else reasons.get(req.code, "")))
    return items


def readiness_words(items: list[CheckItem]) -> str:
    open_items = sum(not item.settled for item in items)
    if not open_items:
        return READY
    return NOT_READY.format(count=open_items, items="item" if open_items == 1 else "items")
