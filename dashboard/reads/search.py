"""Finding an issue across every plan by the words of its text, its ref, its leads or the notes
of its updates (dashboard/rules/search.py says how a query is read).

Every word must be found, each in any of the four fields (leads: the names of the leads the
issue is linked to). Results are ranked by the best field
any word was found in: an issue whose ref is a word of the query first, then the issue text, the
leads, and last the notes; within a rank in the order the issues were added (plan by plan).

Fast at national scale (100,000 issues, 2,000,000 updates), on both databases alike: each word is
first asked, through the indexes of migration 0007, for the issues it is found in, field by field
(pg_trgm on PostgreSQL; FTS5 trigram tables of the issue text and the notes on SQLite). A field
holding a word in very many issues is not fetched but checked issue by issue. A word found
nowhere ends the search at once; otherwise only the issues every fetched word was found in are
checked for the other words, a few at a time in the order they were added, rank by rank, until
the results wanted are found. No query leaves the order of its work to the database's planner.
"""

from collections.abc import Iterator

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Engine,
    case,
    column,
    exists,
    func,
    literal,
    table,
    text,
    union_all,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dashboard.reads.summaries import leads_by_issue
from dashboard.rules.plan_edits import RETIRED_WORDS
from dashboard.rules.search import (
    FIELD_ORDER,
    LIKE_ESCAPE,
    MAX_RESULTS,
    NOTE_WORD_LENGTH,
    Field,
    Query,
    is_ref,
    like_pattern,
    parse,
)
from models import Issue, IssueLead, Lead, Plan, Section, StatusChange

# SQLite's full-text tables (migration 0007) of the update notes and the issue text, which the
# models do not describe.
_NOTES = table("search_note", column("rowid"), column("search_note"))
_TEXTS = table("search_issue", column("rowid"), column("search_issue"))
COLUMNS = ["issue_id", "plan", "ref", "theme", "text", "leads", "status", "matched"]

# A word in the text or leads of more issues than this is checked issue by issue, not fetched.
MANY_ISSUES = 2_000
MANY_NOTES = 2_000  # the same for a word in more notes than this
FIRST_CHECK = 50  # the fewest issues checked in one query for the words not fetched
MOST_CHECKED = 4_000  # the most in one query (each further query checks twice as many)

# Where one word is found: field → the ids of the issues it is found in there, or None when it
# is in too many to fetch (checked issue by issue).
Found = dict[Field, set[int] | None]


def search_issues(
    bind: Session | Engine, query: str | Query, *, limit: int = MAX_RESULTS
) -> pd.DataFrame:
    """The issues matching ``query`` (text, or a Query from rules.search.parse), best first, at
    most ``limit`` of them (never more than MAX_RESULTS). ``frame.attrs["more"]`` is True when
    more issues match than are returned. Refuses (SearchRefused) a query rules.search refuses."""
    words = parse(query) if isinstance(query, str) else query
    limit = max(0, min(limit, MAX_RESULTS))
    if isinstance(bind, Session):
        return _search(bind, words, limit)
    with Session(bind) as session:
        return _search(session, words, limit)


def _search(session: Session, query: Query, limit: int) -> pd.DataFrame:
    if not query.words or limit == 0:
        return _frame(session, {}, more=False)
    sqlite = session.get_bind().dialect.name == "sqlite"
    if not sqlite:
        # A plan for the words asked, each time: a plan made once for any word (as PostgreSQL
        # does for a statement run often) reads every note for a word found in none.
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    found: dict[str, Found] = {}
    for word in query.words:
        found[word] = _found(session, word, query, sqlite)
        if all(ids is not None and not ids for ids in found[word].values()):
            return _frame(session, {}, more=False)  # a word found nowhere: nothing matches
    # The issues each fully fetched word is found in, all of them: every match is among them.
    candidates: set[int] | None = None
    for word in query.words:
        if all(ids is not None for ids in found[word].values()):
            anywhere = set().union(*(ids for ids in found[word].values() if ids is not None))
            candidates = anywhere if candidates is None else candidates & anywhere
    checker = _Checker(session, query, found)
    matched: dict[int, str] = {}  # issue id → the best field, rank by rank, in id order
    for field in FIELD_ORDER:
        if len(matched) > limit:
            break
        here = [found[word][field] for word in query.words]
        if all(ids is not None for ids in here):  # the issues some word is found in here
            ids: list[int] | None = sorted(
                set().union(*(i for i in here if i is not None)) & candidates
                if candidates is not None
                else set().union(*(i for i in here if i is not None))
            )
        else:
            ids = sorted(candidates) if candidates is not None else None  # None: every issue
        for issue_id, best in checker.walk(ids, limit + 1 - len(matched)):
            if best is field:
                matched.setdefault(issue_id, field.value)
                if len(matched) > limit:
                    break
    chosen = dict(list(matched.items())[:limit])
    return _frame(session, chosen, more=len(matched) > limit)


