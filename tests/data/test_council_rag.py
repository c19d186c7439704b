"""The council's own RAG rating (issue 17 item 3): a RAG column imports as the council's rating
with the status left as it is, the plan's figures then match the council's spreadsheet, officers
change the rating with their update (kept in the history), and an admin chooses which rating a
plan's figures use. On SQLite and PostgreSQL."""

import csv
import io
from datetime import date

import pytest
from sqlmodel import Session, col, select

from dashboard.formats.headers import COLUMNS
from dashboard.formats.sheets import rows_to_csv
from dashboard.formats.words import change_words
from dashboard.reads import progress
from dashboard.reads.exports import export_rows
from dashboard.reads.issues import issue_id_by_ref, recent_updates
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, Actor, PermissionDenied
from dashboard.rules.progress import Rag
from dashboard.writes import updates
from dashboard.writes.import_plan import (
    WORDS_TAGGED,
    ImportOptions,
    ImportPreview,
    read_own_rag,
    run_import,
)
from dashboard.writes.ratings import RatingSourceRefused, set_rating_source
from models import Issue, Lead, OwnRag, Plan, RatingSource, Role, Status, StatusChange

TODAY = date(2026, 12, 2)
HEADER = ["Ref", "Theme", "Action", "Lead officer", "Target date", "RAG"]
# Every target date is long past, so by dates every open action would be Red: the overview can
# only show the sheet's own Red and Amber figures by reading the RAG column.
SHEET = [
    ["1.1", "Workforce", "Publish the pay gap report", "HR", "March 2025", "Red"],
    ["1.2", "Workforce", "Run the staff survey", "HR", "March 2025", " amber "],
    ["1.3", "Workforce", "Train every manager", "HR", "March 2025", "G"],
    ["2.1", "Services", "Translate the leaflets", "Customer Services", "June 2025", "Amber/Green"],
    ["2.2", "Services", "Audit building access", "Facilities", "June 2025", "Blue"],
    ["2.3", "Services", "Review the complaints policy", "Customer Services", "June 2025", ""],
    ["2.4", "Services", "Consult the disability forum", "Facilities", "June 2025", "GREEN"],
]
# A sheet the council rated throughout, the common case.
RATED = [row for row in SHEET if row[0] not in ("2.2", "2.3")] + [
    ["2.5", "Services", "Publish the equality objectives", "Facilities", "June 2025", "R"]
]


def rag_csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def imported(session: Session, data: bytes, **options: str | None) -> ImportPreview:
    result = run_import(
        session,
        data,
        "council-plan.csv",
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(**options),  # type: ignore[arg-type]
        dry_run=False,
    )
    assert result.ok, result.summary()
    return result


def plan_of(session: Session, slug: str | None) -> Plan:
    plan = session.exec(select(Plan).where(Plan.slug == slug)).one()
    session.refresh(plan)
    return plan


def issues_by_ref(session: Session, plan: Plan) -> dict[str, Issue]:
    found = session.exec(
        select(Issue).where(Issue.plan_id == plan.id).execution_options(populate_existing=True)
    ).all()
    return {issue.ref: issue for issue in found}


@pytest.mark.parametrize(
    ("cell", "rating"),
    [
        ("Red", OwnRag.RED),
        ("  AMBER ", OwnRag.AMBER),
        ("g", OwnRag.GREEN),
        ("R", OwnRag.RED),
        ("Amber/Green", OwnRag.AMBER),  # between two ratings: the worse
        ("Red - Amber", OwnRag.RED),
        ("Blue", None),
        ("Red – overdue", None),  # words other than a rating: not read as one
        ("n/a", None),
        ("-", None),
    ],
)
def test_a_rag_cell_is_read_as_the_councils_rating(cell: str, rating: OwnRag | None) -> None:
    assert read_own_rag(cell) is rating


