"""Read a 'Protected characteristics' cell into characteristics: "All", names, codes, the
aliases in seed/characteristics.yaml and a few common abbreviations. Longest match first, whole
words only ("gender reassignment" before "gender"); words left over are reported, never guessed."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from dashboard.rules.names import name_key

# Common wordings not in the seed aliases, by characteristic code.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "race": (
        "bame",
        "bme",
        "ethnic minority",
        "ethnic minorities",
        "racial",
        "racism",
        "gypsy",
        "traveller",
        "travellers",
        "gypsy/traveller",
        "roma",
        "race relations",
        "rr(a)a",
    ),
    "sexual_orientation": ("lgbt", "lgbt+", "lgbtq", "lgbtq+", "sexuality", "lgb&t"),
    "gender_reassignment": ("lgbt", "lgbt+", "lgbtq", "lgbtq+", "gender identity", "lgb&t"),
    "disability": ("deaf", "d/deaf", "learning disability", "mental health", "sen", "send"),
    "age": (
        "children",
        "young",
        "older",
        "elderly",
        "children and young people",
        "all ages",
    ),
    "religion_belief": ("religion and belief", "religion/belief", "faith groups"),
    "pregnancy_maternity": ("pregnancy/maternity",),
    "marriage_civil_partnership": ("marriage/civil partnership",),
    "sex": ("gender equality", "male", "female"),
}
ALL_WORDS = (
    "all",
    "all groups",
    "all characteristics",
    "all protected characteristics",
    "all strands",
    "all equality strands",
    "all nine",
    "all 9",
    "all equality groups",
)
# Words between names that carry no meaning of their own.
_FILLER_WORDS = "and or & + people groups group communities community staff residents issues the"
FILLER = frozenset(
    (_FILLER_WORDS + " of with plus inc including e.g eg etc equality strands").split()
)


# Terms that name a characteristic in a list but too often mean something else in a sentence
# ("we will send", "the belief that", "older systems"): not read from an action's own words.
NOT_IN_SENTENCES = frozenset(
    ["send", "sen", "belief", "older", "young", "male", "faith", "children"]
)


@dataclass(frozen=True)
class Reading:
    codes: tuple[str, ...]
    unknown: tuple[str, ...]  # words that named no characteristic


@dataclass(frozen=True)
class _Term:
    text: str
    codes: tuple[str, ...]


class CharacteristicMatcher:
    """Built once per import from the Characteristic rows (code, name, protected, aliases)."""

    def __init__(self, rows: Iterable[tuple[str, str, bool, list[str]]]) -> None:
        by_term: dict[str, list[str]] = {}
        self.protected: tuple[str, ...] = ()
        protected = []
        for code, name, is_protected, aliases in rows:
            if is_protected:
                protected.append(code)
            for term in (
                code,
                code.replace("_", " "),
                name,
                *aliases,
                *EXTRA_ALIASES.get(code, ()),
            ):
                codes = by_term.setdefault(name_key(term), [])
                if code not in codes:
                    codes.append(code)
        self.protected = tuple(protected)
        terms = [_Term(t, tuple(c)) for t, c in by_term.items() if t]
        terms.sort(key=lambda t: len(t.text), reverse=True)
        self._terms = terms
        # With no terms at all the pattern matches nothing (an empty alternation would match
        # the empty string everywhere).
        self._pattern = re.compile(
            "|".join(r"(?<![\w+&])" + re.escape(t.text) + r"(?![\w+&])" for t in terms)
            or r"(?!x)x",
            re.IGNORECASE,
        )
        self._lookup = {t.text: t.codes for t in terms}

    def read(self, cell: str) -> Reading:
        text = name_key(cell)
        if not text:
            return Reading((), ())
        if text.strip(" .") in ALL_WORDS:
            return Reading(self.protected, ())
        codes: list[str] = []
        leftover = []
        last = 0
        for match in self._pattern.finditer(text):
            leftover.append(text[last : match.start()])
            last = match.end()
            for code in self._lookup[match.group(0).casefold()]:
                if code not in codes:
                    codes.append(code)
        leftover.append(text[last:])
        unknown = []
        said_all = False
        for chunk in leftover:
            words = [w.strip(".:-") for w in re.split(r"[\s,;/()]+", chunk)]
            said_all = said_all or "all" in words
            words = [w for w in words if w and w != "all" and w not in FILLER]
            if words:
                unknown.append(" ".join(words))
        if said_all and not codes:
            return Reading(self.protected, tuple(unknown))
        return Reading(tuple(codes), tuple(unknown))

    def named_in(self, *texts: str | None) -> tuple[str, ...]:
        """The protected characteristics that sentences name ("children and young people with
        disabilities" -> age, disability), in the Equality Act's order: for a plan with no
        characteristics column, read from each action's words and the heading it sits under.
        "All" and words that are ordinary in a sentence (NOT_IN_SENTENCES) are not read."""
        found: set[str] = set()
        for text in texts:
            for match in self._pattern.finditer(name_key(text or "")):
                term = match.group(0).casefold()
                if term not in NOT_IN_SENTENCES and term not in ALL_WORDS:
                    found.update(self._lookup[term])
        return tuple(code for code in self.protected if code in found)