def _frame(session: Session, matched: dict[int, str], *, more: bool) -> pd.DataFrame:
    """The results: each matched issue, described, in the order of ``matched``."""
    described = {
        int(row["issue_id"]): dict(row)
        for row in session.execute(
            sa_select(
                col(Issue.id).label("issue_id"),
                col(Plan.title).label("plan"),
                col(Issue.ref).label("ref"),
                col(Section.heading).label("theme"),
                col(Issue.text).label("text"),
                # a retired issue is still found (its history stays), and says it is retired
                case(
                    (col(Issue.retired_at).is_not(None), literal(RETIRED_WORDS)),
                    else_=col(Issue.status),
                ).label("status"),
            )
            .join(Plan, col(Issue.plan_id) == Plan.id)
            .join(Section, col(Issue.section_id) == Section.id)
            .where(col(Issue.id).in_(list(matched)))
        ).mappings()
    } if matched else {}  # fmt: skip
    rows = [described[i] | {"matched": field} for i, field in matched.items()]
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "leads"])
    leads = leads_by_issue(session, list(matched)) if matched else {}
    frame.insert(5, "leads", [" / ".join(leads.get(int(i), [])) for i in frame["issue_id"]])
    frame.attrs["more"] = more
    return frame


def _found(session: Session, word: str, query: Query, sqlite: bool) -> Found:
    """Where ``word`` is found, field by field, in one query through the indexes: the ids of
    the issues, or None for a field holding it in too many to fetch."""
    pattern = like_pattern(word)
    caps: dict[Field, int] = {}
    asked = []
    if is_ref(word):  # the whole ref, for a word that reads as one ("4.2")
        caps[Field.REF] = MANY_ISSUES
        asked.append(sa_select(col(Issue.id)).where(func.lower(col(Issue.ref)) == word))
    caps[Field.TEXT] = MANY_ISSUES
    in_text = col(Issue.text).ilike(pattern, escape=LIKE_ESCAPE)
    asked.append(
        sa_select(col(Issue.id))
        .select_from(_TEXTS)
        .join(Issue, col(Issue.id) == _TEXTS.c.rowid)
        .where(_match(_TEXTS.c.search_issue, word), in_text)
        if sqlite and len(word) >= NOTE_WORD_LENGTH  # the trigram table: 3 characters or more
        else sa_select(col(Issue.id)).where(in_text)
    )
    caps[Field.LEAD] = MANY_ISSUES
    named = sa_select(col(Lead.id)).where(col(Lead.name).ilike(pattern, escape=LIKE_ESCAPE))
    asked.append(sa_select(col(IssueLead.issue_id)).where(col(IssueLead.lead_id).in_(named)))
    if query.searches_notes(word):
        caps[Field.NOTE] = MANY_NOTES
        noted = col(StatusChange.note).ilike(pattern, escape=LIKE_ESCAPE)
        asked.append(
            sa_select(col(StatusChange.issue_id))
            .select_from(_NOTES)
            .join(StatusChange, col(StatusChange.id) == _NOTES.c.rowid)
            .where(_match(_NOTES.c.search_note, word), noted)
            if sqlite
            # In the order of the issues, through the index of each issue's updates: a common
            # word's first notes at once, wherever the table keeps them (the trigram index for
            # a rare word, as the database judges).
            else sa_select(col(StatusChange.issue_id))
            .where(noted)
            .order_by(col(StatusChange.issue_id))
        )
    branches = []
    for field, statement in zip(caps, asked, strict=True):
        fetched = statement.limit(caps[field] + 1).subquery()
        branches.append(sa_select(literal(field.value).label("field"), *fetched.c))
    rows = session.execute(union_all(*branches)).all()
    result: Found = {field: set() for field in FIELD_ORDER}
    counts = {field: 0 for field in FIELD_ORDER}
    for field_name, issue_id in rows:
        field = Field(field_name)
        counts[field] += 1
        ids = result[field]
        if ids is not None:
            ids.add(int(issue_id))
    for field, cap in caps.items():
        if counts[field] > cap:
            result[field] = None
    return result


def _match(fts: ColumnElement[str], word: str) -> ColumnElement[bool]:
    """FTS5 trigram match: the word as a phrase, found anywhere (any case). A trigram table
    also matches letters LIKE holds different (é and É): the LIKE beside it decides."""
    phrase = '"' + word.replace('"', '""') + '"'
    return fts.op("MATCH")(phrase)