def test_import_keeps_the_councils_ratings_and_the_overview_shows_its_figures(
    seeded: Session,
) -> None:
    result = imported(seeded, rag_csv(SHEET), organisation="Anyshire")
    plan = plan_of(seeded, result.plan_slug)
    assert plan.rating_source == RatingSource.COUNCIL.value
    got = issues_by_ref(seeded, plan)
    assert {ref: i.own_rag for ref, i in got.items()} == {
        "1.1": "Red", "1.2": "Amber", "1.3": "Green", "2.1": "Amber", "2.2": None, "2.3": None,
        "2.4": "Green",
    }  # fmt: skip
    # a rating is not a status: a rated action is In progress; one with no rating as it was
    assert {i.status for ref, i in got.items() if i.own_rag} == {Status.IN_PROGRESS.value}
    assert got["2.3"].status == Status.NOT_STARTED.value
    # ("Consult the disability forum" is tagged Disability, with the note that says so)
    [warning] = [w for w in result.warnings if w.message != WORDS_TAGGED]
    assert warning.row == 6 and warning.column == "F 'RAG'" and warning.value == "Blue"
    assert "not a RAG rating (Red, Amber or Green); it was left out." in str(warning)

    # the two it did not rate count by their dates: overdue, so Red
    head = progress.headline(seeded, progress.Filters(plan_id=plan.id or 0), TODAY, 30)
    assert (head["red"], head["amber"]) == (1 + 2, 2)


def test_the_overview_shows_the_red_and_amber_figures_of_the_councils_spreadsheet(
    seeded: Session,
) -> None:
    result = imported(seeded, rag_csv(RATED), organisation="Anyshire")
    plan = plan_of(seeded, result.plan_slug)
    assert [w.message for w in result.warnings] == [WORDS_TAGGED]
    head = progress.headline(seeded, progress.Filters(plan_id=plan.id or 0), TODAY, 30)
    sheet_red = sum(read_own_rag(row[5]) is OwnRag.RED for row in RATED)
    sheet_amber = sum(read_own_rag(row[5]) is OwnRag.AMBER for row in RATED)
    assert (head["red"], head["amber"]) == (sheet_red, sheet_amber) == (2, 2)
    themes = progress.progress_by_theme(seeded, progress.Filters(plan_id=plan.id or 0), TODAY, 30)
    assert themes.set_index("theme")[["red", "amber"]].to_dict("index") == {
        "Workforce": {"red": 1, "amber": 1},
        "Services": {"red": 1, "amber": 1},
    }
    # set to use the dates, the same plan is all Red: every target date has passed
    set_rating_source(
        session=seeded, actor=COMMAND_LINE_ADMIN, plan_slug=plan.slug, rating_source="dates"
    )
    by_dates = progress.headline(seeded, progress.Filters(plan_id=plan.id or 0), TODAY, 30)
    assert (by_dates["red"], by_dates["amber"]) == (len(RATED), 0)


def test_an_unrated_action_counts_by_its_dates_in_a_plan_using_the_councils_rating(
    seeded: Session,
) -> None:
    result = imported(seeded, rag_csv(SHEET), organisation="Anyshire")
    plan = plan_of(seeded, result.plan_slug)
    rows = progress.theme_issues(
        seeded,
        progress.Filters(plan_id=plan.id or 0),
        issues_by_ref(seeded, plan)["2.2"].section_id,
        TODAY,
        30,
    ).set_index("ref")
    assert rows.loc["2.1", "figure_rag"] == Rag.AMBER.value  # the council's Amber
    assert rows.loc["2.1", "rag"] == Rag.RED.value  # by dates: overdue
    assert rows.loc["2.2", "figure_rag"] == Rag.RED.value  # no rating of its own: by dates
    assert rows.loc["2.1", "own_rag_text"] == "◆ Amber"
    assert rows.loc["2.2", "own_rag_text"] == "– Not set"


def test_a_status_column_gives_the_status_and_the_rag_column_the_rating(seeded: Session) -> None:
    header = [*HEADER, "Status"]
    rows = [
        ["1.1", "Workforce", "Publish the pay gap report", "HR", "March 2025", "Amber", "Complete"],
        ["1.2", "Workforce", "Run the staff survey", "HR", "March 2025", "Red", ""],
    ]
    result = imported(seeded, rag_csv(rows, header), organisation="Anyshire")
    got = issues_by_ref(seeded, plan_of(seeded, result.plan_slug))
    assert (got["1.1"].status, got["1.1"].own_rag) == ("Complete", "Amber")
    assert (got["1.2"].status, got["1.2"].own_rag) == ("Not started", "Red")
    head = progress.headline(
        seeded, progress.Filters(plan_id=got["1.1"].plan_id), TODAY, 30
    )  # a Complete action counts as complete, whatever its rating
    assert (head["red"], head["amber"], head["Complete"]) == (1, 0, 1)


