"""Plans in each council layout import to the expected themes, refs, leads, due dates and
characteristics; re-importing changes nothing; an updated file updates and records history."""

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, col, select

from dashboard.formats.headers import Field
from dashboard.formats.sheets import rows_to_csv
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, Actor, PermissionDenied
from dashboard.rules.timescale import parse_timescale
from dashboard.writes.import_plan import ImportOptions, run_import
from models import (
    Characteristic,
    DueDateChange,
    Issue,
    IssueCharacteristic,
    IssueLead,
    Lead,
    Plan,
    Role,
    Section,
    StatusChange,
)
from tests import fixtures_import as fx

UNNAMED_002 = "A council (not named in its action plan)"
STAFFORDSHIRE = "Staffordshire County Council"


def _import(session: Session, data: bytes, filename: str, **options: Any) -> Any:
    result = run_import(
        session,
        data,
        filename,
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(**options),
        dry_run=False,
    )
    assert result.ok, result.summary()
    return result


def _issues(session: Session, slug: str) -> dict[str, dict[str, Any]]:
    """Each issue of a plan by ref: theme, text, objective, leads (primary first), due date,
    precision, recurrence, characteristic codes and status."""
    plan = session.exec(select(Plan).where(Plan.slug == slug)).one()
    found = {}
    for issue, heading in session.exec(
        select(Issue, Section.heading)
        .join(Section, col(Issue.section_id) == Section.id)
        .where(Issue.plan_id == plan.id)
        .order_by(col(Issue.position))
    ).all():
        leads = session.exec(
            select(Lead.name)
            .join(IssueLead, col(IssueLead.lead_id) == Lead.id)
            .where(IssueLead.issue_id == issue.id)
            .order_by(col(IssueLead.position))
        ).all()
        chars = session.exec(
            select(Characteristic.code)
            .join(IssueCharacteristic)
            .where(IssueCharacteristic.issue_id == issue.id)
            .order_by(col(Characteristic.position))
        ).all()
        found[issue.ref] = {
            "theme": heading,
            "text": issue.text,
            "objective": issue.objective,
            "leads": list(leads),
            "due": issue.due_date,
            "precision": issue.due_precision,
            "recurrence": issue.recurrence,
            "timescale": issue.timescale,
            "characteristics": list(chars),
            "status": issue.status,
        }
    return found


def test_seed_002_table_imports_to_its_themes_refs_and_canonical_leads(seeded: Session) -> None:
    result = _import(seeded, fx.seed_002_xlsx(), "eflg-plan.xlsx", organisation=UNNAMED_002.upper())
    assert result.plan_title == (
        "EQUALITIES FRAMEWORK FOR LOCAL GOVERNMENT DEVELOPING LEVEL – ACTION PLAN"
    )  # the title row above the table
    assert result.new_leads == []  # every lead and alias ("Comm.Devel") is already known
    got = _issues(seeded, str(result.plan_slug))
    seed = fx.seed_plan("1-eflg-developing")
    expected = {
        issue["ref"]: (section["heading"], issue["text"], issue["leads"])
        for section in seed["sections"]
        for issue in section["issues"]
    }
    assert len(got) == 32
    assert {ref: (g["theme"], g["text"], g["leads"]) for ref, g in got.items()} == expected


def test_seed_003_table_imports_sections_objective_and_split_leads(seeded: Session) -> None:
    result = _import(
        seeded,
        fx.seed_003_xlsx(),
        "res.xlsx",
        sheet="RES action plan",
        organisation=STAFFORDSHIRE,
        new_plan_title="RES action plan (imported)",
    )
    assert result.new_leads == []
    got = _issues(seeded, str(result.plan_slug))
    seed = fx.seed_plan("2-race-equality-scheme-2008-11")
    assert len(got) == 19
    for section in seed["sections"]:
        for issue in section["issues"]:
            mine = got[issue["ref"]]
            timescale = parse_timescale(issue["timescale"])
            assert mine["theme"] == section["heading"]
            assert mine["leads"] == issue["leads"], issue["ref"]
            assert mine["objective"] == issue["objective"]
            assert mine["timescale"] == issue["timescale"]
            assert mine["due"] == timescale.due
    assert got["1.1"]["due"] == date(2008, 8, 31)  # "Pilot: May 2008 ... Summer 2008"
    assert got["1.2"]["recurrence"] == "annually"
    assert got["1.4"]["due"] == date(2008, 10, 31)  # "Oct-08"
    # Procurement's second activity follows a repeated header row and stays in Procurement.
    assert got["4.2"]["theme"] == "Procurement"


