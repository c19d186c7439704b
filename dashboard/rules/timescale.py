"""Read the free-text 'Timescale' cells of council equality action plans into due dates.

UK conventions throughout: day-first dates, financial year April-March, meteorological seasons.
Every due date is the LAST day of the period written ("Jun-08" is due by 30 June 2008).

Documented reading rules (beyond the obvious date forms):
* "Throughout" means ongoing only when the cell has no date, so "2011 (throughout three years of
  Scheme)" is a plain year date with no recurrence.
* "MM/YY" is month/year ("03/10" = March 2010); "09/10" is therefore Sep 2010, not 2009/10.
* "2009/10" and "2023-24" (two years in a row) are financial years (due 31 March of the
  second); a longer year span written with a dash, "2023-2027" or "2015-19", is read as calendar
  years (due 31 December of the last). "2009/11" (slash, not consecutive) is not guessed.
* When a cell names several dates ("by summer 2025 ... in October 2025", "2024/25 - 2026/27"),
  the latest is the due date; a recurrence word on its own line beside a span
  ("2023-2027" then "Quarterly") is read as well (due end of 2027, quarterly).
* A month name before the day ("March 31 2017") is accepted because it is unambiguous; all-number
  dates are always day-first.
* Text before a date is its label ("Pilot: May 2008"); a filler such as "by" or "end of" is dropped.
* A warning is given for a date-shaped token that is not a real date ("31/13/2009"), for a cell
  with no date or recurrence at all ("tbc"), and for unread text containing digits after the last
  date ("May 2008 then week 42"). Words with no digits after a date ("then tbc") are not warned.
* ``today`` is accepted for API stability; no rule needs it yet.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from dashboard.rules.errors import Refused


class Precision(StrEnum):
    """How exactly a due date was written."""

    DAY = "day"
    MONTH = "month"
    QUARTER = "quarter"
    SEASON = "season"
    YEAR = "year"
    FINANCIAL_YEAR = "financial year"


class Recurrence(StrEnum):
    """How often an action repeats, when the cell says so."""

    ANNUALLY = "annually"
    SIX_MONTHLY = "six monthly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    ONGOING = "ongoing"


@dataclass(frozen=True)
class Milestone:
    """One dated step in a cell: optional label, the date words as written and the period end."""

    label: str | None
    text: str
    due: date
    precision: Precision


@dataclass(frozen=True)
class Timescale:
    """A parsed Timescale cell; ``written`` is always the cell exactly as given."""

    written: str
    milestones: tuple[Milestone, ...]
    recurrence: Recurrence | None
    warning: str | None

    @property
    def _latest(self) -> Milestone | None:
        return max(self.milestones, key=lambda m: m.due, default=None)

    @property
    def due(self) -> date | None:
        """The latest milestone's due date, or None."""
        latest = self._latest
        return latest.due if latest else None

    @property
    def precision(self) -> Precision | None:
        """The precision of the latest milestone, or None."""
        latest = self._latest
        return latest.precision if latest else None


_F = re.IGNORECASE | re.ASCII
_L = r"(?<![\w/.])"  # a date token never starts inside a word or a number
_R = r"(?![\w/]|[.\-]\d)"  # ... and never stops inside one
_MON = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SEASON_END = {"spring": 5, "summer": 8, "autumn": 11, "fall": 11}

_RECURRENCE: dict[Recurrence, str] = {
    Recurrence.SIX_MONTHLY: r"(?:six|6)[\s\-]?monthly|every\s+(?:six|6)\s+months|semi[\s\-]?annual"
    r"(?:ly)?|bi[\s\-]?annual(?:ly)?|half[\s\-]?yearly|twice\s+(?:a|per|each)\s+year"
    r"|twice[\s\-]yearly",
    Recurrence.QUARTERLY: r"quarterly|every\s+(?:three|3)\s+months|every\s+quarter"
    r"|(?:three|3)[\s\-]?monthly",
    Recurrence.MONTHLY: r"monthly|every\s+month|each\s+month",
    Recurrence.ANNUALLY: r"annual(?:ly)?|yearly|(?:every|each)\s+year|per\s+(?:annum|year)",
    Recurrence.ONGOING: r"on[\s\-]?going|continu(?:ous|al)(?:ly)?|(?P<throughout>throughout)",
}
_RECUR_KINDS = tuple(_RECURRENCE)
_RECUR = re.compile(
    r"\b(?:" + "|".join(f"(?P<r{i}>{rx})" for i, rx in enumerate(_RECURRENCE.values())) + r")\b",
    _F,
)
_PUNCT = ":;,.-\u2013\u2014&+"  # separators trimmed from the ends of a label
_LEAD_WORDS = frozenset({"", "and", "then", "or", "also", "plus", "to"})
_TRAIL_WORDS = frozenset(
    {
        "",
        "by",
        "in",
        "on",
        "at",
        "for",
        "due",
        "before",
        "until",
        "till",
        "during",
        "from",
        "to",
        "of",
        "the",
        "end",
        "start",
        "beginning",
        "early",
        "mid",
        "late",
        "and",
        "then",
        "or",
        "around",
        "approx",
        "circa",
        "no",
        "later",
        "than",
        "financial",
        "year",
        "fy",
    }
)

