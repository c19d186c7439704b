"""A new plan's defaults (title, organisation, framework level), putting a plan on a level later,
and an empty database importing characteristics: on both databases."""

from pathlib import Path

import pytest
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, Actor, PermissionDenied
from dashboard.writes.import_plan import ImportOptions, run_import
from dashboard.writes.levels import PlanLevelRefused, set_plan_level
from models import Characteristic, DataChange, Issue, Organisation, Plan, Role

NAMED = b"Newtown Borough Council\nEquality Action Plan 2025\nAction,Lead\nMap our area,HR\n"
CHARACTERISTICS = (
    b"Action,Lead,Protected characteristics\n"
    b"Accessible buses,Transport,Disability\n"
    b"Training for all staff,HR,All\n"
    b"Carers' breaks,Social care,Carers\n"
)
NINE = [
    "age", "disability", "gender_reassignment", "marriage_civil_partnership",
    "pregnancy_maternity", "race", "religion_belief", "sex", "sexual_orientation",
]  # fmt: skip


def _import(session: Session, data: bytes, dry_run: bool = False, **options: str) -> object:
    return run_import(
        session,
        data,
        "plan.csv",
        actor=COMMAND_LINE_ADMIN,
        options=ImportOptions(**options),  # type: ignore[arg-type]
        dry_run=dry_run,
    )


def _codes(issue: Issue) -> list[str]:
    return sorted(link.characteristic.code for link in issue.characteristic_links)


def test_an_empty_database_imports_characteristics_as_the_equality_act_names_them(
    session: Session,
) -> None:
    """No seed: the nine protected characteristics are law, so 'Disability' and 'All' are read;
    a local word ('Carers') the council has not added is a warning, left out."""
    preview = _import(session, CHARACTERISTICS, organisation="Newtown Borough Council")
    assert preview.ok, preview.errors  # type: ignore[attr-defined]
    warned = [str(w) for w in preview.warnings]  # type: ignore[attr-defined]
    assert any("Row 4, column C 'Protected characteristics'" in w and "Carers" in w for w in warned)
    issues = {i.text: i for i in session.exec(select(Issue)).all()}
    assert _codes(issues["Accessible buses"]) == ["disability"]
    assert _codes(issues["Training for all staff"]) == NINE
    assert _codes(issues["Carers' breaks"]) == []
    assert sorted(c.code for c in session.exec(select(Characteristic))) == NINE


def test_a_dry_run_on_an_empty_database_writes_nothing(session: Session) -> None:
    preview = _import(session, CHARACTERISTICS, dry_run=True, organisation="Newtown")
    assert preview.ok  # type: ignore[attr-defined]
    assert session.exec(select(Characteristic)).all() == []
    assert session.exec(select(Plan)).all() == []


def test_the_file_names_the_new_plans_title_and_organisation(seeded: Session) -> None:
    preview = _import(seeded, NAMED)
    assert preview.ok, preview.errors  # type: ignore[attr-defined]
    plan = seeded.exec(select(Plan).where(Plan.title == "Equality Action Plan 2025")).one()
    assert plan.organisation.name == "Newtown Borough Council"
    assert plan.organisation.source == "Import of plan.csv"


def test_a_file_naming_no_organisation_asks_for_one_and_writes_nothing(seeded: Session) -> None:
    """Never an unrelated seed organisation: the person is asked."""
    before = len(seeded.exec(select(Plan)).all())
    preview = _import(seeded, b"Action,Lead\nMap our area,HR\n")
    assert [p.message for p in preview.errors] == [  # type: ignore[attr-defined]
        "the file does not name its organisation: say which organisation (council) the new "
        "plan belongs to."
    ]
    assert len(seeded.exec(select(Plan)).all()) == before


def test_a_new_plan_goes_on_a_framework_level_at_import(seeded: Session) -> None:
    preview = _import(seeded, NAMED, framework="EFLG-2011", level="achieving")
    assert preview.ok, preview.errors  # type: ignore[attr-defined]
    plan = seeded.exec(select(Plan).where(Plan.title == "Equality Action Plan 2025")).one()
    assert plan.framework.code == "eflg-2011"
    assert plan.level_id is not None
    assert [level.name for level in plan.framework.levels if level.id == plan.level_id] == [
        "Achieving"
    ]


