"""The seed documents arrive in the database faithfully, on every database under test."""

from collections import Counter
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from dashboard.reads.exports import export_rows
from dashboard.store.seed import seed_database
from models import (
    Characteristic,
    FrameworkVersion,
    Issue,
    Lead,
    LeadAlias,
    Organisation,
    Plan,
    Section,
    StatusChange,
    Theme,
    ThemeMapping,
)

TIU = "The Improvement Unit"
IEO = "Improvement and Efficiency Officer"
CMT = "Corporate Management Team"
JMT = "Joint Management Team"
LSP = "Local Strategic Partnership"
CD = "Community Development"
PP = "Personnel & payroll"
CS = "Customer Services"

EFLG_LEADS = {
    "1.1": [TIU], "1.2": [TIU], "1.3": [IEO], "1.4": [TIU], "1.5": [TIU, CMT],
    "2.1": [JMT, LSP], "2.2": [IEO, CMT, "Equalities Monitoring Group"], "2.3": [JMT, LSP, CD],
    "2.4": [IEO], "2.5": [IEO], "2.6": [JMT, CMT, TIU], "2.7": [TIU], "2.8": [IEO],
    "2.9": [IEO, "Mel Staton", CMT], "2.10": ["Members Services", "PR"],
    "3.1": [CD], "3.2": [CD], "3.3": [CD, "PR", TIU],
    "4.1": [TIU], "4.2": [TIU], "4.3": [TIU], "4.4": [TIU], "4.5": [CMT], "4.6": [CS],
    "4.7": [CS, TIU], "4.8": [PP], "4.9": [CMT],
    "5.1": [PP], "5.2": [PP], "5.3": [JMT], "5.4": [PP], "5.5": [PP],
}  # fmt: skip


def _rows(session: Session, slug: str) -> list[dict[str, str]]:
    return export_rows(session, slug)


def test_eflg_plan_has_five_themes_and_32_issues(seeded: Session) -> None:
    rows = _rows(seeded, "eflg-developing")
    assert len(rows) == 32
    per_theme = Counter(row["theme"] for row in rows)
    assert list(per_theme.values()) == [5, 10, 3, 9, 5]
    assert list(per_theme) == [
        "KNOWING YOUR COMMUNITY AND EQUALITY MAPPING",
        "PLACE SHAPING, LEADERSHIP, PARTNERSHIP AND ORGANISATIONAL COMMITMENT",
        "COMMUNITY ENGAGEMENT AND SATISFACTION",
        "RESPONSIVE SERVICES AND CUSTOMER CARE",
        "A MODERN AND DIVERSE WORKFORCE",
    ]
    assert all(row["level"] == "Developing" for row in rows)
    assert all(row["status"] == "Not started" for row in rows)


def test_each_eflg_issue_has_its_own_leads_in_order(seeded: Session) -> None:
    leads = {row["ref"]: row["leads"].split(" / ") for row in _rows(seeded, "eflg-developing")}
    assert leads == EFLG_LEADS


def test_eflg_issue_text_is_verbatim(seeded: Session) -> None:
    text = {row["ref"]: row["issue"] for row in _rows(seeded, "eflg-developing")}
    assert text["1.1"] == (
        "Set up a strategic intelligence hub for the authority which can be shared with the LSP "
        "and partner organisations."
    )
    assert text["2.6"] == (
        "Develop a group approach to EIA's including representatives from the equality strands. "
        "Refer EIA's to Scrutiny Committee and publish the results of all EIA's."
    )
    assert text["2.7"] == "Monitor progress against equality actions in service plans"
    assert text["5.5"] == (
        "Ensure that the appraisal system has been reviewed to take into account equality issues"
    )


def test_eflg_lead_cells_are_kept_as_written(seeded: Session) -> None:
    plan = seeded.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    cells = {issue.ref: issue.lead_text for issue in plan.issues}
    assert cells["2.3"] == "JMT/LSP/Comm.Devel"
    assert cells["2.9"] == "Improvement and Efficiency Officer/Mel Staton/CMT"
    assert cells["1.5"] == "The Improvement Unit/CMT"


