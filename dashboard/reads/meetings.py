"""Meetings as recorded: the meetings held, the snapshot each froze, every issue as it stands now
(in the shape a snapshot stores), what changed between two snapshots (or since one), and the
burn-up of issues complete over time."""

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlalchemy import case, func, true
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from dashboard.formats.words import day_text
from dashboard.reads.progress import evidence_pieces, in_progress, rag_case
from dashboard.rules.errors import Refused
from dashboard.rules.progress import Rag
from models import DONE_STATUSES, Evidence, Issue, IssueLead, Lead, Section, StatusChange
from models.meeting import IssueSnapshot, Meeting

SNAPSHOT_COLUMNS = [
    "issue_id", "plan_id", "section_heading", "ref", "text", "leads", "status", "rag",
    "due_date", "due_precision", "evidence_count", "last_note", "last_update_at",
]  # fmt: skip
_DONE = {s.value for s in DONE_STATUSES}


class MeetingError(Refused):
    """A meeting that cannot be recorded or compared as asked; the message says why."""


def issue_states(
    session: Session, today: date, amber_days: int, plan_id: int | None = None
) -> pd.DataFrame:
    """Every issue (of one plan, or all) as it stands now, in the shape a snapshot stores; a
    retired issue is left out (a snapshot taken before it was retired keeps it)."""
    latest = sa_select(col(StatusChange.issue_id), func.max(col(StatusChange.id)).label("last_id"))
    if plan_id is not None:  # only this plan's history: at national scale there are 2,000,000 rows
        latest = latest.join(Issue, col(Issue.id) == col(StatusChange.issue_id)).where(
            col(Issue.plan_id) == plan_id
        )
    last_update = latest.group_by(col(StatusChange.issue_id)).subquery()
    last_change = StatusChange.__table__.alias("last_change")  # type: ignore[attr-defined]
    evidence = evidence_pieces()
    rows = session.execute(
        sa_select(
            col(Issue.id),
            col(Issue.plan_id),
            col(Section.heading),
            col(Issue.ref),
            col(Issue.text),
            col(Issue.status),
            rag_case(today, amber_days),
            col(Issue.due_date),
            col(Issue.due_precision),
            func.coalesce(evidence.c.pieces, 0),
            last_change.c.note,
            last_change.c.at,
        )
        .join(Section, col(Section.id) == col(Issue.section_id))
        .outerjoin(evidence, evidence.c.issue_id == col(Issue.id))
        .outerjoin(last_update, last_update.c.issue_id == col(Issue.id))
        .outerjoin(last_change, last_change.c.id == last_update.c.last_id)
        .where(col(Issue.plan_id) == plan_id if plan_id is not None else true(), in_progress())
        .order_by(col(Issue.plan_id), col(Issue.position))
    ).all()
    frame = pd.DataFrame(
        rows,
        columns=[
            "issue_id", "plan_id", "section_heading", "ref", "text", "status", "rag",
            "due_date", "due_precision", "evidence_count", "last_note", "last_update_at",
        ],
    )  # fmt: skip
    leads: dict[int, list[str]] = {}
    for issue_id, name in session.execute(
        sa_select(col(IssueLead.issue_id), col(Lead.name))
        .join(Lead, col(Lead.id) == col(IssueLead.lead_id))
        .join(Issue, col(Issue.id) == col(IssueLead.issue_id))
        .where(col(Issue.plan_id) == plan_id if plan_id is not None else true())
        .order_by(col(IssueLead.issue_id), col(IssueLead.position))
    ):
        leads.setdefault(issue_id, []).append(name)
    frame["leads"] = [" / ".join(leads.get(i, [])) for i in frame["issue_id"]]
    return frame[SNAPSHOT_COLUMNS]


def meetings(session: Session) -> pd.DataFrame:
    """Every recorded meeting, newest first."""
    rows = session.execute(
        sa_select(
            col(Meeting.id), col(Meeting.held_on), col(Meeting.body), col(Meeting.title),
            col(Meeting.recorded_by), col(Meeting.recorded_at),
        ).order_by(col(Meeting.held_on).desc(), col(Meeting.id).desc())
    ).all()  # fmt: skip
    return pd.DataFrame(
        rows, columns=["meeting_id", "held_on", "body", "title", "recorded_by", "recorded_at"]
    )


def snapshot(session: Session, meeting_id: int, plan_id: int | None = None) -> pd.DataFrame:
    """The issues (of one plan, or all) exactly as they stood when the meeting was recorded."""
    rows = session.execute(
        sa_select(*[IssueSnapshot.__table__.c[c] for c in SNAPSHOT_COLUMNS])  # type: ignore[attr-defined]
        .where(col(IssueSnapshot.meeting_id) == meeting_id)
        .where(col(IssueSnapshot.plan_id) == plan_id if plan_id is not None else true())
        .order_by(col(IssueSnapshot.id))
    ).all()
    return pd.DataFrame(rows, columns=SNAPSHOT_COLUMNS)


