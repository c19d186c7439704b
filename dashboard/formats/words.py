"""Words, dates and times as a person reads them: British dates ("23 Nov 2026"), times in UK
local time ("14:05 on 24 Nov 2026"), due dates at the precision they were written ("June
2008"), plurals, and each status and RAG rating with its own shape — never colour alone.

The one place each of these is written; screens, packs, exports and the command line import it.
"""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime

from dashboard.rules.dates import UK_TIME
from dashboard.rules.progress import Rag, Standing
from dashboard.rules.timescale import Precision
from models import OwnRag, Status

_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_SEASON_NAME = {5: "Spring", 8: "Summer", 11: "Autumn"}
NEW_STATUS = "(new)"  # where a status change starts from nothing: the issue's first status
NOTE_ADDED = "Note added"  # an update that wrote a note and left the status as it was


def is_note_only(before: str | None, after: str) -> bool:
    """An update that kept the status as it was: a note, not a status change."""
    return before == after


def change_words(
    before: str | None, after: str, rag_before: object = None, rag_after: object = None
) -> str:
    """What an update did, as history shows it: "Not started → In progress", "(new) → Not
    started" for an issue's first status, "RAG Amber → Green" for a change of the council's
    own rating (after the status change when both moved), and "Note added" when neither did."""
    rag_moved = rag_change_words(rag_before, rag_after)
    if is_note_only(before, after):
        return rag_moved or NOTE_ADDED
    status_moved = f"{before or NEW_STATUS} → {after}"
    return f"{status_moved}; {rag_moved}" if rag_moved else status_moved


def note_text(note: object) -> str:
    """A progress note for a page, a pack or the command line: nothing at all for no note (never
    "nan" or "None")."""
    return "" if note is None or _missing(note) else str(note).strip()


def _missing(value: object) -> bool:
    """None, or a missing value from a DataFrame (NaN, NaT, pd.NA)."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are the only values unequal to themselves
    except TypeError:  # pd.NA refuses a truth value
        return True


def day_text(day: date) -> str:
    """A date the British way: "23 Nov 2026"."""
    return f"{day.day} {_SHORT[day.month - 1]} {day.year}"


def uk_time(at: datetime) -> datetime:
    """A moment in UK local time (a naive time is taken to be UTC, as the database stores it)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(UK_TIME)


def time_text(at: datetime) -> str:
    """A moment the British way, in UK time: "14:05 on 24 Nov 2026"."""
    local = uk_time(at)
    return f"{local:%H:%M} on {day_text(local.date())}"


def format_day(day: date | datetime | None) -> str:
    """A date for a table cell: "23 Nov 2026"; a moment is shown with its UK time as every time
    is, "14:05 on 23 Nov 2026" (`time_text`); nothing at all for a missing value."""
    if day is None or _missing(day):
        return ""
    if isinstance(day, datetime):
        return time_text(day)
    return day_text(day)


def format_due(due: date | None, precision: Precision | None) -> str:
    """A due date at the precision it was written, e.g. "June 2008", "Q3 2009/10" style spans as
    "Oct–Dec 2009", "2009/10" for a financial year; "No due date" when there is none."""
    if due is None or _missing(due):
        return "No due date"
    if precision is Precision.MONTH:
        return f"{_FULL[due.month - 1]} {due.year}"
    if precision is Precision.QUARTER and due.month % 3 == 0:
        return f"{_SHORT[due.month - 3]}\u2013{_SHORT[due.month - 1]} {due.year}"
    if precision is Precision.SEASON and due.month in _SEASON_NAME:
        return f"{_SEASON_NAME[due.month]} {due.year}"
    if precision is Precision.SEASON and due.month == 2:
        return f"Winter {due.year - 1}/{due.year % 100:02d}"
    if precision is Precision.YEAR:
        return str(due.year)
    if precision is Precision.FINANCIAL_YEAR:
        return f"{due.year - 1}/{due.year % 100:02d}"
    return day_text(due)


