"""What a plan's title lines (the rows above its table) say about the plan: its title and the
organisation that wrote it. Pure: no database; the organisation is matched to those already
known by the writes layer."""

import re
from collections.abc import Iterable, Sequence
from pathlib import PurePath

from dashboard.rules.names import name_key

# A line that reads like a plan's title has one of these words.
PLAN_WORDS = (
    "plan|plans|scheme|schemes|strategy|strategies|objectives|objective|outcomes|report|"
    "priorities|equality|equalities|diversity|inclusion|action|actions|progress|review|"
    "framework|policy|annex|table"
)
# How an organisation's name ends ("Tamworth Borough Council", "Oxford Brookes University").
ORGANISATION_ENDINGS = (
    "council|borough council|county council|city council|district council|"
    "metropolitan borough council|nhs trust|nhs foundation trust|foundation trust|trust|"
    "health board|fire and rescue service|fire and rescue authority|fire authority|"
    "police|constabulary|university|college|government|authority|nhs england"
)
_PLAN_WORD = re.compile(rf"\b(?:{PLAN_WORDS})\b", re.IGNORECASE)
_ENDING = re.compile(rf"(?:{ORGANISATION_ENDINGS})\.?$", re.IGNORECASE)
# "University of Oxford", "The Scottish Government": a name may also start with its kind.
_STARTING = re.compile(r"^(?:the\s+)?(?:university|college|council)\s+of\s+\S", re.IGNORECASE)
_NAME_WORD = r"(?:[A-Z][\w'’&.-]*|and|of|the|&)"
_NAME_IN_LINE = re.compile(
    rf"\b((?:[A-Z][\w'’&.-]*\s+)(?:{_NAME_WORD}\s+)*?(?i:{ORGANISATION_ENDINGS}))\b"
)

# National bodies whose whole name is their kind's ending ("NHS England equality objectives").
_NATIONAL = re.compile(r"\b(NHS (?:England|Wales|Scotland)|(?:Scottish|Welsh) Government)\b")

# Words naming a council's meetings and bodies, not the council ("Report to Full Council").
_BODIES = frozenset(
    ["full", "cabinet", "committee", "scrutiny", "executive", "meeting", "members", "report"]
)


def is_organisation_line(line: str) -> bool:
    """True when the line is only an organisation's name ("Tamworth Borough Council")."""
    text = " ".join(line.split()).strip(" .,:;")
    if not text or len(text.split()) > 8 or _PLAN_WORD.search(_without_ending(text)):
        return False
    return bool(_ENDING.search(text) or _STARTING.match(text))


def _without_ending(text: str) -> str:
    return _ENDING.sub("", text)


def suggest_title(title_lines: Sequence[str], filename: str, max_length: int) -> str:
    """The first title line that reads like a plan's title (not a line that is only the
    organisation's name when a title follows), else the first other line, else the file's name."""
    lines = [" ".join(line.split()) for line in title_lines]
    lines = [line for line in lines if line and len(line) <= max_length]
    others = [line for line in lines if not is_organisation_line(line)]
    chosen = next((line for line in others if _PLAN_WORD.search(line)), None)
    chosen = chosen or (others[0] if others else (lines[0] if lines else ""))
    if chosen:
        return chosen
    title = " ".join(PurePath(filename).stem.replace("_", " ").split()) or "Imported plan"
    return title if len(title) <= max_length else title[: max_length - 1].rstrip() + "\u2026"


def organisation_in(title_lines: Sequence[str], known: Iterable[str]) -> str | None:
    """The organisation the title lines name: a line that is only a name, else a known
    organisation's name inside a line (as it is known), else a name ending like one
    ("... Borough Council") inside a line; None when they name none."""
    lines = [" ".join(line.split()) for line in title_lines if line.strip()]
    for line in lines:
        if is_organisation_line(line):
            return line.strip(" .,:;")
    text = f" {name_key(' '.join(lines))} "
    for name in sorted(known, key=len, reverse=True):
        if name_key(name) and f" {name_key(name)} " in text:
            return name
    for line in lines:
        if national := _NATIONAL.search(line):
            return national.group(1)
        for found in _NAME_IN_LINE.finditer(line):
            if not _BODIES & set(name_key(found.group(1)).split()):
                return found.group(1)
    return None
