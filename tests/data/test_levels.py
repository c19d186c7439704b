"""Criteria as data, self-assessments, readiness and the plan seen through other versions."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.formats.sheets import ImportFileError, rows_to_csv
from dashboard.reads.criteria import CRITERIA_COLUMNS, criteria_rows
from dashboard.reads.levels import progress_in_version, readiness
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, Actor, PermissionDenied
from dashboard.writes.criteria import import_criteria, read_criteria_file, template_csv
from dashboard.writes.levels import AssessmentError, CriterionJudgement, record_self_assessment
from models import Evidence, Level, Plan, Role, Status, Theme
from models.levels import Criterion, Judgement, SelfAssessment

VIEWER = Actor(name="Councillor", role=Role.VIEWER)
GOOD = """framework,theme,level,ref,criterion,guidance
eflg-2009,Knowing your community and equality mapping,Developing,K1,Test criterion one,
eflg-2009,KNOWING YOUR COMMUNITY AND EQUALITY MAPPING,Developing,K2,Test criterion two,See p.4
eflg-2009,A modern and diverse workforce,Achieving,W1,Workforce criterion,
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "criteria.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _load(seeded: Session, tmp_path: Path, text: str = GOOD):
    return import_criteria(
        seeded, read_criteria_file(_write(tmp_path, text)), actor=COMMAND_LINE_ADMIN
    )


def test_template_has_the_header_only() -> None:
    assert template_csv() == "framework,theme,level,ref,criterion,guidance\n"


def test_good_file_loads_and_reloading_changes_nothing(seeded: Session, tmp_path: Path) -> None:
    result = _load(seeded, tmp_path)
    assert result.ok and result.added == 3
    again = _load(seeded, tmp_path)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    assert "K2,Test criterion two,See p.4" in rows_to_csv(criteria_rows(seeded), CRITERIA_COLUMNS)


BAD = [
    ("unknown framework", "eflg-1999,Knowing your community and equality mapping,Developing,K1,x,",
     "Row 2, column 'framework'"),
    ("unknown theme", "eflg-2009,Parks,Developing,K1,x,", "Row 2, column 'theme'"),
    ("unknown level", "eflg-2009,Knowing your community and equality mapping,Brilliant,K1,x,",
     "Row 2, column 'level'"),
    ("missing ref", "eflg-2009,Knowing your community and equality mapping,Developing,,x,",
     "Row 2, column 'ref'"),
    ("missing text", "eflg-2009,Knowing your community and equality mapping,Developing,K1,,",
     "Row 2, column 'criterion'"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "line", "message"), BAD, ids=[b[0] for b in BAD])
def test_malformed_files_are_refused_with_row_errors_and_no_change(
    seeded: Session, tmp_path: Path, case: str, line: str, message: str
) -> None:
    text = GOOD.splitlines()[0] + "\n" + line + "\n" + "\n".join(GOOD.splitlines()[1:]) + "\n"
    result = _load(seeded, tmp_path, text)
    assert not result.ok
    assert message in result.summary()
    assert seeded.exec(select(Criterion)).all() == []


def test_duplicate_criterion_is_refused(seeded: Session, tmp_path: Path) -> None:
    lines = GOOD.splitlines()
    result = _load(seeded, tmp_path, "\n".join([*lines, lines[1]]) + "\n")
    assert (
        "Row 5, column 'ref': the same theme, level and ref are already on row 2"
        in result.summary()
    )
    assert seeded.exec(select(Criterion)).all() == []


def test_missing_header_column_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportFileError, match="missing the column"):
        read_criteria_file(_write(tmp_path, "framework,theme,ref\n"))


def test_viewer_cannot_load_criteria(seeded: Session, tmp_path: Path) -> None:
    with pytest.raises(PermissionDenied):
        import_criteria(seeded, read_criteria_file(_write(tmp_path, GOOD)), actor=VIEWER)


def test_criteria_cli(seeded: Session, tmp_path: Path, engine, monkeypatch, capsys) -> None:
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    template = tmp_path / "template.csv"
    assert main(["criteria", "template", "--out", str(template)]) == 0
    assert template.read_text().startswith("framework,theme,level,ref,criterion")
    bad = _write(tmp_path, "framework,theme,level,ref,criterion\nnope,x,y,z,w\n")
    assert main(["criteria", "import", str(bad)]) == 2
    assert "Row 2" in capsys.readouterr().err
    good = _write(tmp_path, GOOD)
    assert main(["criteria", "import", str(good)]) == 0
    assert "3 new" in capsys.readouterr().out


def _plan(seeded: Session) -> Plan:
    return seeded.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()


def _developing(seeded: Session, plan: Plan) -> Level:
    return seeded.exec(select(Level).where(Level.id == plan.level_id)).one()


def _finish(seeded: Session, plan: Plan, refs: list[str], evidence: bool = True) -> None:
    for issue in plan.issues:
        if issue.ref in refs:
            issue.status = Status.COMPLETE.value
            seeded.add(issue)
            if evidence:
                seeded.add(Evidence(issue_id=issue.id, title="Report", url="https://example.org/r",
                                    added_by="Test"))  # fmt: skip
    seeded.commit()