@dataclass
class Changes:
    """What changed between two moments, per issue, ready for a page or a pack."""

    since: str  # e.g. "CMT quarterly update, 3 Nov 2026"
    until: str  # a meeting's name, or "now"
    newly_complete: pd.DataFrame
    newly_overdue: pd.DataFrame
    rag_changes: pd.DataFrame
    slipped: pd.DataFrame
    notes: pd.DataFrame
    evidence: pd.DataFrame
    new_issues: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Changes to the plan itself (dashboard/writes/plan_edits.py): issues retired, reworded and
    # given other leads since then.
    retired: pd.DataFrame = field(default_factory=pd.DataFrame)
    reworded: pd.DataFrame = field(default_factory=pd.DataFrame)
    leads_changed: pd.DataFrame = field(default_factory=pd.DataFrame)

    def _frames(self) -> tuple[pd.DataFrame, ...]:
        return (self.newly_complete, self.newly_overdue, self.rag_changes, self.slipped,
                self.notes, self.evidence, self.new_issues, self.retired, self.reworded,
                self.leads_changed)  # fmt: skip

    @property
    def empty(self) -> bool:
        return all(frame.empty for frame in self._frames())

    def counts(self) -> dict[str, int]:
        """How many of each change; the changes to the plan itself only when there are some."""
        counts = {
            "Newly complete": len(self.newly_complete),
            "Newly overdue": len(self.newly_overdue),
            "RAG changed": len(self.rag_changes),
            "Due date slipped": len(self.slipped),
            "New progress notes": len(self.notes),
            "New evidence": len(self.evidence),
        }
        for name, frame in (
            ("New issues", self.new_issues),
            ("Issues retired", self.retired),
            ("Issues reworded", self.reworded),
            ("Leads changed", self.leads_changed),
        ):
            if len(frame):
                counts[name] = len(frame)
        return counts


def _label(meeting: Meeting) -> str:
    return f"{meeting.title}, {day_text(meeting.held_on)}"


def changes_between(
    session: Session,
    since_meeting_id: int,
    until_meeting_id: int | None,
    *,
    today: date,
    amber_days: int,
    plan_id: int | None = None,
) -> Changes:
    """Changes from one meeting's snapshot to another's, or to now when `until_meeting_id` is
    None: newly complete, newly overdue, RAG changes, slipped due dates, new notes and evidence."""
    since = session.get(Meeting, since_meeting_id)
    if since is None:
        raise MeetingError("That meeting no longer exists.")
    until = session.get(Meeting, until_meeting_id) if until_meeting_id else None
    before = snapshot(session, since_meeting_id, plan_id)
    after = (
        snapshot(session, until_meeting_id, plan_id)
        if until_meeting_id
        else issue_states(session, today, amber_days, plan_id)
    )
    both = after.merge(before, on="issue_id", how="left", suffixes=("", "_before"))
    was_known = both["status_before"].notna()
    done_now = both["status"].isin(_DONE)
    done_before = both["status_before"].isin(_DONE)
    red_now = both["rag"] == Rag.RED.value
    red_before = both["rag_before"] == Rag.RED.value
    keep = ["issue_id", "plan_id", "section_heading", "ref", "text", "leads"]
    rag_changed = both[was_known & (both["rag"] != both["rag_before"])]
    slipped = both[
        was_known
        & both["due_date"].notna()
        & both["due_date_before"].notna()
        & (both["due_date"] > both["due_date_before"])
    ]
    upper_change = until.last_status_change_id if until else None
    upper_evidence = until.last_evidence_id if until else None
    return Changes(
        since=_label(since),
        until=_label(until) if until else "now",
        newly_complete=both[done_now & ~done_before][[*keep, "status", "status_before"]],
        newly_overdue=both[red_now & ~red_before][[*keep, "due_date"]],
        rag_changes=rag_changed[[*keep, "rag_before", "rag"]],
        slipped=slipped[[*keep, "due_date_before", "due_date"]],
        notes=_history_between(session, since.last_status_change_id, upper_change, plan_id),
        evidence=_evidence_between(session, since.last_evidence_id, upper_evidence, plan_id),
        new_issues=both[~was_known][keep],
        retired=before[~before["issue_id"].isin(after["issue_id"])][keep],
        reworded=both[was_known & (both["text"] != both["text_before"])][[*keep, "text_before"]],
        leads_changed=both[was_known & (both["leads"] != both["leads_before"])][
            [*keep, "leads_before"]
        ],
    )


