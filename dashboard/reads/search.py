"""Finding an issue across every plan by the words of its text, its ref, its leads or the notes
of its updates (dashboard/rules/search.py says how a query is read).

Every word must be found, each in any of the four fields (leads: the names of the leads the
issue is linked to). Results are ranked by the best field
any word was found in: an issue whose ref is a word of the query first, then the issue text, the
leads, and last the notes; within a rank in the order the issues were added (plan by plan).

Fast at national scale (100,000 issues, 2,000,000 updates): each rank is one query that stops
at the results still wanted, and the notes are read through an index of their own (migration
0007: pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite).
"""

import pandas as pd
from sqlalchemy import (
    ColumnElement,
    Engine,
    column,
    exists,
    false,
    func,
    literal,
    or_,
    table,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dashboard.reads.summaries import leads_by_issue
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

# SQLite's full-text table of the update notes (migration 0007), which the models do not describe.
_NOTES = table("search_note", column("rowid"), column("search_note"))
_NOTHING = false()  # a field no word of the search is found in
COLUMNS = ["issue_id", "plan", "ref", "theme", "text", "leads", "status", "matched"]


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
        frame = pd.DataFrame(columns=COLUMNS)
        frame.attrs["more"] = False
        return frame
    sqlite = session.get_bind().dialect.name == "sqlite"
    # Asked first, once per word: the leads named by it, and how many notes hold it (a field
    # where no word is found is left out of the search).
    named = {w: _leads_named(session, w) for w in query.words}
    noted = {w: _notes_holding(session, w, sqlite) for w in query.words}
    found = {
        field: [_condition(field, w, query, sqlite, named[w], noted[w]) for w in query.words]
        for field in FIELD_ORDER
    }
    # Every word somewhere (the cheap fields asked first); one word is found where it matched.
    anywhere = (
        [or_(*(found[f][n] for f in FIELD_ORDER)) for n in range(len(query.words))]
        if len(query.words) > 1
        else []
    )
    matched: dict[int, str] = {}  # issue id → the best field it was found in
    for field in FIELD_ORDER:
        if len(matched) > limit:
            break
        if all(c is _NOTHING for c in found[field]):
            continue
        # The issues alone, in the order they were added: the database stops at the results
        # still wanted (an issue found at a better rank is found here again: room for them too).
        statement = (
            sa_select(col(Issue.id))
            .where(or_(*found[field]), *anywhere)
            .order_by(col(Issue.id))
            .limit(limit + 1 + len(matched))
        )
        for issue_id in session.execute(statement).scalars():
            matched.setdefault(int(issue_id), field.value)
    chosen = list(matched)[:limit]
    described = {
        int(row["issue_id"]): dict(row)
        for row in session.execute(
            sa_select(
                col(Issue.id).label("issue_id"),
                col(Plan.title).label("plan"),
                col(Issue.ref).label("ref"),
                col(Section.heading).label("theme"),
                col(Issue.text).label("text"),
                col(Issue.status).label("status"),
            )
            .join(Plan, col(Issue.plan_id) == Plan.id)
            .join(Section, col(Issue.section_id) == Section.id)
            .where(col(Issue.id).in_(chosen))
        ).mappings()
    }
    rows = [described[i] | {"matched": matched[i]} for i in chosen]
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "leads"])
    leads = leads_by_issue(session, [int(i) for i in frame["issue_id"]])
    frame.insert(5, "leads", [" / ".join(leads.get(int(i), [])) for i in frame["issue_id"]])
    frame.attrs["more"] = len(matched) > limit
    return frame


# A word in more notes than this is looked for issue by issue (most issues have it, so the first
# results come at once); a rarer one through the notes' index, all its notes at once.
COMMON_NOTES = 2_000
COMMON_LEADS = 200  # the same for a word in the names of more leads than this


def _leads_named(session: Session, word: str) -> list[int]:
    """The leads whose name holds ``word`` (a few thousand leads at most, all councils)."""
    named = sa_select(col(Lead.id)).where(
        col(Lead.name).ilike(like_pattern(word), escape=LIKE_ESCAPE)
    )
    return [int(i) for i in session.execute(named.limit(COMMON_LEADS + 1)).scalars()]


def _notes_holding(session: Session, word: str, sqlite: bool) -> int:
    """How many notes hold ``word``, counted up to one more than COMMON_NOTES."""
    if len(word) < NOTE_WORD_LENGTH:
        return 0
    notes = (
        sa_select(_NOTES.c.rowid).where(_fts(word))
        if sqlite
        else sa_select(col(StatusChange.id)).where(
            col(StatusChange.note).ilike(like_pattern(word), escape=LIKE_ESCAPE)
        )
    ).limit(COMMON_NOTES + 1)
    return int(session.execute(sa_select(func.count()).select_from(notes.subquery())).scalar_one())


def _fts(word: str) -> ColumnElement[bool]:
    """FTS5 trigram match: the word as a phrase, found anywhere in a note (any case)."""
    phrase = '"' + word.replace('"', '""') + '"'
    return _NOTES.c.search_note.op("MATCH")(phrase)


def _condition(
    field: Field, word: str, query: Query, sqlite: bool, leads: list[int], notes: int
) -> ColumnElement[bool]:
    """``word`` found in ``field`` of the issue."""
    pattern = like_pattern(word)
    if field is Field.REF:  # the whole ref, for a word that reads as one ("4.2")
        return func.lower(col(Issue.ref)) == word if is_ref(word) else _NOTHING
    if field is Field.TEXT:
        return col(Issue.text).ilike(pattern, escape=LIKE_ESCAPE)
    if field is Field.LEAD:
        if not leads:
            return _NOTHING
        if len(leads) > COMMON_LEADS:  # issue by issue: most issues have such a lead
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
        linked = sa_select(col(IssueLead.issue_id)).where(col(IssueLead.lead_id).in_(leads))
        return col(Issue.id).in_(linked)
    if not query.searches_notes(word) or notes == 0:
        return _NOTHING
    noted = col(StatusChange.note).ilike(pattern, escape=LIKE_ESCAPE)
    if notes > COMMON_NOTES:  # issue by issue, through the index of each issue's updates
        return exists(
            sa_select(literal(1))
            .where(col(StatusChange.issue_id) == Issue.id, noted)
            .correlate(Issue)
        )
    if sqlite:  # the FTS5 trigram table of migration 0007
        matching = sa_select(_NOTES.c.rowid).where(_fts(word))
        return col(Issue.id).in_(
            sa_select(col(StatusChange.issue_id)).where(col(StatusChange.id).in_(matching))
        )
    return col(Issue.id).in_(sa_select(col(StatusChange.issue_id)).where(noted))