class _Checker:
    """Each issue's best field, or None when some word is not found in it: from the fetched ids
    alone, or, for a field not fetched, asking the database a few issues at a time."""

    def __init__(self, session: Session, query: Query, found: dict[str, Found]) -> None:
        self.session, self.words, self.found = session, query.words, found
        # Each word with a field not fetched: the best of those fields, asked issue by issue.
        self.unfetched = [
            word for word in query.words if any(ids is None for ids in found[word].values())
        ]
        self.best: dict[int, Field | None] = {}  # every issue checked so far

    def walk(self, ids: list[int] | None, wanted: int) -> Iterator[tuple[int, Field | None]]:
        """Each of ``ids`` (None: every issue), in order, with its best field; asked about in
        growing batches, the first just big enough for the ``wanted`` results."""
        size = max(FIRST_CHECK, 2 * wanted)
        position, after = 0, 0
        while True:
            if ids is not None:
                batch = ids[position : position + size]
                position += len(batch)
                self._check([i for i in batch if i not in self.best])
            else:
                batch = self._check_after(after, size)
            if not batch:
                return
            for issue_id in batch:
                yield issue_id, self.best[issue_id]
            after = batch[-1]
            size = min(size * 2, MOST_CHECKED)

    def _conditions(self) -> list[ColumnElement[int]]:
        """For each word with a field not fetched, the position in FIELD_ORDER of the best such
        field holding it, or one past the end: the database stops at the first field found."""
        return [
            case(
                *(
                    (_held(word, field), n)
                    for n, field in enumerate(FIELD_ORDER)
                    if self.found[word][field] is None
                ),
                else_=len(FIELD_ORDER),
            )
            for word in self.unfetched
        ]

    def _check(self, ids: list[int]) -> None:
        if not ids:
            return
        if not self.unfetched:
            for issue_id in ids:
                self.best[issue_id] = self._best(issue_id, {})
            return
        rows = self.session.execute(
            sa_select(col(Issue.id), *self._conditions()).where(col(Issue.id).in_(ids))
        ).all()
        for issue_id, *held in rows:
            self.best[int(issue_id)] = self._best(
                int(issue_id), dict(zip(self.unfetched, held, strict=True))
            )
        for issue_id in ids:  # an issue removed meanwhile
            self.best.setdefault(issue_id, None)

    def _check_after(self, after: int, size: int) -> list[int]:
        """The next ``size`` issues after id ``after``, in order, checked (chosen first, then
        checked: a database sorting the checked issues would check every issue first)."""
        following = (
            sa_select(col(Issue.id))
            .where(col(Issue.id) > after)
            .order_by(col(Issue.id))
            .limit(size)
        )
        rows = self.session.execute(
            sa_select(col(Issue.id), *self._conditions()).where(col(Issue.id).in_(following))
        ).all()
        for issue_id, *held in rows:
            self.best[int(issue_id)] = self._best(
                int(issue_id), dict(zip(self.unfetched, held, strict=True))
            )
        return sorted(int(row[0]) for row in rows)

    def _best(self, issue_id: int, held: dict[str, int]) -> Field | None:
        """The best field any word is found in, when every word is found somewhere (``held``:
        for a word with a field not fetched, the position of the best such field)."""
        best = len(FIELD_ORDER)
        for word in self.words:
            fetched = (
                n
                for n, field in enumerate(FIELD_ORDER)
                if (ids := self.found[word][field]) is not None and issue_id in ids
            )
            here = min(next(fetched, len(FIELD_ORDER)), held.get(word, len(FIELD_ORDER)))
            if here == len(FIELD_ORDER):
                return None
            best = min(best, here)
        return FIELD_ORDER[best]


def _held(word: str, field: Field) -> ColumnElement[bool]:
    """``word`` found in ``field`` of the issue, asked issue by issue (a field not fetched)."""
    pattern = like_pattern(word)
    if field is Field.TEXT:
        return col(Issue.text).ilike(pattern, escape=LIKE_ESCAPE)
    if field is Field.LEAD:
        return exists(
            sa_select(literal(1))
            .select_from(IssueLead)
            .join(Lead, col(IssueLead.lead_id) == Lead.id)
            .where(
                col(IssueLead.issue_id) == Issue.id,
                col(Lead.name).ilike(pattern, escape=LIKE_ESCAPE),
            )
            .correlate(Issue)
        )
    if field is Field.NOTE:  # through the index of each issue's updates
        return exists(
            sa_select(literal(1))
            .where(
                col(StatusChange.issue_id) == Issue.id,
                col(StatusChange.note).ilike(pattern, escape=LIKE_ESCAPE),
            )
            .correlate(Issue)
        )
    return func.lower(col(Issue.ref)) == word  # never: a ref is always fetched