def test_role_directorate_runs_in_a_new_organisation_become_officers_in_the_directorate(
    seeded: Session,
) -> None:
    result = _import(
        seeded, fx.seed_003_xlsx(), "res.xlsx", sheet="RES action plan", organisation="Newshire"
    )
    assert "Scrutiny Managers (in Chief Executive's Office)" in result.new_leads
    got = _issues(seeded, str(result.plan_slug))
    assert got["1.4"]["leads"] == ["Equality & Diversity Officer", "Scrutiny Managers"]
    names = ["Equality & Diversity Officer", "Scrutiny Managers"]
    officers = seeded.exec(
        select(Lead).where(col(Lead.name).in_(names))
        .join(Plan, col(Plan.organisation_id) == Lead.organisation_id)
        .where(Plan.slug == result.plan_slug)
    ).all()  # fmt: skip
    assert len(officers) == 2
    parents = {seeded.get(Lead, o.parent_id).name for o in officers}
    assert parents == {"Chief Executive's Office"}
    assert {o.kind for o in officers} == {"officer"}


def test_objective_headings_numbered_refs_merged_and_multiline_cells(seeded: Session) -> None:
    result = _import(seeded, fx.objectives_xlsx(), "objectives.xlsx", organisation="Anyshire")
    got = _issues(seeded, str(result.plan_slug))
    assert list(got) == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3"]
    assert got["1.1"]["theme"] == "Objective 1: Know our communities"
    assert got["2.3"]["theme"] == "Objective 2: A diverse workforce"
    assert got["1.1"]["due"] == date(2017, 3, 31) and got["1.1"]["precision"] == "day"
    assert got["1.2"]["due"] == date(2017, 6, 30)  # a real date cell
    assert got["1.3"]["due"] == date(2017, 3, 31)  # "31.03.17"
    assert got["2.1"]["due"] == date(2009, 12, 31)  # Q3 2009/10
    assert got["2.2"]["due"] == date(2010, 3, 31)  # "March 2009\nthen Mar-10": the later one
    assert got["2.3"]["due"] == date(2008, 8, 31)  # Summer 2008
    assert got["1.3"]["leads"] == ["Policy and Performance Team"]  # merged down from 1.2
    assert got["2.1"]["leads"] == ["Head of HR", "Learning and Development Manager"]
    assert got["2.1"]["text"] == "Run unconscious bias training\nfor all managers"
    assert got["2.3"]["leads"] == ["Head of HR", "Communications"]


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("cp1252", ";"), ("utf-8", ","), ("utf-8-sig", ";")]
)
def test_progress_report_csv_in_any_encoding(
    seeded: Session, encoding: str, delimiter: str
) -> None:
    data = fx.progress_report_csv(encoding, delimiter)
    result = _import(seeded, data, "progress.csv", organisation="Anyshire")
    got = _issues(seeded, str(result.plan_slug))
    assert list(got) == ["EQ01", "EQ02", "EQ03"]
    assert got["EQ01"]["text"].startswith("Translate the café menu")
    assert got["EQ01"]["leads"] == ["Customer Services"]
    assert got["EQ03"]["theme"] == "Workforce"
    issue = seeded.exec(select(Issue).where(Issue.ref == "EQ01")).one()
    notes = seeded.exec(select(StatusChange.note).where(StatusChange.issue_id == issue.id)).all()
    assert notes == ["Leaflets translated into Polish and Urdu; café menu next."]


def test_targets_with_characteristics_and_recurrences(seeded: Session) -> None:
    result = _import(seeded, fx.targets_csv(), "targets.csv", organisation="Anyshire")
    got = _issues(seeded, str(result.plan_slug))
    assert list(got) == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6"]  # one section, "Actions"
    ordered = seeded.exec(select(Characteristic).order_by(col(Characteristic.position))).all()
    nine = [c.code for c in ordered if c.protected]
    assert got["1.1"]["characteristics"] == nine  # "All"
    assert got["1.1"]["due"] == date(2018, 3, 31)  # 03/18 as MM/YY
    assert got["1.2"]["characteristics"] == ["race", "religion_belief"]
    assert got["1.2"]["recurrence"] == "six monthly"
    assert got["1.3"]["characteristics"] == ["race"]  # BME
    assert got["1.3"]["recurrence"] == "ongoing"
    assert got["1.4"]["characteristics"] == ["disability", "carers"]
    assert got["1.4"]["recurrence"] == "quarterly"
    assert got["1.5"]["characteristics"] == ["gender_reassignment", "sexual_orientation"]
    assert got["1.6"]["timescale"] == "tbc" and got["1.6"]["due"] is None
    warnings = [str(w) for w in result.warnings]
    assert any("Row 7, column C" in w and "tbc" in w for w in warnings)
    assert any("'hair colour' is not a protected characteristic" in w for w in warnings)