def plural(count: int, one: str, many: str | None = None) -> str:
    """ "1 issue", "3 issues", "0 issues"; ``many`` for irregular words ("1 person", "2 people")."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def percent_label(issues: int, counted: int, percent_complete: float | None) -> str:
    """% complete in words, saying why there is none: "40%", "No issues", "All not applicable"."""
    if issues == 0:
        return "No issues"
    if counted == 0 or percent_complete is None or math.isnan(percent_complete):
        return "All not applicable"
    return f"{int(percent_complete)}%"


def furthest_behind_words(theme: Standing | None, service: Standing | None) -> str:
    """The overview's opening sentence: "Furthest behind: Responsive services (12%) and Customer
    Services (0 of 6 done)"; a theme or service already at 100% is not behind."""
    parts = []
    if theme is not None and theme.percent_complete != 100:
        parts.append(f"{theme.name} ({theme.percent_complete}%)")
    if service is not None and service.percent_complete != 100:
        parts.append(f"{service.name} ({service.done} of {service.counted} done)")
    if not parts:
        return "Nothing is behind: every issue that counts is Complete or Embedded."
    return "Furthest behind: " + " and ".join(parts)


def shortened(text: str, limit: int = 90) -> str:
    """Text cut at a word before ``limit`` characters, with "…", for a link or a table cell
    that leads to the whole."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–-") + "…"


def issue_words(ref: str, text: str, limit: int = 90) -> str:
    """An issue as a link names it: its ref and its words, shortened ("4.2 Review the …")."""
    return f"{ref} {shortened(text, limit)}"


@dataclass(frozen=True)
class Look:
    """How a status or rating is shown: its words, a plain shape for files and text (all in
    DejaVu Sans, no emoji), and an icon with an optional colour for the screens (Streamlit's
    Material icon names). Every one has its own shape, so nothing depends on colour."""

    words: str
    shape: str
    icon: str
    colour: str | None = None

    @property
    def text(self) -> str:
        """Shape and words, for files, CSV and plain text: "▲ Red – overdue"."""
        return f"{self.shape} {self.words}"

    @property
    def markdown(self) -> str:
        """Icon and words in Streamlit's Markdown: ":red[:material/error:] Red – overdue"."""
        icon = f":material/{self.icon}:"
        return f"{f':{self.colour}[{icon}]' if self.colour else icon} {self.words}"


STATUS_LOOKS: dict[str, Look] = {
    Status.NOT_STARTED.value: Look("Not started", "○", "radio_button_unchecked"),
    Status.IN_PROGRESS.value: Look("In progress", "◐", "clock_loader_40"),
    Status.COMPLETE.value: Look("Complete", "●", "check_circle"),
    Status.EMBEDDED.value: Look("Embedded", "★", "verified"),
    Status.NOT_APPLICABLE.value: Look("Not applicable", "–", "do_not_disturb_on"),
}
RAG_LOOKS: dict[Rag, Look] = {
    Rag.RED: Look("Red – overdue", "▲", "error", "red"),
    Rag.AMBER: Look("Amber – due soon, not started", "◆", "warning", "orange"),
    Rag.GREEN: Look("Green – on track", "●", "check_circle", "green"),
    Rag.COMPLETE: Look("Complete", "✓", "task_alt", "blue"),
    Rag.NOT_APPLICABLE: Look("Not applicable", "–", "do_not_disturb_on", "gray"),
}
GREEN_NO_DUE_DATE = Look("Green – no due date", "●", "check_circle", "green")
# The council's own rating: its officers' judgement, so the words are the rating alone.
OWN_RAG_LOOKS: dict[str, Look] = {
    OwnRag.RED.value: Look("Red", "▲", "error", "red"),
    OwnRag.AMBER.value: Look("Amber", "◆", "warning", "orange"),
    OwnRag.GREEN.value: Look("Green", "●", "check_circle", "green"),
}
OWN_RAG_NOT_SET = Look("Not set", "–", "remove", None)
RAG_BY_DATES = "RAG (by dates)"  # the column headings where both ratings are shown side by side
RAG_COUNCIL = "RAG (council's rating)"