def test_lead_aliases_are_merged(seeded: Session) -> None:
    aliases = {a.alias: a.lead.name for a in seeded.exec(select(LeadAlias)).all()}
    assert aliases["Improvement Unit"] == TIU
    assert aliases["Comm.Devel"] == CD
    assert aliases["CMT"] == CMT
    assert aliases["E&D Officer"] == "Equality & Diversity Officer"
    names = [lead.name for lead in seeded.exec(select(Lead)).all()]
    assert "Improvement Unit" not in names and "Comm.Devel" not in names


def test_named_person_is_a_person_not_a_service(seeded: Session) -> None:
    person = seeded.exec(select(Lead).where(Lead.name == "Mel Staton")).one()
    assert person.kind == "person"


def test_officers_roll_into_their_parent_service(seeded: Session) -> None:
    officer = seeded.exec(select(Lead).where(Lead.name == IEO)).one()
    parent = seeded.get(Lead, officer.parent_id)
    assert parent is not None and parent.name == TIU
    scrutiny = seeded.exec(select(Lead).where(Lead.name == "Scrutiny Managers")).one()
    assert seeded.get(Lead, scrutiny.parent_id).name == "Chief Executive's Office"


RES_DUE = [
    ("Design and deliver equality impact assessment training", date(2008, 8, 31), "season", None),
    ("Devise a programme of EIA", None, None, "annually"),
    ("Build EIA into business planning", None, None, "annually"),
    ("Raise awareness of elected members", date(2008, 10, 31), "month", None),
    ("Embed EIA into every stage", date(2011, 12, 31), "year", None),
    ("Analyse the results of the MORI staff survey", date(2008, 7, 31), "month", None),
    ("Ensure that equality and diversity is included in our Resourcing", date(2008, 12, 31),
     "year", None),
    ("Publish a corporate framework for accessible engagement", date(2009, 4, 30), "month", None),
    ("Ensure HR Policy Review Group receive EIA training.", date(2008, 6, 30), "month", None),
    ("Review current procurement and commissioning", date(2009, 3, 31), "month", None),
]  # fmt: skip


def test_res_timescales_are_kept_and_parsed(seeded: Session) -> None:
    plan = seeded.exec(select(Plan).where(Plan.slug == "race-equality-scheme-2008-11")).one()
    assert plan.title == "Race Equality Scheme action plan 2008–11"
    by_text = {issue.text: issue for issue in plan.issues}
    for start, due, precision, recurrence in RES_DUE:
        (issue,) = [i for t, i in by_text.items() if t.startswith(start)]
        assert (issue.due_date, issue.due_precision, issue.recurrence) == (
            due,
            precision,
            recurrence,
        ), start
    pilot = next(i for t, i in by_text.items() if t.startswith("Design and deliver equality"))
    assert pilot.timescale == (
        "Pilot: May 2008 Build into Staffordshire Manager Training Programme: Summer 2008"
    )


def test_res_lead_officers_are_separate(seeded: Session) -> None:
    rows = _rows(seeded, "race-equality-scheme-2008-11")
    by_issue = {row["issue"][:40]: row["leads"].split(" / ") for row in rows}
    raise_awareness = next(v for k, v in by_issue.items() if k.startswith("Raise awareness"))
    assert raise_awareness == ["Equality & Diversity Officer", "Scrutiny Managers"]
    procurement = next(v for k, v in by_issue.items() if k.startswith("Review current procure"))
    assert procurement == ["Equality & Diversity Officer", "Senior Category Manager"]


def test_res_blank_measures_stay_blank(seeded: Session) -> None:
    rows = _rows(seeded, "race-equality-scheme-2008-11")
    blank = [row for row in rows if not row["measure"]]
    assert len(blank) == 5
    assert any(r["measure"] == "No. of EIA training sessions delivered" for r in rows)