def test_user_mapping_brings_in_an_unrecognised_column(seeded: Session) -> None:
    unmapped = _import(seeded, fx.unmapped_xlsx(), "a.xlsx", organisation="Anyshire")
    assert any("'Whose job'" in str(w) for w in unmapped.warnings)
    assert _issues(seeded, str(unmapped.plan_slug))["1.1"]["leads"] == []
    mapped = _import(
        seeded,
        fx.unmapped_xlsx(),
        "b.xlsx",
        organisation="Anyshire",
        mapping={"whose JOB": Field.LEADS},
    )
    got = _issues(seeded, str(mapped.plan_slug))
    assert got["1.1"]["leads"] == ["Community Engagement Team"]
    assert got["2.1"]["theme"] == "Our staff"


def _snapshot(session: Session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(
        len(session.exec(select(table)).all())
        for table in (Plan, Section, Issue, Lead, IssueLead, StatusChange, DueDateChange)
    )


def test_reimporting_the_same_file_changes_nothing(seeded: Session) -> None:
    first = _import(seeded, fx.progress_report_csv(), "progress.csv", organisation="Anyshire")
    before = _snapshot(seeded)
    again = _import(seeded, fx.progress_report_csv(), "progress.csv", plan_slug=first.plan_slug)
    assert (len(again.new), len(again.updated), len(again.unchanged)) == (0, 0, 3)
    assert again.new_leads == [] and again.new_sections == []
    assert _snapshot(seeded) == before


def test_updated_file_updates_issues_and_records_status_changes(seeded: Session) -> None:
    first = _import(
        seeded,
        fx.progress_report_csv(status=["In progress", "Not started", "Not started"]),
        "progress.csv",
        organisation="Anyshire",
    )
    updated = fx.progress_report_csv(status=["Completed", "Amber", "Not started"])
    updated = updated.replace(b"Digital Services", b"Web Team")
    result = _import(seeded, updated, "progress-q2.csv", plan_slug=first.plan_slug)
    assert [u.ref for u in result.updated] == ["EQ01", "EQ02"]
    assert result.new_leads == ["Web Team"]
    got = _issues(seeded, str(first.plan_slug))
    assert got["EQ01"]["status"] == "Complete"
    assert got["EQ02"]["status"] == "In progress" and got["EQ02"]["leads"] == ["Web Team"]
    issue = seeded.exec(select(Issue).where(Issue.ref == "EQ01")).one()
    moves = seeded.exec(
        select(StatusChange.from_status, StatusChange.to_status)
        .where(StatusChange.issue_id == issue.id)
        .order_by(col(StatusChange.id))
    ).all()
    assert moves[-1] == ("In progress", "Complete")


def test_reimport_into_seeded_plan_matches_refs_and_records_due_date_moves(
    seeded: Session,
) -> None:
    slug = fx.seed_plan("2-race-equality-scheme-2008-11")["plan"]["slug"]
    same = _import(seeded, fx.seed_003_xlsx(), "res.xlsx", sheet="RES action plan", plan_slug=slug)
    assert (len(same.new), len(same.updated), len(same.unchanged)) == (0, 0, 19)
    changed = fx.seed_003_xlsx({"2.1": {"timescale": "Dec-08"}})
    result = _import(seeded, changed, "res-v2.xlsx", sheet="RES action plan", plan_slug=slug)
    assert [(u.ref, u.changes) for u in result.updated] == [("2.1", ("timescale", "due date"))]
    seeded.expire_all()
    issue = seeded.exec(select(Issue).join(Plan).where(Plan.slug == slug, Issue.ref == "2.1")).one()
    assert issue.due_date == date(2008, 12, 31)
    move = seeded.exec(select(DueDateChange).where(DueDateChange.issue_id == issue.id)).one()
    assert (move.from_due, move.to_due) == (date(2008, 7, 31), date(2008, 12, 31))


def test_preview_writes_nothing_and_reports_progress(seeded: Session) -> None:
    before = _snapshot(seeded)
    seen: list[float] = []
    preview = run_import(
        seeded,
        fx.seed_002_xlsx(),
        "eflg.xlsx",
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(organisation="A new council"),
        dry_run=True,
        progress=lambda share, _text: seen.append(share),
    )
    assert preview.ok and not preview.applied and len(preview.new) == 32
    assert preview.new_plan and preview.organisation == "A new council"
    assert "The Improvement Unit" in preview.new_leads
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert _snapshot(seeded) == before


def test_only_an_admin_can_import(seeded: Session) -> None:
    officer = Actor(name="Olive Officer", role=Role.OFFICER)
    with pytest.raises(PermissionDenied, match="Only an equality lead"):
        run_import(
            seeded,
            fx.targets_csv(),
            "targets.csv",
            actor=officer,
            options=ImportOptions(organisation="Anyshire"),
            dry_run=False,
        )


def test_large_file_reports_progress_as_it_goes(seeded: Session) -> None:
    rows = [["Ref", "Action", "Lead"]] + [[f"A{i}", f"Action {i}", "Team"] for i in range(1000)]
    data = "\n".join(",".join(r) for r in rows).encode()
    seen: list[float] = []
    result = run_import(
        seeded,
        data,
        "big.csv",
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(organisation="Anyshire"),
        dry_run=False,
        progress=lambda share, _text: seen.append(share),
    )
    assert result.ok and len(result.new) == 1000
    assert len(seen) > 5 and seen == sorted(seen)


def test_command_line_dry_run_then_import_with_sheet_map_title_and_organisation(
    engine: Any, seeded: Session, monkeypatch: pytest.MonkeyPatch, capsys: Any, tmp_path: Any
) -> None:
    from dashboard.cli.main import main

    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    path = tmp_path / "plan.xlsx"
    path.write_bytes(fx.unmapped_xlsx())
    org = "Newtown Borough Council"
    args = ["import", str(path), "--sheet", "Actions", "--map", "Whose job=Lead",
            "--new-plan-title", "Newtown plan", "--organisation", org]  # fmt: skip
    assert main([*args, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Dry run (nothing written)" in out and "4 new" in out
    assert "New leads: Community Engagement Team; Customer Services; Human Resources" in out
    seeded.expire_all()
    assert seeded.exec(select(Plan).where(Plan.title == "Newtown plan")).first() is None
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Imported into new plan 'Newtown plan' (Newtown Borough Council)" in out
    assert "short name is 'newtown-plan'" in out
    got = _issues(seeded, "newtown-plan")
    assert got["2.2"]["leads"] == ["Human Resources"] and got["2.2"]["recurrence"] == "ongoing"
    # The same file again into that plan changes nothing.
    assert main(["import", str(path), "--map", "Whose job=Lead", "--plan", "newtown-plan"]) == 0
    assert "0 new, 0 updated, 4 unchanged" in capsys.readouterr().out


def test_a_second_column_for_the_same_field_is_left_out_with_a_warning(seeded: Session) -> None:
    data = b"Action,Timescale,Due date\nPublish the report,March 2027,2028\n"
    result = _import(seeded, data, "two-dates.csv", organisation="Anyshire")
    assert [str(w) for w in result.warnings] == [
        "Row 1, column C 'Due date': the column B is already read as 'Timescale or due date', "
        "so this one will be left out."
    ]
    assert _issues(seeded, str(result.plan_slug))["1.1"]["due"] == date(2027, 3, 31)


def test_notes_and_words_never_change_a_kept_plans_statuses_or_tags(seeded: Session) -> None:
    """Statuses read from progress notes and characteristics read from an action's words are
    for a new plan only: a progress file for a plan already kept changes neither."""
    plan = seeded.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    issue = seeded.exec(select(Issue).where(Issue.plan_id == plan.id, Issue.ref == "1.1")).one()
    before = (issue.status, sorted(link.characteristic_id for link in issue.characteristic_links))
    data = rows_to_csv(
        [{"Ref": "1.1", "Issue": issue.text,
          "Progress notes": "The survey of disabled people has been completed."}],
        ["Ref", "Issue", "Progress notes"],
    ).encode()  # fmt: skip
    result = _import(seeded, data, "progress.csv", plan_slug="eflg-developing")
    assert not any("protected characteristics" in w.message for w in result.warnings)
    seeded.refresh(issue)
    after = (issue.status, sorted(link.characteristic_id for link in issue.characteristic_links))
    assert after == before
    assert issue.status_changes[-1].note == "The survey of disabled people has been completed."
