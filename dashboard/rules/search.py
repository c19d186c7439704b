"""How a search for an issue is read: the words of a query, a ref among them, the LIKE pattern
each word becomes, the limits of a query and of its results, and the order of the fields.

Pure: no database, no Streamlit. Every limit is checked here, before a query reaches a database,
so SQLite and PostgreSQL refuse the same queries with the same plain sentence.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from dashboard.rules.errors import Refused

MAX_QUERY_LENGTH = 200  # characters: longer than any ref, lead or phrase a person looks for
MAX_WORDS = 8
MAX_RESULTS = 100  # the most results one search shows
NOTE_WORD_LENGTH = 3  # shorter words are looked for in refs, issue text and leads, not notes
LIKE_ESCAPE = "\\"

# A ref as plans write them: "4", "4.2", "4.2.1", "4.2a", "A3", "HR-2".
_REF = re.compile(r"[a-z]{0,3}[-]?\d+(?:\.\d+)*[a-z]?", re.IGNORECASE)
# Characters no database can keep or compare: NUL, other control characters, lone surrogates.
_UNSEARCHABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class Field(StrEnum):
    """Where a word was found, in the order results are ranked (an exact ref first)."""

    REF = "ref"
    TEXT = "text"
    LEAD = "lead"
    NOTE = "note"


FIELD_ORDER: tuple[Field, ...] = (Field.REF, Field.TEXT, Field.LEAD, Field.NOTE)


class SearchRefused(Refused):
    """A query that cannot be searched for: too long, or holding a character no text has."""


@dataclass(frozen=True)
class Query:
    """A query as searched: its words, lower-case, each once, in the order typed."""

    words: tuple[str, ...]

    def searches_notes(self, word: str) -> bool:
        return len(word) >= NOTE_WORD_LENGTH


def is_ref(word: str) -> bool:
    """A word that reads as a ref ("4.2", "A3"): an issue whose ref it is comes first."""
    return _REF.fullmatch(word) is not None


def parse(text: str) -> Query:
    """The words of a query: split on spaces, lower-case, repeats dropped, quotes and commas at
    the edges of a word ignored. Refuses (SearchRefused) a query over MAX_QUERY_LENGTH
    characters or holding NUL or another control character; an empty query has no words."""
    if len(text) > MAX_QUERY_LENGTH:
        raise SearchRefused(
            f"That search is {len(text):,} characters long: search for at most "
            f"{MAX_QUERY_LENGTH} characters, a few words of the issue, its ref or its lead."
        )
    if _UNSEARCHABLE.search(text):
        raise SearchRefused(
            "That search holds a character that cannot be searched for (a control "
            "character): type the words again."
        )
    words: list[str] = []
    for raw in text.split():
        word = raw.strip("\"'“”‘’,;:()[]{}").lower()
        if word and word not in words:
            words.append(word)
    if len(words) > MAX_WORDS:
        raise SearchRefused(
            f"That search has {len(words)} words: search for at most {MAX_WORDS} words."
        )
    return Query(tuple(words))


def like_pattern(word: str) -> str:
    """``word`` anywhere in a text, as a LIKE pattern: % and _ (and the escape character)
    stand for themselves, never for "anything"."""
    escaped = (
        word.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )
    return f"%{escaped}%"