_HISTORY_COLUMNS = ("from_status", "to_status", "note", "by", "at")
_EVIDENCE_COLUMNS = ("title", "url", "file_name", "added_by", "added_at")


def _history_between(
    session: Session, after_id: int, upto_id: int | None, plan_id: int | None
) -> pd.DataFrame:
    return _rows_between(session, StatusChange, _HISTORY_COLUMNS, after_id, upto_id, plan_id)


def _evidence_between(
    session: Session, after_id: int, upto_id: int | None, plan_id: int | None
) -> pd.DataFrame:
    return _rows_between(session, Evidence, _EVIDENCE_COLUMNS, after_id, upto_id, plan_id)


def _rows_between(
    session: Session,
    model: type[StatusChange] | type[Evidence],
    columns: tuple[str, ...],
    after_id: int,
    upto_id: int | None,
    plan_id: int | None,
) -> pd.DataFrame:
    """History rows (status changes or evidence) added after one id and up to another, with
    each row's issue, in the order they were written."""
    table = model.__table__  # type: ignore[union-attr]
    query = (
        sa_select(col(Issue.id), col(Issue.plan_id), col(Issue.ref), *[table.c[c] for c in columns])
        .join(Issue, col(Issue.id) == table.c.issue_id)
        .where(table.c.id > after_id)
        .order_by(table.c.id)
    )
    if upto_id is not None:
        query = query.where(table.c.id <= upto_id)
    if plan_id is not None:
        query = query.where(col(Issue.plan_id) == plan_id)
    return pd.DataFrame(
        session.execute(query).all(), columns=["issue_id", "plan_id", "ref", *columns]
    )


_SPLIT_KEYS = ("leads", "services")  # columns holding several names joined by " / "


def changes_by(changes: Changes, issues: pd.DataFrame, key: str) -> pd.DataFrame:
    """Counts of each kind of change per theme (key="section_heading"), per lead ("leads") or
    per rolled-up service ("services"); `issues` supplies that column for each issue_id."""
    lookup = issues.set_index("issue_id")[key]
    kinds = {
        "Newly complete": changes.newly_complete,
        "Newly overdue": changes.newly_overdue,
        "RAG changed": changes.rag_changes,
        "Due date slipped": changes.slipped,
        "New progress notes": changes.notes,
        "New evidence": changes.evidence,
    }
    parts = []
    for kind, frame in kinds.items():
        if frame.empty:
            continue
        names = frame["issue_id"].map(lookup)
        if key in _SPLIT_KEYS:
            names = names.str.split(" / ").explode()
        parts.append(names.value_counts().rename(kind))
    if not parts:
        return pd.DataFrame(columns=[key, *kinds])
    table = pd.concat(parts, axis=1).fillna(0).astype(int)
    for kind in kinds:
        if kind not in table:
            table[kind] = 0
    return table[list(kinds)].rename_axis(key).reset_index()


def burn_up(
    session: Session, plan_id: int | None = None, today: date | None = None
) -> pd.DataFrame:
    """Issues complete (Complete or Embedded) at the end of each day that had a status change,
    from the status history: +1 when an update moves an issue into done, -1 when out of it.

    Issues already done before their first recorded change (seeded or imported that way) are
    counted from the start, so the last point always equals the issues done now; `today` adds
    a final point for today."""
    done = list(_DONE)
    into = col(StatusChange.to_status).in_(done) & col(StatusChange.from_status).not_in(done)
    out = col(StatusChange.from_status).in_(done) & col(StatusChange.to_status).not_in(done)
    day = func.date(col(StatusChange.at))
    query = (
        sa_select(day, func.sum(case((into, 1), (out, -1), else_=0)))
        .join(Issue, col(Issue.id) == col(StatusChange.issue_id))
        .group_by(day)
        .order_by(day)
    )
    done_now = sa_select(func.count(col(Issue.id))).where(col(Issue.status).in_(done))
    if plan_id is not None:
        query = query.where(col(Issue.plan_id) == plan_id)
        done_now = done_now.where(col(Issue.plan_id) == plan_id)
    frame = pd.DataFrame(session.execute(query).all(), columns=["day", "delta"])
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    before_history = int(session.execute(done_now).scalar_one()) - int(frame["delta"].sum())
    frame["complete"] = (before_history + frame["delta"].cumsum()).astype(int)
    if today is not None and (frame.empty or frame["day"].iloc[-1] < today):
        last = int(frame["complete"].iloc[-1]) if not frame.empty else before_history
        frame = pd.concat(
            [frame, pd.DataFrame({"day": [today], "complete": [last]})], ignore_index=True
        )
    return frame[["day", "complete"]].reset_index(drop=True)