Reading = tuple[date, Precision] | None  # None: the token is not a date after all (skip it)


def _year(digits: str) -> int:
    """Four-digit years as written; two-digit 00-69 are 2000s and 70-99 are 1900s."""
    n = int(digits)
    if len(digits) == 2:
        return 2000 + n if n < 70 else 1900 + n
    return n


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _fy_start(first: str, second: str) -> int:
    """Start year of a financial year such as 2009/10, 2008/9 or 2009/2010; ValueError if not."""
    start = _year(first)
    if len(second) == 3 or int(second) != (start + 1) % 10 ** len(second):
        raise ValueError(f"{first}/{second} is not a financial year")
    return start


def _month_no(m: re.Match[str]) -> int:
    return _MONTHS.index(m["mon"][:3].lower()) + 1


def _day_words(m: re.Match[str]) -> Reading:
    return date(_year(m["y"]), _month_no(m), int(m["d"])), Precision.DAY


def _month_words(m: re.Match[str]) -> Reading:
    return _month_end(_year(m["y"]), _month_no(m)), Precision.MONTH


def _season(m: re.Match[str]) -> Reading:
    name, year = m["s"].lower(), _year(m["y"])
    if m["y2"] is not None:
        if name != "winter":
            raise ValueError("only winter spans two years")
        year = _fy_start(m["y"], m["y2"])
    if name == "winter":
        return _month_end(year + 1, 2), Precision.SEASON
    return _month_end(year, _SEASON_END[name]), Precision.SEASON


def _quarter(m: re.Match[str]) -> Reading:
    q = int(m["q"])
    if not 1 <= q <= 4:
        raise ValueError("no such quarter")
    if m["y2"] is None:  # calendar quarter
        return _month_end(_year(m["y"]), q * 3), Precision.QUARTER
    start = _fy_start(m["y"], m["y2"])  # financial-year quarter: Q1 is Apr-Jun
    return _month_end(start + (q == 4), (6, 9, 12, 3)[q - 1]), Precision.QUARTER


def _numbers3(m: re.Match[str]) -> Reading:
    a, b, c = m["a"], m["b"], m["c"]
    if len(a) == 4 and len(c) <= 2:
        return date(int(a), int(b), int(c)), Precision.DAY  # ISO 2017-03-31
    if len(a) <= 2 and len(c) in (2, 4):
        return date(_year(c), int(b), int(a)), Precision.DAY  # day-first, never US
    raise ValueError("not a date")


def _span_end(first: str, second: str) -> int | None:
    """The last year of a calendar span such as 2023-2027 or 2015-19, else None."""
    start = int(first)
    end = int(second) if len(second) == 4 else start - start % 100 + int(second)
    if len(second) not in (2, 4) or not 1 < end - start <= 20:
        return None
    return end


def _numbers2(m: re.Match[str]) -> Reading:
    a, b, sep = m["a"], m["b"], m["sep"]
    if len(a) == 4:
        try:
            return _month_end(_fy_start(a, b) + 1, 3), Precision.FINANCIAL_YEAR
        except ValueError:
            end = _span_end(a, b) if sep == "-" else None
            if end is None:
                raise
            return date(end, 12, 31), Precision.YEAR
    if len(a) <= 2 and (len(b) == 4 or (len(b) == 2 and sep == "/")):
        return _month_end(_year(b), int(a)), Precision.MONTH  # 03/2010, 03/10
    if sep == "-":
        return None  # a number range such as "10-12", not a date
    raise ValueError("not a date")


def _year_only(m: re.Match[str]) -> Reading:
    return date(int(m["y"]), 12, 31), Precision.YEAR