@pytest.mark.parametrize(
    ("framework", "level", "message"),
    [
        ("eflg-1999", "Achieving", "There is no framework version 'eflg-1999'. The versions are: "
         "eflg-2009 (Equality Framework for Local Government (2009)); eflg-2011"),
        ("eflg-2011", "Brilliant", "'Brilliant' is not a level of Equality Framework for Local "
         "Government (2011 refresh). Its levels are: Developing, Achieving, Excellent."),
        ("eflg-2011", "", "give both the framework version and the level."),
    ],
)  # fmt: skip
def test_an_unknown_framework_or_level_at_import_is_refused_plainly(
    seeded: Session, framework: str, level: str, message: str
) -> None:
    before = len(seeded.exec(select(Plan)).all())
    preview = _import(seeded, NAMED, framework=framework, level=level)
    (problem,) = preview.errors  # type: ignore[attr-defined]
    assert problem.message.startswith(message)
    assert len(seeded.exec(select(Plan)).all()) == before
    assert (
        seeded.exec(select(Organisation).where(Organisation.name.startswith("Newtown"))).all() == []
    )  # type: ignore[attr-defined]


def _imported(session: Session) -> Plan:
    assert _import(session, NAMED).ok  # type: ignore[attr-defined]
    return session.exec(select(Plan).where(Plan.title == "Equality Action Plan 2025")).one()


def test_an_admin_puts_a_plan_on_a_level_later(seeded: Session) -> None:
    plan = _imported(seeded)
    assert plan.framework_id is None
    set_plan_level(session=seeded, actor=COMMAND_LINE_ADMIN, plan_slug=plan.slug,
                   framework="Equality Framework for Local Government (2021)",
                   level="Developing")  # fmt: skip
    seeded.expire_all()
    plan = seeded.exec(select(Plan).where(Plan.slug == plan.slug)).one()
    assert plan.framework.code == "eflg-2021"
    assert [lv.name for lv in plan.framework.levels if lv.id == plan.level_id] == ["Developing"]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER])
def test_only_an_admin_may_put_a_plan_on_a_level(seeded: Session, role: Role) -> None:
    plan = _imported(seeded)
    changes = len(seeded.exec(select(DataChange)).all())
    with pytest.raises(PermissionDenied, match="Only an equality lead"):
        set_plan_level(session=seeded, actor=Actor(name="Someone", role=role),
                       plan_slug=plan.slug, framework="eflg-2011", level="Achieving")  # fmt: skip
    seeded.expire_all()
    assert seeded.get(Plan, plan.id).framework_id is None  # type: ignore[union-attr]
    assert len(seeded.exec(select(DataChange)).all()) == changes


@pytest.mark.parametrize(
    ("slug", "framework", "level", "message"),
    [
        ("no-such-plan", "eflg-2011", "Achieving", "There is no plan with the short name"),
        (None, "eflg-3000", "Achieving", "There is no framework version 'eflg-3000'"),
        (None, "eflg-2011", "Superb", "'Superb' is not a level of Equality Framework"),
    ],
)
def test_an_unknown_plan_version_or_level_is_refused_and_nothing_written(
    seeded: Session, slug: str | None, framework: str, level: str, message: str
) -> None:
    plan = _imported(seeded)
    with pytest.raises(PlanLevelRefused, match=message):
        set_plan_level(session=seeded, actor=COMMAND_LINE_ADMIN, plan_slug=slug or plan.slug,
                       framework=framework, level=level)  # fmt: skip
    seeded.expire_all()
    assert seeded.get(Plan, plan.id).framework_id is None  # type: ignore[union-attr]


def test_the_command_line_takes_the_files_defaults_and_a_level(
    seeded: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = seeded.get_bind().url.render_as_string(hide_password=False)  # type: ignore[union-attr]
    monkeypatch.setenv("EFLG_DATABASE_URL", url)
    path = tmp_path / "newtown.csv"
    path.write_bytes(NAMED)
    assert main(["import", str(path), "--framework", "eflg-2009", "--level", "Developing"]) == 0
    out = capsys.readouterr().out
    assert "new plan 'Equality Action Plan 2025' (Newtown Borough Council)" in out
    assert main(["plan-level", "equality-action-plan-2025", "--framework", "eflg-2011",
                 "--level", "Excellent"]) == 0  # fmt: skip
    assert "is now on Equality Framework for Local Government (2011 refresh), working towards " \
           "the Excellent level." in capsys.readouterr().out  # fmt: skip
    assert main(["plan-level", "equality-action-plan-2025", "--framework", "eflg-2011",
                 "--level", "Great"]) == 2  # fmt: skip
    assert "Nothing was changed: 'Great' is not a level" in capsys.readouterr().err
    path.write_bytes(b"Action,Lead\nMap our area,HR\n")
    assert main(["import", str(path), "--dry-run"]) == 2
    err = capsys.readouterr()
    assert "Nothing was imported from newtown.csv: 1 problem found." in err.out + err.err
