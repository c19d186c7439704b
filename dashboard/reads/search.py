"""Finding an issue across every plan by the words of its text, its ref, its leads or the notes
of its updates (dashboard/rules/search.py says how a query is read).

Every word must be found, each in any of the four fields. Results are ranked by the best field
any word was found in: an issue whose ref is a word of the query first, then the issue text, the
leads, and last the notes; within a rank in the order the issues were added (plan by plan).

Fast at national scale (100,000 issues, 2,000,000 updates): each rank is one query that stops
at the results still wanted, and the notes are read through an index of their own (migration
0007: pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite).
"""

from typing import Any

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
    like_pattern,
    parse,
)
from models import Issue, IssueLead, Lead, Plan, Section, StatusChange

# SQLite's full-text table of the update notes (migration 0007), which the models do not describe.
_NOTES = table("search_note", column("rowid"), column("search_note"))
COLUMNS = ["issue_id", "plan", "ref", "theme", "text", "leads", "status", "matched"]


def search_issues(bind: Session | Engine, query: str | Query, *, limit: int = MAX_RESULTS) -> (
    pd.DataFrame
):  # fmt: skip
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
    common = {w: _common_in_notes(session, w, sqlite) for w in query.words}
    found = {
        field: [_condition(field, w, query, sqlite, common[w]) for w in query.words]
        for field in FIELD_ORDER
    }
    # Every word somewhere (the cheap fields asked first); one word is found where it matched.
    anywhere = (
        [or_(*(found[f][n] for f in FIELD_ORDER)) for n in range(len(query.words))]
        if len(query.words) > 1
        else []
    )
    rows: dict[int, dict[str, Any]] = {}
    for field in FIELD_ORDER:
        if len(rows) > limit:
            break
        statement: Any = (
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
            .where(or_(*found[field]), *anywhere)
            .order_by(col(Issue.id))
            # (an issue found at a better rank is found here again: room for them too)
            .limit(limit + 1 + len(rows))
        )
        for row in session.execute(statement).mappings():
            rows.setdefault(int(row["issue_id"]), dict(row) | {"matched": field.value})
    chosen = list(rows.values())
    frame = pd.DataFrame(chosen[:limit], columns=[c for c in COLUMNS if c != "leads"])
    leads = leads_by_issue(session, [int(i) for i in frame["issue_id"]])
    frame.insert(5, "leads", [" / ".join(leads.get(int(i), [])) for i in frame["issue_id"]])
    frame.attrs["more"] = len(chosen) > limit
    return frame


# A word in more notes than this is looked for issue by issue (most issues have it, so the first
# results come at once); a rarer one through the notes' index, all its notes at once.
COMMON_NOTES = 2_000


def _common_in_notes(session: Session, word: str, sqlite: bool) -> bool:
    if len(word) < NOTE_WORD_LENGTH:
        return False
    notes = (
        sa_select(_NOTES.c.rowid).where(_fts(word))
        if sqlite
        else sa_select(col(StatusChange.id)).where(
            col(StatusChange.note).ilike(like_pattern(word), escape=LIKE_ESCAPE)
        )
    ).limit(COMMON_NOTES + 1)
    counted = session.execute(sa_select(func.count()).select_from(notes.subquery())).scalar_one()
    return int(counted) > COMMON_NOTES


def _fts(word: str) -> ColumnElement[bool]:
    """FTS5 trigram match: the word as a phrase, found anywhere in a note (any case)."""
    phrase = '"' + word.replace('"', '""') + '"'
    return _NOTES.c.search_note.op("MATCH")(phrase)


def _condition(
    field: Field, word: str, query: Query, sqlite: bool, common: bool
) -> ColumnElement[bool]:
    """``word`` found in ``field`` of the issue."""
    pattern = like_pattern(word)
    if field is Field.REF:
        return func.lower(col(Issue.ref)) == word
    if field is Field.TEXT:
        return col(Issue.text).ilike(pattern, escape=LIKE_ESCAPE)
    if field is Field.LEAD:
        named = sa_select(col(Lead.id)).where(col(Lead.name).ilike(pattern, escape=LIKE_ESCAPE))
        led = sa_select(col(IssueLead.issue_id)).where(col(IssueLead.lead_id).in_(named))
        return or_(
            col(Issue.id).in_(led),
            func.coalesce(col(Issue.lead_text), "").ilike(pattern, escape=LIKE_ESCAPE),
        )
    if not query.searches_notes(word):
        return false()
    noted = col(StatusChange.note).ilike(pattern, escape=LIKE_ESCAPE)
    if common:  # issue by issue, through the index of each issue's updates
        return exists(
            sa_select(literal(1))
            .where(col(StatusChange.issue_id) == Issue.id, noted)
            .correlate(Issue)
        )
    if sqlite:  # the FTS5 trigram table of migration 0007
        notes = sa_select(_NOTES.c.rowid).where(_fts(word))
        return col(Issue.id).in_(
            sa_select(col(StatusChange.issue_id)).where(col(StatusChange.id).in_(notes))
        )
    return col(Issue.id).in_(sa_select(col(StatusChange.issue_id)).where(noted))