def test_an_update_import_changes_ratings_and_keeps_the_plans_setting(seeded: Session) -> None:
    first = imported(seeded, rag_csv(SHEET), organisation="Anyshire")
    plan = plan_of(seeded, first.plan_slug)
    set_rating_source(
        session=seeded, actor=COMMAND_LINE_ADMIN, plan_slug=plan.slug, rating_source="dates"
    )
    changed = [list(row) for row in SHEET]
    changed[0][5] = "Green"  # 1.1 Red -> Green
    changed[4][5] = "Red"  # 2.2 had no rating
    changed[5][5] = ""  # an empty cell leaves 2.3 as it is
    again = imported(seeded, rag_csv(changed), plan_slug=plan.slug)
    assert {line.ref: line.changes for line in again.updated} == {
        "1.1": ("council's RAG rating",),
        "2.2": ("council's RAG rating",),
    }
    got = issues_by_ref(seeded, plan)
    assert (got["1.1"].own_rag, got["2.2"].own_rag) == ("Green", "Red")
    assert got["2.2"].status == Status.NOT_STARTED.value  # an action already known keeps its status
    assert plan_of(seeded, plan.slug).rating_source == RatingSource.DATES.value
    assert imported(seeded, rag_csv(changed), plan_slug=plan.slug).updated == []


def test_a_plan_without_a_rag_column_uses_the_dates(seeded: Session) -> None:
    result = imported(
        seeded, rag_csv([row[:5] for row in SHEET], HEADER[:5]), organisation="Anyshire"
    )
    plan = plan_of(seeded, result.plan_slug)
    assert plan.rating_source == RatingSource.DATES.value
    assert all(i.own_rag is None for i in issues_by_ref(seeded, plan).values())


# ---------------------------------------------------------------- officers' updates

PLAN = "eflg-developing"


def officer_for(session: Session, lead_name: str) -> Actor:
    lead = session.exec(select(Lead.id).where(Lead.name == lead_name)).one()
    assert lead is not None
    return Actor(name="Asha Patel", role=Role.OFFICER, lead_ids=frozenset({lead}))


def seeded_issue(session: Session, ref: str) -> Issue:
    found = issue_id_by_ref(session, PLAN, ref)
    assert found is not None
    got = session.get(Issue, found[0], populate_existing=True)
    assert got is not None
    return got


def test_an_officer_sets_the_rating_with_their_update_and_the_history_keeps_it(
    seeded: Session,
) -> None:
    officer = officer_for(seeded, "Improvement and Efficiency Officer")  # leads 2.9
    target = seeded_issue(seeded, "2.9")
    saved = updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id or 0,
        status=target.status,  # the status stays as it is: a rating alone is an update
        note=None,
        expected_version=target.version,
        own_rag="Amber",
    )
    assert (saved.own_rag, saved.version, saved.status) == ("Amber", 2, "Not started")
    saved = updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id or 0,
        status="In progress",
        note="Risks identified with the supplier.",
        expected_version=saved.version,
        own_rag="Green",
    )
    later = updates.record_status_change(  # a save that does not mention the rating keeps it
        session=seeded,
        actor=officer,
        issue_id=target.id or 0,
        status="In progress",
        note="Supplier replaced.",
        expected_version=saved.version,
    )
    assert later.own_rag == "Green" and seeded_issue(seeded, "2.9").own_rag == "Green"
    rows = seeded.exec(
        select(StatusChange)
        .where(StatusChange.issue_id == target.id)
        .order_by(col(StatusChange.id))
    ).all()
    assert [(r.from_rag, r.to_rag) for r in rows] == [
        (None, "Amber"),
        ("Amber", "Green"),
        (None, None),
    ]
    shown = [
        change_words(r.from_status, r.to_status, r.from_rag, r.to_rag)
        for r in recent_updates(seeded, [target.id or 0])
    ]
    assert shown == [
        "Note added",
        "Not started → In progress; RAG Amber → Green",
        "RAG Not set → Amber",
    ]
    cleared = updates.record_status_change(
        session=seeded,
        actor=officer,
        issue_id=target.id or 0,
        status="In progress",
        note=None,
        expected_version=later.version,
        own_rag=None,  # "Not set"
    )
    assert cleared.own_rag is None and seeded_issue(seeded, "2.9").own_rag is None
    [last] = recent_updates(seeded, [target.id or 0], per_issue=1)
    assert change_words(last.from_status, last.to_status, last.from_rag, last.to_rag) == (
        "RAG Green → Not set"
    )