def test_all_five_documents_are_loaded(seeded: Session) -> None:
    slugs = set(seeded.exec(select(Plan.slug)).all())
    assert {
        "eflg-developing",
        "race-equality-scheme-2008-11",
        "corporate-equalities-strategy",
        "childrens-services-equality-strategy",
    } <= slugs
    hampshire = seeded.exec(
        select(Organisation).where(Organisation.name == "Hampshire County Council")
    ).one()
    governance = {lead.name: lead.kind for lead in hampshire.leads}
    assert governance["Equalities Strategic Action Group"] == "board"
    assert governance["Corporate Management Team"] == "board"
    strategies = seeded.exec(
        select(Section.heading)
        .join(Plan)
        .where(Plan.slug == "corporate-equalities-strategy")
        .order_by(Section.position)
    ).all()
    assert len(strategies) == 6 and strategies[0] == "Strategy 1 - Communications"
    priorities = seeded.exec(
        select(func.count())
        .select_from(Section)
        .join(Plan)
        .where(Plan.slug == "childrens-services-equality-strategy")
    ).one()
    assert priorities == 9


def test_characteristics_and_frameworks(seeded: Session) -> None:
    chars = seeded.exec(select(Characteristic).order_by(Characteristic.position)).all()
    protected = [c.name.lower() for c in chars if c.protected]
    assert protected == [
        "age", "disability", "gender reassignment", "marriage and civil partnership",
        "pregnancy and maternity", "race", "religion or belief", "sex", "sexual orientation",
    ]  # fmt: skip
    assert len([c for c in chars if not c.protected]) == 3
    codes = seeded.exec(select(FrameworkVersion.code)).all()
    assert sorted(codes) == ["eflg-2009", "eflg-2011", "eflg-2021"]
    v2021 = seeded.exec(select(FrameworkVersion).where(FrameworkVersion.code == "eflg-2021")).one()
    assert [lv.name for lv in sorted(v2021.levels, key=lambda lv: lv.position)] == [
        "Developing", "Achieving", "Excellent",
    ]  # fmt: skip
    assert len(v2021.themes) == 4
    assert seeded.exec(select(func.count()).select_from(ThemeMapping)).one() >= 9


def _table_counts(session: Session) -> dict[str, int]:
    tables = [Organisation, Lead, LeadAlias, Plan, Section, Issue, Characteristic, Theme,
              ThemeMapping, StatusChange]  # fmt: skip
    return {t.__name__: session.exec(select(func.count()).select_from(t)).one() for t in tables}


def test_seeding_twice_changes_nothing(seeded: Session) -> None:
    before = _table_counts(seeded)
    exported = export_rows(seeded)
    report = seed_database(seeded)
    assert not report.changed
    assert _table_counts(seeded) == before
    assert export_rows(seeded) == exported


def test_organisations_are_named_as_their_documents_name_them(seeded: Session) -> None:
    """A council its document does not name is not given a name (nor a label that reads like
    one): the name says it is not named. The verbatim seed text is unchanged."""
    names = {
        plan.slug: seeded.exec(
            select(Organisation.name).where(Organisation.id == plan.organisation_id)
        ).one()
        for plan in seeded.exec(select(Plan)).all()
    }
    assert names["eflg-developing"] == "A council (not named in its action plan)"
    assert names["childrens-services-equality-strategy"] == (
        "Children's Services (council not named in its strategy)"
    )
    assert names["race-equality-scheme-2008-11"] == "Staffordshire County Council"
    assert not [n for n in names.values() if "unnamed" in n.casefold()]


def test_a_database_seeded_under_an_earlier_name_is_renamed(seeded: Session) -> None:
    """Seeding again a database whose organisation has an earlier seed's label renames it and
    keeps its plan and leads (no second, empty organisation)."""
    org = seeded.exec(
        select(Organisation).where(Organisation.name == "A council (not named in its action plan)")
    ).one()
    org.name = "Unnamed council (EFLG Developing level action plan)"
    seeded.add(org)
    seeded.commit()
    before = _table_counts(seeded)
    exported = export_rows(seeded)
    seed_database(seeded)
    seeded.refresh(org)
    assert org.name == "A council (not named in its action plan)"
    assert _table_counts(seeded) == before and export_rows(seeded) == exported