def status_look(status: str) -> Look:
    return STATUS_LOOKS[status]


def rag_look(rating: str, has_due_date: bool = True) -> Look:
    """A rating's look; Green without a due date says so."""
    if rating == Rag.GREEN and not has_due_date:
        return GREEN_NO_DUE_DATE
    return RAG_LOOKS[Rag(rating)]


def rag_text(rating: str, has_due_date: bool = True) -> str:
    """A RAG rating as a plain shape and words, never colour alone: "▲ Red – overdue"."""
    return rag_look(rating, has_due_date).text


def own_rag_look(rating: object) -> Look:
    """The council's own rating's look; "Not set" when it has none."""
    if rating is None or _missing(rating) or rating == "":
        return OWN_RAG_NOT_SET
    return OWN_RAG_LOOKS[str(rating)]


def own_rag_text(rating: object) -> str:
    """The council's own rating as a plain shape and words: "◆ Amber", "– Not set"."""
    return own_rag_look(rating).text


def rag_change_words(before: object, after: object) -> str:
    """A change of the council's own rating as history shows it: "RAG Amber → Green"; nothing
    when the update left the rating as it was."""
    before_words = None if _missing(before) else before
    after_words = None if _missing(after) else after
    if before_words == after_words:
        return ""
    return f"RAG {own_rag_look(before_words).words} → {own_rag_look(after_words).words}"


def status_text(status: str) -> str:
    """A status as a plain shape and words: "◐ In progress"."""
    return status_look(status).text


# What each stored field is called when a value cannot be kept ("The meeting title can be at most
# 300 characters …"): a table's own name, then the few fields whose column name reads badly.
_TABLE_WORDS = {
    "characteristic": "characteristic",
    "criterion": "criterion",
    "criterionassessment": "judgement of a criterion",
    "duedatechange": "due-date change",
    "evidence": "evidence",
    "frameworkversion": "framework",
    "issue": "issue",
    "issuesnapshot": "meeting's snapshot of an issue",
    "lead": "lead",
    "leadalias": "lead's other name",
    "level": "level",
    "meeting": "meeting",
    "organisation": "organisation",
    "plan": "plan",
    "section": "theme or section",
    "selfassessment": "self-assessment",
    "statuschange": "progress update",
    "theme": "theme",
    "thememapping": "theme mapping",
    "user": "account",
}
_FIELD_WORDS = {
    ("criterionassessment", "evidence"): "evidence for a criterion",
    ("criterionassessment", "note"): "note on a criterion",
    ("duedatechange", "reason"): "reason for the new due date",
    ("evidence", "file_name"): "evidence file name",
    ("evidence", "stored_path"): "stored evidence file's name",
    ("evidence", "url"): "evidence link",
    ("issue", "lead_text"): "issue's lead as written",
    ("issue", "text"): "issue text",
    ("issuesnapshot", "section_heading"): "theme or section heading",
    ("leadalias", "alias_key"): "lead's other name",
    ("meeting", "body"): "body the meeting was of",
    ("plan", "slug"): "plan's short name",
    ("plan", "source_document"): "file name of the plan",
    ("section", "heading"): "theme or section heading",
    ("selfassessment", "narrative"): "self-assessment narrative",
    ("statuschange", "note"): "progress note",
    ("user", "display_name"): "name shown for the account",
    ("user", "email"): "e-mail address",
}
_BY_WORDS = {"by": "made", "added_by": "added", "recorded_by": "recorded", "updated_by": "updated"}


def field_words(table: str, column: str) -> str:
    """A stored field in words: ("meeting", "title") -> "meeting title"."""
    if (table, column) in _FIELD_WORDS:
        return _FIELD_WORDS[(table, column)]
    thing = _TABLE_WORDS.get(table, table)
    if column in _BY_WORDS:
        return f"name of whoever {_BY_WORDS[column]} the {thing}"
    return f"{thing} {column.replace('_', ' ')}"