def test_a_rating_is_refused_as_a_status_would_be(seeded: Session) -> None:
    officer = officer_for(seeded, "Improvement and Efficiency Officer")
    viewer = Actor(name="Cllr Viewer", role=Role.VIEWER)
    own, other = seeded_issue(seeded, "2.9"), seeded_issue(seeded, "1.1")

    def rate(actor: Actor, target: Issue, own_rag: str | None, *, version_off: int = 0) -> None:
        updates.record_status_change(
            session=seeded,
            actor=actor,
            issue_id=target.id or 0,
            status=target.status,
            note=None,
            expected_version=target.version + version_off,
            own_rag=own_rag,
        )

    for actor, target in ((viewer, own), (officer, other)):
        with pytest.raises(PermissionDenied):
            rate(actor, target, "Red")
    with pytest.raises(updates.UpdateRefused, match="'Purple' is not a RAG rating"):
        rate(officer, own, "Purple")
    with pytest.raises(updates.UpdateRefused, match="Nothing to save for issue 2.9"):
        rate(officer, own, None)  # the same rating again changes nothing
    with pytest.raises(updates.Conflict):  # the version seen is still checked
        rate(officer, own, "Red", version_off=1)
    assert seeded_issue(seeded, "2.9").own_rag is None
    assert seeded.exec(select(StatusChange)).all() == []


def test_bulk_update_sets_ratings_all_or_nothing(seeded: Session) -> None:
    officer = officer_for(seeded, "Improvement and Efficiency Officer")  # 1.3, 2.2, 2.4, …
    first, second = seeded_issue(seeded, "1.3"), seeded_issue(seeded, "2.4")
    changes = [
        updates.IssueChange(first.id or 0, first.version, first.status, None, "Red"),
        updates.IssueChange(second.id or 0, second.version, "Complete", None, "Green"),
    ]
    with pytest.raises(updates.UpdateRefused, match="Write a progress note"):
        updates.bulk_update(session=seeded, actor=officer, changes=changes)
    assert seeded_issue(seeded, "1.3").own_rag is None
    changes[1] = updates.IssueChange(second.id or 0, second.version, "Complete", "Done.", "Green")
    saved = updates.bulk_update(session=seeded, actor=officer, changes=changes)
    assert [s.own_rag for s in saved] == ["Red", "Green"]
    assert seeded_issue(seeded, "1.3").own_rag == "Red"


# ---------------------------------------------------------------- the plan's setting


def test_only_an_admin_chooses_which_rating_a_plans_figures_use(seeded: Session) -> None:
    officer = officer_for(seeded, "Improvement and Efficiency Officer")
    for actor in (officer, Actor(name="Cllr Viewer", role=Role.VIEWER)):
        with pytest.raises(PermissionDenied, match="Only an equality lead"):
            set_rating_source(session=seeded, actor=actor, plan_slug=PLAN, rating_source="council")
    with pytest.raises(RatingSourceRefused, match="'judgement' is not a rating a plan can use"):
        set_rating_source(
            session=seeded, actor=COMMAND_LINE_ADMIN, plan_slug=PLAN, rating_source="judgement"
        )
    with pytest.raises(RatingSourceRefused, match="No plan has the short name 'nope'"):
        set_rating_source(
            session=seeded, actor=COMMAND_LINE_ADMIN, plan_slug="nope", rating_source="council"
        )
    assert plan_of(seeded, PLAN).rating_source == "dates"
    plan = set_rating_source(
        session=seeded, actor=COMMAND_LINE_ADMIN, plan_slug=PLAN, rating_source="council"
    )
    assert plan.rating_source == plan_of(seeded, PLAN).rating_source == "council"