_FY = r"(?P<y>\d{4}|\d{2})(?:[/\-](?P<y2>\d{4}|\d{1,2}))?"
_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Reading]], ...] = tuple(
    (re.compile(_L + rx + _R, _F), fn)
    for rx, fn in (
        (
            r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[\s\-]+(?:of\s+)?"
            + _MON
            + r"[\s\-,]+(?P<y>\d{4}|\d{2})",
            _day_words,
        ),
        (_MON + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})", _day_words),
        (_MON + r"[\s\-/']*(?P<y>\d{4}|\d{2})", _month_words),
        (r"(?P<s>spring|summer|autumn|fall|winter)[\s\-']*" + _FY, _season),
        (r"(?:q|quarter\s*)(?P<q>\d)[\s,\-]*(?:of\s+)?" + _FY, _quarter),
        (r"(?P<a>\d{1,4})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{1,4})", _numbers3),
        (r"(?P<a>\d{1,4})(?P<sep>[/\-])(?P<b>\d{1,4})", _numbers2),
        (r"(?P<y>19[7-9]\d|20\d\d)", _year_only),
    )
)


def _label(segment: str) -> str | None:
    """Clean the text before a date into a label: last line, clause or open bracket, no fillers."""
    segment = re.split(r"[\n;]", segment)[-1]
    if segment.count("(") > segment.count(")"):  # "Quarterly (first report Jun-08)"
        segment = segment.rsplit("(", 1)[1]
    words = segment.split()  # word by word (not one regex) so long cells stay linear
    first, last = 0, len(words)
    while last > first and words[last - 1].strip(_PUNCT + "()[]").lower() in _TRAIL_WORDS:
        last -= 1
    while first < last and words[first].strip(_PUNCT + "()[]").lower() in _LEAD_WORDS:
        first += 1
    label = " ".join(words[first:last]).lstrip(_PUNCT + ")]").rstrip(_PUNCT + "([")
    return None if not label or _RECUR.fullmatch(label) else label


def _quote(piece: str) -> str:
    piece = " ".join(piece.split()).strip(",;:.-\u2013\u2014 ")
    return f"'{piece[:57]}...'" if len(piece) > 60 else f"'{piece}'"


def parse_timescale(text: str | None, *, today: date | None = None) -> Timescale:
    """Parse a Timescale cell; never raises and never guesses (unreadable parts give a warning).

    ``None`` is read as an empty cell (written ``""``).
    """
    written = "" if text is None else text
    norm = written.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    found = sorted(
        (
            (m.start(), m.start() - m.end(), prio, m, fn)
            for prio, (rx, fn) in enumerate(_PATTERNS)
            for m in rx.finditer(norm)
        ),
        key=lambda c: c[:3],
    )
    milestones: list[Milestone] = []
    bad: list[tuple[int, int]] = []
    spans: list[tuple[int, int]] = []  # every span read, good or bad, for labels and leftovers
    pos = last_end = 0
    for start, _, _, match, fn in found:
        if start < pos:
            continue
        try:
            reading = fn(match)
        except (ValueError, OverflowError):
            pos = match.end()
            bad.append(match.span())
            spans.append(match.span())
            continue
        if reading is None:
            continue
        label = _label(written[spans[-1][1] if spans else 0 : start])
        milestones.append(Milestone(label, written[start : match.end()], *reading))
        spans.append(match.span())
        pos = last_end = match.end()

    recurrences = [
        (m, _RECUR_KINDS[int(str(m.lastgroup)[1:])])
        for m in _RECUR.finditer(norm)
        if not (milestones and m["throughout"])  # "2011 (throughout ...)" is just a year
    ]
    recurrence = recurrences[0][1] if recurrences else None

    leftover = list(written)
    for a, b in spans + [m.span() for m, _ in recurrences]:
        leftover[a:b] = " " * (b - a)
    tail = "".join(leftover[last_end:])
    problems = [_quote(written[a:b]) for a, b in bad]
    nothing_read = not (milestones or recurrence or bad)
    if re.search(r"[0-9]", tail) or (nothing_read and tail.strip()):
        problems.append(_quote(tail))
    if not problems:
        return Timescale(written, tuple(milestones), recurrence, None)
    warning = f"Could not read a date in {' or '.join(problems)}; kept as written."
    return Timescale(written, tuple(milestones), recurrence, warning)


class DueDateUnreadable(Refused):
    """A due date not written as a date the dashboard reads exactly."""


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)


def read_due_date(text: str) -> date:
    """An exact due date as `export` writes it (2008-06-30) or as a spreadsheet shows a date
    cell (30/06/2008); DueDateUnreadable for anything else, including impossible dates."""
    written = text.strip()
    iso, uk = _ISO_DATE.fullmatch(written), _UK_DATE.fullmatch(written)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        pass
    raise DueDateUnreadable(
        f"'{written[:40]}' is not a date written as YYYY-MM-DD (or DD/MM/YYYY), for example "
        "2008-06-30."
    )


def overdue_from(due: date, precision: Precision) -> date:
    """First day an item counts as overdue: the day after ``due`` (already the period's end)."""
    return due if due == date.max else due + timedelta(days=1)
