"""What changes to a plan itself are called, in the history and on screen, and the limits on
them. (The write functions are in dashboard/writes/plan_edits.py.)"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class ChangeKind(StrEnum):
    """One kind of change to a plan's text or structure (models.PlanChange.kind)."""

    ISSUE_ADDED = "issue added"
    ISSUE_EDITED = "issue edited"
    ISSUE_RETIRED = "issue retired"
    ISSUE_RESTORED = "issue restored"
    LEAD_RENAMED = "lead renamed"
    LEAD_MERGED = "lead merged"
    LEAD_PARENT = "lead parent"
    LEAD_ALIAS = "lead alias"
    ISSUES_REASSIGNED = "issues reassigned"
    PLAN_EDITED = "plan edited"
    THEME_ADDED = "theme added"
    THEME_EDITED = "theme edited"
    THEME_MOVED = "theme moved"
    THEME_MERGED = "theme merged"


@dataclass(frozen=True)
class IssueFields:
    """An issue as the plan form shows it: every field, whether changed or not."""

    ref: str
    text: str
    section_id: int
    lead_ids: Sequence[int] = ()  # in order, the primary lead first
    timescale: str | None = None
    measure: str | None = None
    level_id: int | None = None
    characteristic_ids: Sequence[int] = ()


# The fields of an issue an equality lead edits, in the words the history uses for them.
ISSUE_FIELDS: dict[str, str] = {
    "ref": "Ref",
    "text": "Wording",
    "section": "Theme",
    "level": "Level",
    "leads": "Leads",
    "timescale": "Timescale",
    "measure": "Measure",
    "characteristics": "Characteristics",
}

# The fields of a plan and of a theme, likewise.
PLAN_FIELDS: dict[str, str] = {"title": "Title", "period": "Period", "organisation": "Organisation"}
THEME_FIELDS: dict[str, str] = {"heading": "Heading", "theme": "Framework theme"}

# How a retired issue's status reads where it is still listed (found by a search, say).
RETIRED_WORDS = "Retired (no longer counted)"

MAX_REASON_LENGTH = 2_000
MAX_LEADS_PER_ISSUE = 20


def plan_change_kind(kind: str, field: str | None) -> str:
    """The `kind` of a plan change in the history export: "issue edited: wording"."""
    if kind == ChangeKind.ISSUE_EDITED and field:
        return f"{kind}: {ISSUE_FIELDS.get(field, field).lower()}"
    return kind


def change_words(kind: str, field: str | None, before: str | None, after: str | None) -> str:
    """One plan change as a sentence for the Issue page and the history export."""
    was, now = before or "nothing", after or "nothing"
    match ChangeKind(kind):
        case ChangeKind.ISSUE_ADDED:
            return "Added to the plan"
        case ChangeKind.ISSUE_RETIRED:
            return "Retired"
        case ChangeKind.ISSUE_RESTORED:
            return "Restored"
        case ChangeKind.ISSUE_EDITED:
            name = ISSUE_FIELDS.get(field or "", field or "Issue")
            return f"{name} changed from “{was}” to “{now}”"
        case ChangeKind.LEAD_RENAMED:
            return f"Lead renamed from “{was}” to “{now}”"
        case ChangeKind.LEAD_MERGED:
            return f"Lead “{was}” merged into “{now}”"
        case ChangeKind.LEAD_PARENT:
            return f"Lead's service changed from “{was}” to “{now}”"
        case ChangeKind.LEAD_ALIAS:
            return f"Also known as “{now}”"
        case ChangeKind.ISSUES_REASSIGNED:
            return f"Issues handed on from “{was}” to “{now}”"
        case ChangeKind.PLAN_EDITED:
            name = PLAN_FIELDS.get(field or "", "details").lower()
            return f"Plan {name} changed from “{was}” to “{now}”"
        case ChangeKind.THEME_ADDED:
            return f"Theme “{now}” added"
        case ChangeKind.THEME_EDITED:
            name = THEME_FIELDS.get(field or "", "Theme").lower()
            return f"Theme {name} changed from “{was}” to “{now}”"
        case ChangeKind.THEME_MOVED:
            return f"Theme “{now}” moved from place {was}"
        case ChangeKind.THEME_MERGED:
            return f"Theme “{was}” merged into “{now}”"