# ---------------------------------------------------------------- the packs


def test_the_packs_show_the_councils_rating_beside_the_one_by_dates(seeded: Session) -> None:
    from openpyxl import load_workbook

    from dashboard.reports.packs.committee import pdf_html
    from dashboard.reports.packs.contents import COUNCIL_AMBER, COUNCIL_RED, headline_rows
    from dashboard.reports.packs.gather import pack_data
    from dashboard.reports.packs.slides import slides
    from dashboard.reports.packs.workbook import xlsx_bytes

    result = imported(seeded, rag_csv(RATED), organisation="Anyshire")
    plan = plan_of(seeded, result.plan_slug)
    data = pack_data(seeded, plan.id or 0, None, TODAY, 30, hide_people=False)
    rows = dict((str(k), v) for k, v in headline_rows(data))
    assert (rows[COUNCIL_RED], rows[COUNCIL_AMBER], rows["Overdue"]) == (2, 2, len(RATED))
    deck = slides(data)
    overall = dict(deck[1].figures)
    assert (overall[COUNCIL_RED], overall[COUNCIL_AMBER]) == ("2", "2")
    risk = deck[-1].table
    assert risk is not None
    assert risk.headers[-2:] == ["RAG (by dates)", "RAG (council's rating)"]
    # the council's Red first, then its Amber; its Green ones are not at risk
    assert [(r[0], r[-1]) for r in risk.rows] == [
        ("1.1", "▲ Red"), ("2.5", "▲ Red"), ("1.2", "◆ Amber"), ("2.1", "◆ Amber"),
    ]  # fmt: skip
    assert {r[-2] for r in risk.rows} == {"▲ Red – overdue"}
    paper = pdf_html(data)
    assert "RAG (council&#x27;s rating)" in paper
    assert paper.count("overdue; 1 Red and 1 Amber by the council's rating.") == 2  # each theme
    summary = load_workbook(io.BytesIO(xlsx_bytes(data)))["Summary"]
    cells = {(row[0].value, row[1].value) for row in summary.iter_rows() if len(row) > 1}
    assert (COUNCIL_RED, 2) in cells and (COUNCIL_AMBER, 2) in cells


def test_a_plan_by_dates_keeps_its_packs_as_they_were(seeded: Session) -> None:
    from dashboard.reports.packs.contents import headline_rows, rag_columns
    from dashboard.reports.packs.gather import pack_data

    plan = plan_of(seeded, PLAN)
    data = pack_data(seeded, plan.id or 0, None, TODAY, 30, hide_people=False)
    assert [str(r[0]) for r in headline_rows(data)][2:] == ["Overdue", "Due soon and not started"]
    assert rag_columns(data) == (["rag"], ["RAG"])  # no issue has a rating of its own


def test_the_history_export_has_a_row_for_each_change_of_the_rating(seeded: Session) -> None:
    from dashboard.reads.issues import RAG_KIND, history_rows

    officer = officer_for(seeded, "Improvement and Efficiency Officer")
    target = seeded_issue(seeded, "2.9")
    saved = updates.record_status_change(
        session=seeded, actor=officer, issue_id=target.id or 0, status="Not started",
        note=None, expected_version=target.version, own_rag="Amber",
    )  # fmt: skip
    updates.record_status_change(
        session=seeded, actor=officer, issue_id=target.id or 0, status="In progress",
        note="Started.", expected_version=saved.version, own_rag="Green",
    )  # fmt: skip
    rows = [(r["kind"], r["from"], r["to"], r["note"]) for r in history_rows(seeded, PLAN)]
    assert rows == [
        (RAG_KIND, "", "Amber", ""),
        ("status", "Not started", "In progress", "Started."),
        (RAG_KIND, "Amber", "Green", ""),
    ]


