"""The progress screens (overview, theme, service, issue, coverage) against the seeded database."""

import html
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, col, select
from streamlit.testing.v1 import AppTest

from dashboard.formats.headers import COLUMNS
from dashboard.formats.sheets import rows_to_csv
from dashboard.formats.words import format_day
from dashboard.reads import progress
from dashboard.reads.exports import export_rows
from dashboard.rules.dates import uk_today
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.rules.progress import Rag
from dashboard.store.settings import Settings
from dashboard.ui.cache import after_write
from dashboard.ui.labels import rag_label, status_label
from dashboard.ui.overview import SERVICES_TABLE_OPEN, THEMES_TABLE_OPEN
from dashboard.ui.widgets import FILTERS_OPEN
from dashboard.writes import updates
from dashboard.writes.import_plan import ImportOptions, run_import
from models import (
    DueDateChange,
    Evidence,
    Issue,
    Lead,
    Organisation,
    Plan,
    Section,
    Status,
    StatusChange,
    pk,
)
from tests.app.tables import figures, html_headings, html_text, tables, words

EFLG, RES = "eflg-developing", "race-equality-scheme-2008-11"
# The overview's folds holding the themes and the services as tables, opened.
TABLES_OPEN = (THEMES_TABLE_OPEN, SERVICES_TABLE_OPEN)
RED, AMBER = words(rag_label(Rag.RED)), words(rag_label(Rag.AMBER))
# The Improvement Unit leads these itself (issue 3 of the brief)
DIRECT = ["1.1", "1.2", "1.4", "1.5", "2.6", "2.7", "3.3", "4.1", "4.2", "4.3", "4.4", "4.7"]


def issue(session: Session, slug: str, ref: str) -> Issue:
    return session.exec(select(Issue).join(Plan).where(Plan.slug == slug, Issue.ref == ref)).one()


def set_status(session: Session, slug: str, refs: list[str], status: Status, note: str) -> None:
    """What a tick-off does: the new status and its history row; then the caches are cleared."""
    for ref in refs:
        row = issue(session, slug, ref)
        session.add(
            StatusChange(
                issue_id=pk(row),
                from_status=row.status,
                to_status=status.value,
                note=note,
                by="Ann",
            )
        )
        row.status = status.value
    session.commit()
    after_write()


def metrics(at: AppTest) -> dict[str, str]:
    return figures(at)


def texts(at: AppTest) -> str:
    """The page's words: Markdown elements and HTML blocks (sections below the overview's chart)."""
    return " ".join(m.value for m in at.markdown) + " " + html_text(at)


def links(at: AppTest) -> dict[str, str]:
    """Every link in the page's HTML blocks: its words → its address."""
    found = {}
    for block in at.html:
        for address, inner in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', block.value, re.S):
            text = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
            found[html.unescape(text)] = html.unescape(address)
    return found


def section_id(session: Session, slug: str, position: int) -> int:
    return pk(
        session.exec(
            select(Section).join(Plan).where(Plan.slug == slug, Section.position == position)
        ).one()
    )


