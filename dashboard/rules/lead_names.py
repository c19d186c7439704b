"""Read a Lead cell into lead names, each with the service (directorate) it sits in, if written.

Cells are split on "/", ";" and new lines, except that a line opening with "(" or a small
letter carries on the line above ("Corporate Manager" then "(Human Resources)" is one post).
"and" (and "&" between spaces) is split where that gives names the organisation knows or that
read as posts or teams: every way of cutting a piece at its "and"s is scored (a known lead
best, then a name with a post or team word such as Officer, Manager, Team or Services, or an
acronym, then a "Learning and Development"-like pair; a lone ordinary word is no name) and the
best is kept, the fewest pieces on a tie - so "Human Resources Business Partners and Learning
and Development" is two leads and "Health Wellbeing and Access Team Leader" one. Two posts
sharing the end of their names are two leads ("Director & Deputy Director of HR"). Commas make
a plain list ("SLT, Diversity Ambassador, Equality") when a part after a comma is a post or an
acronym; otherwise they are "Role, Directorate" runs written without a separator, as in seed
003: "Equality & Diversity Officer, Chief Executive's Office Scrutiny Managers, Chief
Executive's Office" -> Equality & Diversity Officer and Scrutiny Managers, both in the Chief
Executive's Office. A name the organisation already knows (or an alias of one) is never split.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_SEPARATORS = re.compile(r"\s*(?:/|;|\r?\n|\r)\s*")
_AND = re.compile(r"\s+(?:and|&)\s+", re.IGNORECASE)  # "&" with spaces ("A&SA" is a name)
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


_LINES = re.compile(r"\r?\n|\r")
_CARRIED = re.compile(r"\s*(?:\(|[a-z])")  # a line that carries on the one above
_WORD = re.compile(r"[A-Za-z][\w'&.\-]*")
_ACRONYM = re.compile(r"[A-Z][A-Z&.]{1,7}")
# Words that make a name read as a post or a team (compared folded, a final "s" dropped).
POST_WORDS = frozenset(
    [
        "officer",
        "manager",
        "director",
        "head",
        "lead",
        "leader",
        "team",
        "partner",
        "service",
        "unit",
        "department",
        "directorate",
        "board",
        "committee",
        "group",
        "executive",
        "chair",
        "coordinator",
        "co-ordinator",
        "adviser",
        "advisor",
        "ambassador",
        "consultant",
        "champion",
        "member",
        "panel",
        "forum",
        "network",
        "assistant",
        "administrator",
        "secretary",
        "staff",
        "council",
        "cabinet",
        "office",
        "division",
        "section",
        "management",
        "governor",
        "trustee",
        "chief",
        "president",
        "principal",
        "registrar",
        "dean",
    ]
)


def _joined_lines(cell: str) -> str:
    """The cell with each carried-on line joined to the line above by a space."""
    lines = _LINES.split(cell)
    out = lines[:1]
    for line in lines[1:]:
        if out and out[-1].strip() and _CARRIED.match(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def _pieces(cell: str) -> list[str]:
    return [_trim(p) for p in _SEPARATORS.split(_joined_lines(cell)) if _trim(p)]


def is_post_name(name: str) -> bool:
    """A post or team name by its words, or an acronym ('SLT', 'E&D')."""
    words = _WORD.findall(name)
    if len(words) == 1 and _ACRONYM.fullmatch(words[0]):
        return True
    return any(w.casefold().rstrip("s") in POST_WORDS or w.casefold() in POST_WORDS
               for w in words)  # fmt: skip


def _name_score(part: str, known: Callable[[str], bool], *, teams: bool = False) -> int:
    """How much `part` reads as one lead's name. With `teams` (the other pieces of the cut are
    acronyms, "ICT & Policy"), one capitalised word is a team's name too."""
    if not part:
        return -10
    if known(part):
        return 3
    if is_post_name(part):
        return 2
    words = [w for w in part.split() if w.casefold() not in ("and", "&")]
    if len(part.split()) == 3 and len(words) == 2:
        return 1  # "Learning and Development"
    if teams and len(words) == 1 and words[0][:1].isupper():
        return 1
    return 0 if len(words) >= 2 else -5


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
    """The best way of cutting `text` at its "and"s (see the module's words)."""
    if known(text):
        return [text]
    if len(shared := _shared_tail(text, known)) > 1:
        return shared
    words = _AND.split(text)
    if len(words) == 1 or len(words) > 7:
        return [text]
    joins = _AND.findall(text)
    best: tuple[int, int, list[str]] = (_name_score(text, known), -1, [text])
    for cuts in range(1, 2 ** (len(words) - 1)):
        parts, current = [], words[0]
        for i, word in enumerate(words[1:]):
            if cuts >> i & 1:
                parts.append(_trim(current))
                current = word
            else:
                current += joins[i] + word
        parts.append(_trim(current))
        teams = all(len(p.split()) == 1 for p in parts) and any(
            _ACRONYM.fullmatch(p) for p in parts
        )  # "ICT & Policy": teams, one word each, beside an acronym
        score = sum(_name_score(p, known, teams=teams) for p in parts)
        if (score, -len(parts)) > best[:2]:
            best = (score, -len(parts), parts)
    return best[2]


# Words that make the text after a comma read as the service a post sits in.
DIRECTORATE_WORDS = frozenset(
    ["office", "directorate", "department", "service", "services", "division"]
)


_SHARED_TAIL = re.compile(r"([A-Za-z]+)\s*&\s*(\S.*?)\s+of\s+(\S.*)")


def _shared_tail(name: str, known: Callable[[str], bool]) -> list[str]:
    """Two posts sharing the end of their names: "Director & Deputy Director of HR" is the
    Director of HR and the Deputy Director of HR. Only a lone post word before the "&" ("Equality
    & Diversity Officer" and "Director of Workforce & Development" stay whole)."""
    match = _SHARED_TAIL.fullmatch(name)
    if match is None or known(name) or match[1].casefold() not in POST_WORDS:
        return [name]
    second = f"{match[2]} of {match[3]}"
    if not is_post_name(match[2]):
        return [name]
    return [f"{match[1]} of {match[3]}", second]


def _comma_list(parts: list[str]) -> bool:
    """True when a part after the first comma is a lead in its own right (a post or an
    acronym) rather than a service ("Chief Executive's Office")."""
    return any(
        is_post_name(p) and not DIRECTORATE_WORDS & {w.casefold() for w in _WORD.findall(p)}
        for p in parts[1:]
        if p
    )


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
        if _comma_list(parts) and not any(
            _directorate_at(p, directorate_list)[1] for p in parts[1:]
        ):
            found += [LeadName(n) for p in parts if p for n in _split_and(p, known)]
            continue
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
