"""`python -m dashboard users | update | history`: the same checks as the app."""

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.cli.output import BAD_INPUT
from dashboard.rules.accounts import SignInRefused
from dashboard.store.settings import Settings
from dashboard.writes import accounts
from models import Issue, Plan, StatusChange, User


@pytest.fixture
def run(
    engine: Engine,
    seeded: Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    """Run the command line against the test database: run("users", "list", stdin="…")."""
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))

    def invoke(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def status_of(session: Session, ref: str) -> str:
    return session.exec(
        select(Issue.status)
        .join(Plan)
        .where(Plan.slug == "eflg-developing", Issue.ref == ref)
        .execution_options(populate_existing=True)
    ).one()


def test_users_add_list_disable_reset(run, seeded: Session) -> None:
    code, out, _ = run(
        "users",
        "add",
        "Asha.Patel@council.gov.uk",
        "--role",
        "officer",
        "--lead",
        "improvement and efficiency officer",
        "--lead",
        "Comm.Devel",
        "--password-stdin",
        stdin="correct horse battery\n",
    )
    assert code == 0, out
    assert "Added asha.patel@council.gov.uk (Asha Patel) as officer" in out
    user = seeded.exec(select(User)).one()
    assert user.password_hash and user.password_hash.startswith("$argon2")
    assert accounts.verify_password(user.password_hash, "correct horse battery")

    code, out, _ = run("users", "list")
    assert code == 0
    assert "asha.patel@council.gov.uk  officer  active  Asha Patel" in out
    assert "Community Development" in out and "Improvement and Efficiency Officer" in out

    code, _, err = run(
        "users", "reset", "asha.patel@council.gov.uk", "--password-stdin", stdin="short\n"
    )
    assert code == BAD_INPUT and "at least 10 characters" in err
    code, _, _ = run(
        "users",
        "reset",
        "asha.patel@council.gov.uk",
        "--password-stdin",
        stdin="a much longer passphrase\n",
    )
    assert code == 0
    settings = Settings.from_env()
    actor = accounts.sign_in(
        session=seeded,
        email="asha.patel@council.gov.uk",
        password="a much longer passphrase",
        settings=settings,
    )
    assert actor.name == "Asha Patel"

    code, out, _ = run("users", "disable", "asha.patel@council.gov.uk")
    assert code == 0 and "can no longer sign in" in out
    with pytest.raises(SignInRefused, match="do not match an account that can sign in"):
        accounts.sign_in(
            session=seeded,
            email="asha.patel@council.gov.uk",
            password="a much longer passphrase",
            settings=settings,
        )


def test_ambiguous_or_unknown_lead_is_refused(run, seeded: Session) -> None:
    code, _, err = run("users", "add", "cmt@council.gov.uk", "--role", "officer", "--lead", "CMT")
    assert code == BAD_INPUT
    assert "more than one organisation" in err and "--organisation" in err
    code, _, err = run("users", "add", "p@council.gov.uk", "--role", "officer", "--lead", "Parks")
    assert code == BAD_INPUT and "No lead is called 'Parks'" in err
    assert seeded.exec(select(User)).all() == []
    code, out, _ = run(
        "users",
        "add",
        "cmt@council.gov.uk",
        "--role",
        "officer",
        "--lead",
        "CMT",
        "--organisation",
        "hampshire county council",
    )
    assert code == 0, out


def test_update_and_history_from_the_command_line(run, seeded: Session, tmp_path: Path) -> None:
    run(
        "users",
        "add",
        "asha.patel@council.gov.uk",
        "--role",
        "officer",
        "--lead",
        "Improvement and Efficiency Officer",
    )
    run("users", "add", "cllr@council.gov.uk", "--role", "viewer")

    code, _, err = run(
        "update",
        "--plan",
        "eflg-developing",
        "--ref",
        "2.9",
        "--status",
        "Complete",
        "--as",
        "asha.patel@council.gov.uk",
    )
    assert code == BAD_INPUT and "Write a progress note" in err

    code, out, _ = run(
        "update",
        "--plan",
        "eflg-developing",
        "--ref",
        "2.9",
        "--status",
        "Complete",
        "--note",
        "=SUM(A1) done in tenders",
        "--as",
        "asha.patel@council.gov.uk",
    )
    assert code == 0 and "issue 2.9 of eflg-developing is now Complete" in out
    assert status_of(seeded, "2.9") == "Complete"

    code, _, err = run(
        "update",
        "--plan",
        "eflg-developing",
        "--ref",
        "1.1",
        "--status",
        "In progress",
        "--as",
        "asha.patel@council.gov.uk",
    )
    assert code == BAD_INPUT and "issue 1.1 is not one" in err
    code, _, err = run(
        "update",
        "--plan",
        "eflg-developing",
        "--ref",
        "1.1",
        "--status",
        "In progress",
        "--as",
        "cllr@council.gov.uk",
    )
    assert code == BAD_INPUT and "can read the plans but not change them" in err
    code, _, err = run(
        "update",
        "--plan",
        "eflg-developing",
        "--ref",
        "9.9",
        "--status",
        "In progress",
        "--as",
        "asha.patel@council.gov.uk",
    )
    assert code == BAD_INPUT and "has no issue 9.9" in err
    code, _, err = run(
        "update",
        "--plan",
        "eflg-developing",
        "--ref",
        "2.9",
        "--note",
        "x",
        "--as",
        "nobody@council.gov.uk",
    )
    assert code == BAD_INPUT and "no active account for nobody@council.gov.uk" in err
    assert status_of(seeded, "1.1") == "Not started"
    assert len(seeded.exec(select(StatusChange)).all()) == 1

    out_path = tmp_path / "history.csv"
    code, out, _ = run(
        "history", "--plan", "eflg-developing", "--format", "csv", "--out", str(out_path)
    )
    assert code == 0 and "Wrote 1 status change and" in out
    rows = list(csv.DictReader(out_path.open(encoding="utf-8")))
    assert len(rows) == 1
    row = rows[0]
    assert (row["plan"], row["ref"], row["from"], row["to"], row["by"]) == (
        "eflg-developing",
        "2.9",
        "Not started",
        "Complete",
        "Asha Patel",
    )
    assert row["note"] == "'=SUM(A1) done in tenders"  # never run as a formula
    assert row["at"].startswith("20")
    code, _, err = run("history", "--plan", "no-such-plan", "--out", "-")
    assert code == BAD_INPUT and "no-such-plan" in err