def test_overview_shows_the_eflg_plan_by_default(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = app(opened=TABLES_OPEN)
    assert at.title[0].value == "Progress at a glance"
    assert metrics(at) == {
        "Issues": "32",
        "Complete": "0%",
        RED: "0",
        AMBER: "0",
    }
    # Every theme at 0%: the one with most issues is furthest behind, and the sentence says so.
    assert (
        "Furthest behind: Place shaping, leadership, partnership and organisational commitment "
        "(0%) and The Improvement Unit (0 of 18 done)" in texts(at)
    )
    themes = tables(at)[0]
    assert list(themes["Issues"]) == [10, 9, 5, 5, 3]  # furthest behind first
    assert themes["Theme"].iloc[0].startswith("Place shaping")
    services = tables(at)[1]
    assert services["Lead"].iloc[0] == "The Improvement Unit"  # most issues among the 0% ones
    assert "No issues are overdue." in texts(at)
    assert html_headings(at, 2) == ["Overdue issues", "Readiness for a level", "Recent changes"]
    assert html_headings(at, 3) == [
        "% complete by theme, furthest behind first",
        "Lead services furthest behind",
        "Developing level",
    ]
    assert "No updates have been recorded on these issues yet." in texts(at)
    assert "plan" not in at.query_params  # the default view keeps a plain address
    assert not at.error


def test_overview_bars_and_rows_lead_to_their_theme_service_and_issue(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    set_status(seeded, EFLG, ["1.1", "1.2", "4.2"], Status.COMPLETE, "Hub launched")
    unit = seeded.exec(select(Lead).where(Lead.name == "The Improvement Unit")).one()
    at = app(plan=EFLG, characteristic="all", opened=TABLES_OPEN)
    found = links(at)
    first = section_id(seeded, EFLG, 1)
    # A theme's bar: its name, % and counts in words, and the Themes page with the same filters.
    bar = next(t for t in found if t.startswith("Knowing your community"))
    assert "40%" in bar and "2 of 5 done" in bar and "3 not started" in bar
    assert found[bar] == f"themes?plan={EFLG}&characteristic=all&theme={first}"
    service = next(t for t in found if t.startswith("The Improvement Unit"))
    assert found[service] == f"services?lead={unit.id}"
    assert found["The Improvement Unit"] == f"services?lead={unit.id}"  # the table's row
    # Recent changes name the issue in words and lead to it.
    changes = tables(at)[-1]
    assert changes["Issue"].iloc[-1].startswith("1.1 ")
    assert len(changes["Issue"].iloc[-1]) > 10
    assert found[changes["Issue"].iloc[0]] == f"issue?issue={issue(seeded, EFLG, '4.2').id}"
    # Every row of the themes and services tables is a link.
    for table in tables(at)[:2]:
        assert all(name in found for name in table.iloc[:, 0]), table


def test_after_a_status_change_the_overview_numbers_move(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    assert metrics(app())["Complete"] == "0%"
    set_status(seeded, EFLG, ["1.1", "1.2", "1.3", "1.4"], Status.COMPLETE, "Hub launched")
    set_status(seeded, EFLG, ["2.1", "2.2"], Status.NOT_APPLICABLE, "Not for us")
    at = app(opened=TABLES_OPEN)
    assert metrics(at)["Complete"] == "13%"  # 4 of 30
    themes = tables(at)[0].set_index("Theme")
    assert themes.loc["Knowing your community and equality mapping", "Complete"] == 4
    assert themes.loc["Knowing your community and equality mapping", "% complete"] == "80%"
    changes = tables(at)[-1]
    assert len(changes) == 6
    assert set(changes["Note"]) == {"Hub launched", "Not for us"}


def test_the_overview_tables_are_drawn_once_their_fold_is_opened(
    app: Callable[..., AppTest],
) -> None:
    at = app()
    folds = [e.label for e in at.expander]
    assert "Show as a table" in folds
    assert "All 11 lead services as a table" in folds
    # closed, a fold's table and its downloads are not drawn (the first screen comes sooner)
    assert [list(t.columns)[0] for t in tables(at)] == ["Theme"]  # readiness alone
    assert not at.get("download_button")
    at.session_state[THEMES_TABLE_OPEN] = True  # Show as a table
    at.run()
    assert "% complete" in tables(at)[0].columns
    assert list(tables(at)[0]["Issues"]) == [10, 9, 5, 5, 3]
    assert len(at.get("download_button")) == 2  # CSV and Excel
    at.session_state[SERVICES_TABLE_OPEN] = True
    at.run()
    assert list(tables(at)[1].columns)[0] == "Lead"
    assert len(tables(at)[1]) == 11
    assert len(at.get("download_button")) == 4
    assert not at.exception


def test_overview_on_the_race_equality_scheme_shows_overdue_issues(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = app(plan=RES)
    assert metrics(at)["Issues"] == "19"
    assert int(metrics(at)[RED]) == 17  # every dated issue is long past
    overdue = next(t for t in tables(at) if "Due by" in t.columns)
    assert overdue["Issue"].iloc[0].startswith("2.3 ")  # its ref and its words
    assert overdue["Due by"].iloc[0] == "June 2008"
    assert links(at)[overdue["Issue"].iloc[0]] == f"issue?issue={issue(seeded, RES, '2.3').id}"
    assert all(row in links(at) for row in overdue["Issue"])
    assert "readiness is not shown" in texts(at)


def test_overview_filters_are_kept_in_the_address(app: Callable[..., AppTest]) -> None:
    at = app(plan=EFLG, characteristic="age")
    assert metrics(at)["Issues"] == "1"
    # folded away, the drop-downs are not drawn; the line above them says what is shown
    assert not at.selectbox
    assert "Showing EFLG Developing level action plan" in texts(at)
    assert "· Age" in texts(at)
    at.session_state[FILTERS_OPEN] = True  # Change the plan, level, lead service or …
    at.run()
    assert at.selectbox(key="choice_characteristic").value == "age"
    at.selectbox(key="choice_characteristic").set_value("all").run()
    assert metrics(at)["Issues"] == "32"
    assert at.query_params["characteristic"] == "all"
    at.selectbox(key="choice_plan").set_value(RES).run()
    assert at.query_params["plan"] == RES
    assert metrics(at)["Issues"] == "19"


def test_overview_says_when_no_issue_matches(app: Callable[..., AppTest]) -> None:
    at = app(plan=EFLG, level="Achieving")
    assert not figures(at)
    assert "No issues match these filters" in at.info[0].value
    assert "No issues in this plan count towards the Achieving level." in texts(at)


def test_a_plan_with_no_issues_says_so(app: Callable[..., AppTest], seeded: Session) -> None:
    organisation = seeded.exec(select(Organisation)).first()
    assert organisation is not None
    seeded.add(Plan(slug="new-plan", title="New plan", organisation_id=pk(organisation)))
    seeded.commit()
    at = app(plan="new-plan")
    assert at.info[0].value == "New plan has no issues yet."
    at = app("theme", plan="new-plan")
    assert "New plan has no themes or issues yet." in at.info[0].value
    at = app("coverage", plan="new-plan")
    assert "New plan has no themes or issues yet." in at.info[0].value


def test_theme_page_lists_its_issues_with_links(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    section = seeded.exec(
        select(Section).join(Plan).where(Plan.slug == EFLG, Section.position == 2)
    ).one()
    at = app("theme", plan=EFLG, theme=str(section.id))
    assert (
        at.header[0].value == "Place shaping, leadership, partnership and organisational commitment"
    )
    table = tables(at)[0]
    assert len(table) == 10
    assert table["Ref"].tolist()[-1] == "2.10"
    assert set(table["RAG"]) == {words(rag_label(Rag.GREEN, has_due_date=False))}
    assert table.set_index("Ref").loc["2.9", "Leads"] == (
        "Improvement and Efficiency Officer / Mel Staton / Corporate Management Team"
    )
    assert "10 issues · 0% complete · 0 overdue" in texts(at)
    found = links(at)
    for ref, words_ in zip(table["Ref"], table["Issue"], strict=True):  # each row leads on
        assert found[ref] == found[words_] == f"issue?issue={issue(seeded, EFLG, ref).id}"


def test_theme_page_takes_the_overview_filters(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    unit = seeded.exec(select(Lead).where(Lead.name == "The Improvement Unit")).one()
    at = app("theme", plan=EFLG, theme=str(section_id(seeded, EFLG, 1)), lead=str(unit.id))
    assert tables(at)[0]["Ref"].tolist() == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    officer = seeded.exec(
        select(Lead).where(Lead.name == "Improvement and Efficiency Officer")
    ).one()
    at = app("theme", plan=EFLG, theme=str(section_id(seeded, EFLG, 1)), lead=str(officer.id))
    assert tables(at)[0]["Ref"].tolist() == ["1.3"]  # the only one of theme 1 it leads


def test_theme_with_every_issue_not_applicable(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    set_status(seeded, EFLG, ["3.1", "3.2", "3.3"], Status.NOT_APPLICABLE, "Done elsewhere")
    section = seeded.exec(
        select(Section).join(Plan).where(Plan.slug == EFLG, Section.position == 3)
    ).one()
    at = app("theme", plan=EFLG, theme=str(section.id))
    assert "All 3 issues in this theme are marked Not applicable" in texts(at)
    assert set(tables(at)[0]["RAG"]) == {words(rag_label(Rag.NOT_APPLICABLE))}


def test_service_page_shows_direct_and_rolled_up_issues(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    unit = seeded.exec(select(Lead).where(Lead.name == "The Improvement Unit")).one()
    at = app("service", lead=str(unit.id))
    assert at.header[0].value == "The Improvement Unit"
    assert "Issues led by Improvement and Efficiency Officer are counted here too" in texts(at)
    table = tables(at)[0]
    direct = table[table["Led"] == "Directly"]["Ref"].tolist()
    assert direct == DIRECT
    through = table[table["Led"] == "Through Improvement and Efficiency Officer"]["Ref"].tolist()
    assert through == ["1.3", "2.2", "2.4", "2.5", "2.8", "2.9"]
    assert len(table) == 18
    assert "18 issues · 0% complete · 0 of 18 done · 0 overdue" in texts(at)
    assert links(at)["2.9"] == f"issue?issue={issue(seeded, EFLG, '2.9').id}"


def test_services_opens_on_the_service_furthest_behind(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = app("service")  # no lead in the address
    everyone = progress.leads(seeded)
    shown = at.header[0].value
    assert shown != everyone["name"].iloc[0]  # not merely the first by name
    assert shown == progress.services_behind(seeded, uk_today(), 30)["lead"].iloc[0]
    assert re.search(r"· 0% complete · 0 of \d+ done · [1-9]\d* overdue", texts(at)), shown


def test_service_page_for_a_lead_with_no_issues(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    organisation = seeded.exec(select(Organisation)).first()
    assert organisation is not None
    idle = Lead(organisation_id=pk(organisation), name="Parks", kind="service")
    seeded.add(idle)
    seeded.commit()
    at = app("service", lead=str(idle.id))
    assert "No issues are led by Parks." in texts(at)
    assert not tables(at)


def test_issue_page_shows_everything_and_user_text_as_text(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    row = issue(seeded, RES, "1.1")
    note = "See <b>minutes</b> [here](http://evil.example) **now**"
    set_status(seeded, RES, ["1.1"], Status.IN_PROGRESS, note)
    seeded.add(
        Evidence(
            issue_id=pk(row),
            title="<i>Pilot</i> report",
            url="https://example.org/r",
            added_by="Ann",
        )
    )
    seeded.commit()
    after_write()
    at = app("issue", issue=str(row.id))
    assert at.title[0].value == "Issue 1.1"
    assert [h.value for h in at.header] == ["Details", "Leads", "Timescale", "Evidence", "History"]
    details, leads, steps, evidence, history = tables(at)
    assert details.set_index("About").loc["Characteristics", "Detail"] == "Race"
    assert leads["Lead"].iloc[0] == "Equality & Diversity Officer"
    assert leads["Role"].iloc[0] == "Primary lead"
    assert steps["Due by"].tolist() == ["May 2008", "Summer 2008"]
    assert steps["Step"].tolist() == [
        "Pilot",
        "Build into Staffordshire Manager Training Programme",
    ]
    assert evidence["Title"].iloc[0] == "<i>Pilot</i> report"  # HTML-escaped: shown as typed
    assert history["Note"].iloc[0] == note  # escaped: shown exactly as typed
    assert history["Change"].iloc[0] == "Not started → In progress"
    assert status_label("In progress") in texts(at)
    assert rag_label(Rag.RED) in texts(at)


def test_issue_page_offers_stored_evidence_files_for_download(
    app: Callable[..., AppTest],
    seeded: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EFLG_EVIDENCE_DIR", str(tmp_path / "evidence"))
    row = issue(seeded, EFLG, "2.9")
    for name in ("tender-checklist.pdf", "old-minutes.txt"):
        updates.add_evidence(
            session=seeded,
            actor=COMMAND_LINE_ADMIN,
            issue_id=pk(row),
            upload=updates.EvidenceUpload(name, b"%PDF-1.4 evidence" if name.endswith("pdf")
                                          else b"Minutes of the meeting"),
            settings=Settings.from_env(),
        )  # fmt: skip
    gone = next((tmp_path / "evidence").rglob("*.txt"))
    gone.unlink()  # a file removed from the evidence folder behind the app's back
    after_write()
    at = app("issue", issue=str(row.id))
    evidence = next(t for t in tables(at) if "Link or file" in t.columns)
    assert set(evidence["Link or file"]) == {"tender-checklist.pdf", "old-minutes.txt"}
    assert [b.proto.label for b in at.get("download_button")] == ["Download tender-checklist.pdf"]
    captions = " ".join(c.value for c in at.caption)
    assert "The file old-minutes.txt is no longer in the evidence folder" in captions


def test_issue_page_with_no_due_date_or_history(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    row = issue(seeded, EFLG, "1.3")
    at = app("issue", issue=str(row.id))
    body = texts(at)
    assert "Due by: No due date" in body
    assert rag_label(Rag.GREEN, has_due_date=False) in body
    assert "No evidence has been added yet." in body
    assert "No updates yet" in body


def test_issue_page_shows_a_due_date_moved_by_importing_an_export(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    rows = export_rows(seeded, RES)
    assert (rows[3]["ref"], rows[3]["due"]) == ("1.4", "2008-10-31")
    rows[3]["due"] = "2009-03-31"
    result = run_import(
        seeded,
        rows_to_csv(rows, COLUMNS).encode(),
        "res-update.csv",
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(),
        dry_run=False,
    )
    assert result.ok, result.summary()
    after_write()
    row = issue(seeded, RES, "1.4")
    (move,) = seeded.exec(select(DueDateChange).where(DueDateChange.issue_id == row.id)).all()
    at = app("issue", issue=str(row.id))
    assert [h.value for h in at.subheader] == ["Due date changes"]
    assert "No updates yet" not in texts(at)
    moves = tables(at)[-1]
    assert moves.to_dict("records") == [
        {
            "When": format_day(move.at),  # "14:05 on 24 Nov 2026", UK time, as the status history
            "By": COMMAND_LINE_ADMIN.name,
            "From": "October 2008",
            "To": "March 2009",
            "Reason": "Changed by importing res-update.csv.",
        }
    ]
    assert "Due by: March 2009" in texts(at)


def test_issue_page_without_an_issue_points_to_the_themes(app: Callable[..., AppTest]) -> None:
    at = app("issue", issue="999999")
    assert "Choose an issue from a theme or a service" in texts(at)


def test_issue_page_leads_link_to_their_service_and_offer_an_update(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    row = issue(seeded, EFLG, "2.9")
    officer = seeded.exec(
        select(Lead).where(Lead.name == "Improvement and Efficiency Officer")
    ).one()
    at = app("issue", issue=str(row.id))  # the local administrator may update any issue
    found = links(at)
    assert found["Improvement and Efficiency Officer"] == f"services?lead={officer.id}"
    assert found["Update this issue"] == f"my_issues?issue={row.id}"


def test_coverage_marks_gaps_in_words(app: Callable[..., AppTest]) -> None:
    at = app("coverage", plan=EFLG)
    grid = tables(at)[0].set_index("Characteristic")
    assert list(grid.columns) == [f"Theme {n}" for n in range(1, 6)] + ["Whole plan"]
    assert grid.loc["Age", "Theme 3"] == "1"  # 3.1 "Investigate Youth engagement…"
    assert grid.loc["Race", "Theme 3"] == "None – gap"
    assert grid.loc["Age", "Whole plan"] == "1"
    assert "Carers (local)" in grid.index
    assert "Not named by any issue in this plan: Disability, Gender reassignment" in texts(at)
    key = tables(at)[1]
    assert key["Name"].iloc[2] == "Community engagement and satisfaction"


def test_every_progress_page_has_headings_in_order(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    first = seeded.exec(select(Issue).where(col(Issue.ref) == "1.1")).first()
    assert first is not None
    for name, query in [
        ("overview", {}),
        ("theme", {}),
        ("service", {}),
        ("coverage", {}),
        ("issue", {"issue": str(first.id)}),
    ]:
        at = app(name, **query)
        assert len(at.title) == 1, name
        assert not at.error and not at.exception, name


def test_a_page_that_ends_early_still_has_the_menu(app: Callable[..., AppTest]) -> None:
    """The menu is drawn after the page (so the page is sent first): a page that says why it
    goes no further (here, Find an issue with nothing typed) still has it, and the sign-in line."""
    at = app("search")
    assert "Search every plan's issues" in texts(at)
    menu = " ".join(m.value for m in at.sidebar.markdown)
    for section in ("**Progress**", "**My work**", "**Meetings**", "**Levels**"):
        assert section in menu
    assert "Signed in as Local administrator" in at.sidebar.caption[0].value
