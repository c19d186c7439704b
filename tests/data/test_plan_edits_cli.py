"""`python -m dashboard issue add|edit|retire|restore` and `lead rename|merge|reassign`: the same
write functions (and so the same checks and history) as the Plan page, one plain line on
refusal."""

import io

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from dashboard.cli.main import main
from dashboard.cli.output import BAD_INPUT
from models import Issue, IssueLead, Lead, Plan, PlanChange


@pytest.fixture
def run(
    engine: Engine,
    seeded: Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
):
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))

    def invoke(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def issue(session: Session, ref: str) -> Issue | None:
    return session.exec(
        select(Issue)
        .join(Plan)
        .where(Plan.slug == "eflg-developing", Issue.ref == ref)
        .execution_options(populate_existing=True)
    ).first()


def test_an_issue_is_added_edited_retired_and_restored_from_the_command_line(
    run, seeded: Session
) -> None:
    code, out, err = run(
        "issue", "add", "eflg-developing", "1.9",
        "--text", "Hold a listening event with disabled residents.",
        "--theme", "1", "--leads", "Community Development / CMT", "--timescale", "Spring 2027",
        "--characteristics", "disability",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert "Added issue 1.9" in out
    added = issue(seeded, "1.9")
    assert added is not None and str(added.due_date) == "2027-05-31"
    leads = seeded.exec(
        select(Lead.name)
        .join(IssueLead, col(IssueLead.lead_id) == col(Lead.id))
        .where(IssueLead.issue_id == added.id)
        .order_by(col(IssueLead.position))
    ).all()
    assert leads == ["Community Development", "Corporate Management Team"]

    code, out, err = run(
        "issue", "edit", "eflg-developing", "1.9", "--new-ref", "1.10",
        "--text", "Hold two listening events.", "--reason", "Scrutiny asked for two.",
    )  # fmt: skip
    assert code == 0, err
    assert "Changed issue 1.10: ref, text." in out
    with pytest.raises(SystemExit):  # argparse: the reason is required
        run("issue", "retire", "eflg-developing", "1.10")
    code, out, err = run("issue", "retire", "eflg-developing", "1.10", "--reason", "Merged.")
    assert code == 0 and "Retired issue 1.10" in out, err
    code, out, err = run("issue", "restore", "eflg-developing", "1.10")
    assert code == 0 and "Restored issue 1.10" in out, err
    kinds = seeded.exec(
        select(PlanChange.kind).where(PlanChange.issue_id == added.id).order_by(col(PlanChange.id))
    ).all()
    assert kinds == [
        "issue added", "issue edited", "issue edited", "issue retired", "issue restored"
    ]  # fmt: skip


def test_a_refused_edit_is_one_plain_line_and_changes_nothing(run, seeded: Session) -> None:
    before = issue(seeded, "2.9")
    assert before is not None
    text = before.text
    code, out, err = run("issue", "edit", "eflg-developing", "2.9", "--new-ref", "1.1")
    assert code == BAD_INPUT and out == ""
    assert err.strip() == (
        "Nothing was changed: This plan already has an issue 1.1: choose another ref."
    )
    code, _, err = run("issue", "edit", "eflg-developing", "2.9", "--leads", "Nobody Here")
    assert code == BAD_INPUT and "No lead is called 'Nobody Here'" in err
    after = issue(seeded, "2.9")
    assert after is not None and after.text == text and after.version == before.version


def test_a_leavers_issues_are_handed_on_and_leads_renamed_and_merged(run, seeded: Session) -> None:
    code, out, err = run(
        "lead", "reassign", "Improvement and Efficiency Officer", "Community Development",
        "--reason", "Left in November.",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Handed ") and "issues from Improvement and Efficiency Officer" in out
    code, out, err = run("lead", "rename", "Community Development", "Communities")
    assert code == 0 and "Renamed Community Development to Communities" in out, err
    code, out, err = run("lead", "merge", "PR", "Communities")
    assert code == 0 and "Merged PR into Communities." in out, err
    assert seeded.exec(select(Lead).where(Lead.name == "PR")).first() is None
