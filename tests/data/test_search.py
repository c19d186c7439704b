"""Finding an issue (dashboard/reads/search.py) on SQLite and PostgreSQL: every word must be
found, refs first, then text, leads and notes; % and _ are plain characters; NUL and overlong
searches are refused in words on both databases alike."""

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from dashboard.reads.search import search_issues
from dashboard.rules import search as rules
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.writes.updates import record_status_change
from models import Issue, IssueLead, Lead, Organisation, Plan, Section, StatusChange


def _issue(session: Session, plan: Plan, section: Section, ref: str, text: str, n: int) -> Issue:
    issue = Issue(plan_id=plan.id, section_id=section.id, ref=ref, position=n, text=text)
    session.add(issue)
    session.flush()
    return issue


@pytest.fixture
def plans(session: Session) -> dict[str, int]:
    """Two councils' plans whose issues share words in different fields."""
    ids: dict[str, int] = {}
    for number, council in enumerate(("Anyshire", "Otherborough"), start=1):
        org = Organisation(name=f"{council} Council")
        session.add(org)
        session.flush()
        plan = Plan(slug=f"plan-{number}", title=f"{council} equality plan", organisation_id=org.id)
        session.add(plan)
        session.flush()
        section = Section(plan_id=plan.id, position=1, heading="Knowing your communities")
        session.add(section)
        session.flush()
        housing = Lead(organisation_id=org.id, name="Housing Options")
        session.add(housing)
        session.flush()
        rows = [
            ("4.2", "Publish the workforce profile by age and disability."),
            ("4.3", "Review the 4.2 housing data by protected characteristic."),
            ("5.1", "Train managers in 100% equality impact assessment."),
            ("5.2", "Carry out an equality_impact review of libraries."),
            ("6.1", "Consult under-represented groups."),
        ]
        for position, (ref, text) in enumerate(rows, start=1):
            issue = _issue(session, plan, section, ref, text, position)
            ids[f"{number}:{ref}"] = int(issue.id or 0)
        session.add(IssueLead(issue_id=ids[f"{number}:6.1"], lead_id=housing.id, position=0))
        session.add(
            StatusChange(
                issue_id=ids[f"{number}:4.2"],
                to_status="Not started",
                note="Waiting for the housing survey results.",
                by="Test",
            )  # fmt: skip
        )
    session.commit()
    return ids


def test_a_ref_comes_first_then_text_then_leads_then_notes(
    session: Session, plans: dict[str, int]
) -> None:
    found = search_issues(session, "4.2")
    assert list(found["issue_id"][:2]) == [plans["1:4.2"], plans["2:4.2"]]
    assert list(found["matched"][:2]) == ["ref", "ref"]
    assert list(found["issue_id"][2:]) == [plans["1:4.3"], plans["2:4.3"]]  # "4.2" in the text
    housing = search_issues(session, "HOUSING")  # any case
    assert list(housing["matched"]) == ["text", "text", "lead", "lead", "note", "note"]
    assert list(housing["issue_id"]) == [
        plans["1:4.3"], plans["2:4.3"], plans["1:6.1"], plans["2:6.1"],
        plans["1:4.2"], plans["2:4.2"],
    ]  # fmt: skip
    assert list(housing["plan"][:2]) == ["Anyshire equality plan", "Otherborough equality plan"]
    assert housing["leads"].iloc[2] == "Housing Options"
    assert housing["theme"].iloc[0] == "Knowing your communities"


def test_every_word_must_be_found_each_in_any_field(
    session: Session, plans: dict[str, int]
) -> None:
    # "workforce" is in the text of 4.2, "survey" only in its note: both found, so 4.2 matches
    found = search_issues(session, "workforce survey")
    assert list(found["issue_id"]) == [plans["1:4.2"], plans["2:4.2"]]
    assert list(found["matched"]) == ["text", "text"]
    assert search_issues(session, "workforce libraries").empty
    assert search_issues(session, "workforce survey", limit=1).attrs["more"] is True


