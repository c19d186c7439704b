"""Read a Lead cell into lead names, each with the service (directorate) it sits in, if written.

Cells are split on "/", ";" and new lines; on " and " between two names of two or more words
("Improvement and Efficiency Officer" stays whole); and into "Role, Directorate" runs written
without a separator, as in seed 003:
"Equality & Diversity Officer, Chief Executive's Office Scrutiny Managers, Chief Executive's
Office" -> Equality & Diversity Officer and Scrutiny Managers, both in the Chief Executive's
Office. A name the organisation already knows (or an alias of one) is never split.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_SEPARATORS = re.compile(r"\s*(?:/|;|\r?\n|\r)\s*")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)
_JOINING = frozenset(",.-:\u2013")  # punctuation that joins names in a cell


def _trim(text: str) -> str:
    """`text` without any kind of space (a non-breaking one too) or joining punctuation at
    either end (one pass each way, so a long cell stays quick)."""
    start, end = 0, len(text)
    while start < end and (text[start].isspace() or text[start] in _JOINING):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _JOINING):
        end -= 1
    return text[start:end]


@dataclass(frozen=True)
class LeadName:
    name: str
    parent: str | None = None  # the service or directorate written after the comma


def _pieces(cell: str) -> list[str]:
    return [_trim(p) for p in _SEPARATORS.split(cell) if _trim(p)]


def directorate_candidates(cells: Iterable[str]) -> set[str]:
    """The text after the last comma of each piece of each cell: what a directorate looks like
    in this file (used to find where one "Role, Directorate" run ends and the next begins)."""
    found = set()
    for cell in cells:
        for piece in _pieces(cell):
            if "," in piece:
                last = _trim(piece.rsplit(",", 1)[1])
                if last:
                    found.add(last)
    return found


def _split_and(text: str, known: Callable[[str], bool]) -> list[str]:
    if known(text):
        return [text]
    parts = [_trim(p) for p in _AND.split(text)]
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return [p for p in parts if p]
    return [text]


def _directorate_at(part: str, directorates: Iterable[str]) -> tuple[str, str]:
    """Split a comma part into (directorate, next role): the longest directorate it starts
    with and that is followed by more text; else the whole part is the directorate."""
    best = ""
    lowered = part.casefold()
    for name in directorates:
        key = name.casefold()
        if len(key) > len(best) and lowered.startswith(key + " "):
            best = part[: len(name)]
    if not best:
        return part, ""
    return best, _trim(part[len(best) :])


def split_lead_cell(
    cell: str,
    *,
    directorates: Iterable[str] = (),
    known: Callable[[str], bool] = lambda _name: False,
) -> list[LeadName]:
    """The leads named in a cell, in the order written, without repeats."""
    found: list[LeadName] = []
    directorate_list = sorted(set(directorates), key=len, reverse=True)
    for piece in _pieces(cell):
        if known(piece) or "," not in piece:
            found += [LeadName(n) for n in _split_and(piece, known)]
            continue
        parts = [_trim(p) for p in piece.split(",")]
        role = parts[0]
        for part in parts[1:]:
            if not part:
                continue
            directorate, rest = _directorate_at(part, directorate_list)
            found += [LeadName(n, directorate) for n in _split_and(role, known) if n]
            role = rest
        if role:
            found += [LeadName(n) for n in _split_and(role, known)]
    unique: dict[str, LeadName] = {}
    for lead in found:
        unique.setdefault(lead.name.casefold(), lead)
    return list(unique.values())