def test_the_command_line_sets_a_plans_rating_and_an_issues_own_rating(
    engine: object,
    seeded: Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from dashboard.cli.main import main
    from dashboard.cli.output import BAD_INPUT

    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))  # type: ignore[attr-defined]

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    code, out, _ = run("plans", "set-rating", PLAN, "council")
    assert code == 0 and "figures of eflg-developing now use the council's own rating" in out
    assert plan_of(seeded, PLAN).rating_source == "council"
    code, _, err = run("plans", "set-rating", "nope", "dates")
    assert code == BAD_INPUT and "No plan has the short name 'nope'" in err
    with pytest.raises(SystemExit):  # argparse names the two choices
        run("plans", "set-rating", PLAN, "judgement")
    assert "invalid choice: 'judgement'" in capsys.readouterr().err
    code, out, _ = run("plans")
    assert code == 0 and "eflg-developing" in out  # the list as before

    run("users", "add", "asha.patel@council.gov.uk", "--role", "officer",
        "--lead", "Improvement and Efficiency Officer")  # fmt: skip
    code, out, _ = run("update", "--plan", PLAN, "--ref", "2.9", "--rag", "Amber",
                       "--as", "asha.patel@council.gov.uk")  # fmt: skip
    assert code == 0 and "is now Not started (RAG rating: Amber)." in out
    assert seeded_issue(seeded, "2.9").own_rag == "Amber"
    code, out, _ = run("update", "--plan", PLAN, "--ref", "2.9", "--rag", "not-set",
                       "--as", "asha.patel@council.gov.uk")  # fmt: skip
    assert code == 0 and "(RAG rating: not set)." in out
    assert seeded_issue(seeded, "2.9").own_rag is None


def test_the_peer_pack_shows_the_councils_rating_beside_the_one_by_dates(
    seeded: Session, tmp_path: object
) -> None:
    import dataclasses
    import subprocess
    from pathlib import Path

    from dashboard.reports.peer_pack.gather import gather, plan_and_theme
    from dashboard.reports.peer_pack.pdf import pack_pdf
    from dashboard.store.settings import Settings

    target = seeded_issue(seeded, "1.1")
    target.own_rag = "Amber"
    seeded.commit()
    settings = dataclasses.replace(Settings.from_env(), evidence_dir=Path(str(tmp_path)))
    plan_id, theme_id = plan_and_theme(seeded, PLAN, "Knowing your community and equality mapping")
    pdf = Path(str(tmp_path)) / "pack.pdf"
    pdf.write_bytes(pack_pdf(gather(seeded, plan_id, theme_id, settings=settings, today=TODAY)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())
    issues = flat[flat.index("Issueswiththeirstatusnow") : flat.index("Evidence")]
    assert "(council's" in issues and "rating)" in issues  # the heading, wrapped in its cell
    assert "○NotGreenAmber" in issues  # 1.1: Not started, Green by dates, the council's Amber
    assert issues.count("Notset") == 4  # the theme's other issues: not rated


def test_the_export_carries_the_councils_ratings_and_imports_back(seeded: Session) -> None:
    """A council-rated plan exported and read back: the ratings are in the file's own 'rag'
    column, a re-import changes nothing, and a rating changed in the file changes the plan's."""
    plan = plan_of(seeded, imported(seeded, rag_csv(RATED), organisation="Anyshire").plan_slug)
    rows = export_rows(seeded, plan.slug)
    assert {row["ref"]: row["rag"] for row in rows}["1.2"] == "Amber"
    again = imported(seeded, rows_to_csv(rows, COLUMNS).encode(), plan_slug=plan.slug)
    assert again.ok and not again.updated and len(again.unchanged) == len(RATED)
    for row in rows:
        row["rag"] = "Green" if row["ref"] == "1.2" else row["rag"]
    changed = imported(seeded, rows_to_csv(rows, COLUMNS).encode(), plan_slug=plan.slug)
    assert [line.ref for line in changed.updated] == ["1.2"]
    assert issues_by_ref(seeded, plan)["1.2"].own_rag == "Green"