def test_percent_and_underscore_are_plain_characters(
    session: Session, plans: dict[str, int]
) -> None:
    assert list(search_issues(session, "100%")["issue_id"]) == [plans["1:5.1"], plans["2:5.1"]]
    # "_" is not "any one character": "equality impact" has a space, not an underscore
    assert list(search_issues(session, "equality_impact")["issue_id"]) == [
        plans["1:5.2"], plans["2:5.2"],
    ]  # fmt: skip
    assert search_issues(session, "%").empty is False  # the one issue with a "%" in it
    assert len(search_issues(session, "%")) == 2
    assert search_issues(session, "\\").empty


@pytest.mark.parametrize(
    "query", ["x" * (rules.MAX_QUERY_LENGTH + 1), "housing\x00", "a\x07b", "a b c d e f g h i"]
)
def test_nul_control_characters_and_overlong_searches_are_refused_in_words(
    session: Session, plans: dict[str, int], query: str
) -> None:
    with pytest.raises(rules.SearchRefused) as refused:
        search_issues(session, query)
    assert "search" in str(refused.value) and "Traceback" not in str(refused.value)


def test_an_empty_search_finds_nothing_and_limits_are_kept(
    session: Session, plans: dict[str, int]
) -> None:
    assert search_issues(session, "   ").empty
    found = search_issues(session, "the", limit=3)
    assert len(found) == 3 and found.attrs["more"] is True
    assert len(search_issues(session, "the", limit=10_000)) <= rules.MAX_RESULTS


def test_a_note_saved_later_is_found_and_a_short_word_skips_the_notes(
    session: Session, plans: dict[str, int]
) -> None:
    issue = session.get(Issue, plans["2:6.1"])
    assert issue is not None
    record_status_change(
        session=session, actor=COMMAND_LINE_ADMIN, issue_id=plans["2:6.1"],
        status="In progress", note="Met the Zebra Crossing forum.", expected_version=issue.version,
    )  # fmt: skip
    assert list(search_issues(session, "zebra crossing")["issue_id"]) == [plans["2:6.1"]]
    assert search_issues(session, "ze").empty  # two letters: refs, text and leads only


def test_searching_changes_nothing(session: Session, plans: dict[str, int]) -> None:
    def counts() -> list[int]:
        return [session.exec(select(func.count()).select_from(m)).one() for m in (Issue, Lead)]

    before = counts()
    for query in ["'; DROP TABLE issue; --", '" OR 1=1 --', "housing') OR ('1'='1", "*", "NEAR"]:
        found = search_issues(session, query)
        assert found.empty or set(found.columns) >= {"issue_id", "ref"}
    assert counts() == before


@pytest.mark.parametrize(
    "words",
    ["4.2", "housing", "HOUSING survey", "workforce survey", "equality impact", "options 6.1",
     "workforce libraries", "re", "nowhere at all"],
)  # fmt: skip
def test_words_in_very_many_issues_find_and_rank_the_same(
    session: Session, plans: dict[str, int], monkeypatch: pytest.MonkeyPatch, words: str
) -> None:
    """A word in the text, leads or notes of thousands of issues is checked issue by issue,
    not fetched: the same issues come back, in the same order, found in the same fields."""
    from dashboard.reads import search as reads

    fetched = search_issues(session, words)
    monkeypatch.setattr(reads, "MANY_ISSUES", 0)
    monkeypatch.setattr(reads, "MANY_NOTES", 0)
    monkeypatch.setattr(reads, "FIRST_CHECK", 1)  # several batches, even for a few issues
    checked = search_issues(session, words, limit=3)
    assert list(checked["issue_id"]) == list(fetched["issue_id"][:3])
    assert list(checked["matched"]) == list(fetched["matched"][:3])
    assert checked.attrs["more"] is (len(fetched) > 3)
    everything = search_issues(session, words)
    assert list(everything["issue_id"]) == list(fetched["issue_id"])
    assert list(everything["matched"]) == list(fetched["matched"])