def test_readiness_counts_issues_with_evidence_and_projects_a_date(seeded: Session) -> None:
    plan = _plan(seeded)
    level = _developing(seeded, plan)
    for issue in plan.issues:  # give theme 1 future due dates
        if issue.ref.startswith("1."):
            issue.due_date = date(2027, int(issue.ref.split(".")[1]), 28)
            seeded.add(issue)
    seeded.commit()
    _finish(seeded, plan, ["1.1", "1.2"])
    _finish(seeded, plan, ["1.3"], evidence=False)  # complete but no evidence: not ready
    frame = readiness(seeded, plan.id, level.id, date(2026, 11, 24))
    first = frame.iloc[0]
    assert (first["issues"], first["ready"]) == (5, 2)
    assert first["remaining"] == "1.3 (no evidence), 1.4 (not started), 1.5 (not started)"
    assert first["projected"] == "28 May 2027, if on-track issues finish when due"
    second = frame.iloc[1]
    assert second["projected"] == "Cannot project: 10 issues have no due date"


def test_readiness_uses_latest_self_assessment(seeded: Session, tmp_path: Path) -> None:
    _load(seeded, tmp_path)
    plan = _plan(seeded)
    level = _developing(seeded, plan)
    theme = seeded.exec(
        select(Theme).where(Theme.name == "Knowing your community and equality mapping")
    ).one()
    k1, k2 = seeded.exec(
        select(Criterion).where(Criterion.theme_id == theme.id).order_by(Criterion.ref)
    ).all()
    _finish(seeded, plan, ["1.1", "1.2", "1.3", "1.4", "1.5"])
    today = date(2026, 11, 24)
    assert readiness(seeded, plan.id, level.id, today).iloc[0]["criteria_remaining"] == 2
    record_self_assessment(
        session=seeded, actor=COMMAND_LINE_ADMIN, organisation_id=plan.organisation_id,
        theme_id=theme.id, assessed_on=date(2026, 11, 1), level_claimed_id=level.id,
        narrative="We know our communities.",
        judgements=[CriterionJudgement(k1.id, Judgement.MET, "https://example.org/hub"),
                    CriterionJudgement(k2.id, Judgement.PARTLY_MET)],
    )  # fmt: skip
    row = readiness(seeded, plan.id, level.id, today).iloc[0]
    assert (row["criteria"], row["criteria_met"]) == (2, 1)
    assert row["projected"] == "Work done; 1 criterion needs evidence"
    record_self_assessment(
        session=seeded, actor=COMMAND_LINE_ADMIN, organisation_id=plan.organisation_id,
        theme_id=theme.id, assessed_on=date(2026, 11, 20), level_claimed_id=level.id,
        narrative="Now all met.",
        judgements=[CriterionJudgement(k1.id, Judgement.MET, "https://example.org/hub"),
                    CriterionJudgement(k2.id, Judgement.MET, "https://example.org/p")],
    )  # fmt: skip
    assert readiness(seeded, plan.id, level.id, today).iloc[0]["projected"] == "Met now"
    assert len(seeded.exec(select(SelfAssessment)).all()) == 2


def test_self_assessment_rules(seeded: Session, tmp_path: Path) -> None:
    _load(seeded, tmp_path)
    plan = _plan(seeded)
    theme = seeded.exec(
        select(Theme).where(Theme.name == "Knowing your community and equality mapping")
    ).one()
    k1 = seeded.exec(select(Criterion).where(Criterion.ref == "K1")).one()
    common = dict(session=seeded, organisation_id=plan.organisation_id, theme_id=theme.id,
                  assessed_on=date(2026, 11, 1), level_claimed_id=None)  # fmt: skip
    with pytest.raises(PermissionDenied):
        record_self_assessment(actor=VIEWER, narrative="x", judgements=[], **common)
    with pytest.raises(AssessmentError, match="evidence"):
        record_self_assessment(
            actor=COMMAND_LINE_ADMIN,
            narrative="x",
            judgements=[CriterionJudgement(k1.id, Judgement.MET)],
            **common,
        )
    with pytest.raises(AssessmentError, match="narrative"):
        record_self_assessment(actor=COMMAND_LINE_ADMIN, narrative="  ", judgements=[], **common)
    assert seeded.exec(select(SelfAssessment)).all() == []


def test_2009_plan_seen_through_2021_modules(seeded: Session) -> None:
    plan = _plan(seeded)
    _finish(seeded, plan, ["3.1"])
    frame = progress_in_version(seeded, plan.id, "eflg-2021")
    first = frame[frame["theme"] == "Understanding and working with your communities"]
    assert set(first["from_theme"]) == {
        "KNOWING YOUR COMMUNITY AND EQUALITY MAPPING", "COMMUNITY ENGAGEMENT AND SATISFACTION",
    }  # fmt: skip
    assert first["issues"].sum() == 8 and first["done"].sum() == 1
    assert first["note"].notna().any()  # the fold of two themes into one module is explained
    assert frame["issues"].sum() == 32
    assert frame["theme"].nunique() == 4
