"""Refusals a person may see are `Refused`; anything else is a bug, never shown as a refusal."""

import ast
import builtins
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import dashboard.cli.main as cli
from dashboard.cli.output import BAD_INPUT
from dashboard.formats.sheets import ImportFileError
from dashboard.reads import accounts as account_reads
from dashboard.reads import issues as issue_reads
from dashboard.reads.meetings import MeetingError
from dashboard.reports.peer_pack.gather import PackError
from dashboard.rules.accounts import AccountRefused, SignInExpired, SignInRefused
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, PermissionDenied
from dashboard.rules.search import SearchRefused
from dashboard.rules.timescale import DueDateUnreadable
from dashboard.store.demo import DemoRefused
from dashboard.store.evidence_files import EvidenceRefused
from dashboard.store.limits import StorageRefused
from dashboard.store.settings import SettingsError
from dashboard.ui.engine import DatabaseUnreachable
from dashboard.writes import accounts, updates
from dashboard.writes.criteria import CriteriaError
from dashboard.writes.import_plan import ImportRaced
from dashboard.writes.levels import AssessmentError

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
REFUSALS = [
    updates.UpdateRefused,
    updates.Conflict,
    SignInRefused,
    SignInExpired,
    AccountRefused,
    MeetingError,
    AssessmentError,
    CriteriaError,
    PermissionDenied,
    ImportFileError,
    EvidenceRefused,
    DemoRefused,
    PackError,
    SettingsError,
    StorageRefused,
    DueDateUnreadable,
    ImportRaced,
    DatabaseUnreachable,
    SearchRefused,
]
BUILT_IN_ERRORS = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda c: c.__name__)
def test_each_refusal_is_a_refused_and_not_a_value_error(refusal: type[Exception]) -> None:
    assert issubclass(refusal, Refused)
    assert not issubclass(refusal, ValueError)


def test_no_error_class_in_dashboard_stands_outside_refused() -> None:
    """A new error class derives from Refused (or one of its kinds), not from a built-in one."""
    outside = []
    for path in sorted(DASHBOARD.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
                if bases & BUILT_IN_ERRORS and node.name != "Refused":
                    outside.append(f"{path.relative_to(DASHBOARD)}: {node.name}")
    assert outside == []


@pytest.fixture
def cli_without_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line on an empty in-memory database, its reads stubbed (no schema needed)."""
    monkeypatch.setenv("EFLG_DATABASE_URL", "sqlite://")
    monkeypatch.setattr(cli, "migrate", lambda engine: None)
    # The commands import their reads when they run, so the reads are stubbed where they live.
    monkeypatch.setattr(issue_reads, "issue_id_by_ref", lambda session, plan, ref: (1, 1))
    monkeypatch.setattr(account_reads, "actor_for_email", lambda session, email: COMMAND_LINE_ADMIN)


# (the write module, the write it calls, the command, a refusal that write may raise)
COMMANDS = [
    pytest.param(
        updates,
        "record_status_change",
        ["update", "--plan", "p", "--ref", "1.1", "--status", "Complete", "--as", "a@b.org"],
        updates.UpdateRefused,
        id="update",
    ),
    pytest.param(
        accounts,
        "add_user",
        ["users", "add", "a@b.org", "--role", "viewer"],
        AccountRefused,
        id="users add",
    ),
]


def _raising(error: Exception) -> Callable[..., Any]:
    def write(**_: Any) -> Any:
        raise error

    return write


@pytest.mark.usefixtures("cli_without_database")
@pytest.mark.parametrize(("module", "write", "argv", "refusal"), COMMANDS)
def test_a_bug_inside_a_write_is_not_printed_as_a_refusal(
    module: Any,
    write: str,
    argv: list[str],
    refusal: type[Refused],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(module, write, _raising(ValueError("a bug: bad index 7")))
    with pytest.raises(ValueError, match="a bug"):
        cli.main(argv)
    assert "a bug" not in capsys.readouterr().err


@pytest.mark.usefixtures("cli_without_database")
@pytest.mark.parametrize(("module", "write", "argv", "refusal"), COMMANDS)
def test_a_refusal_inside_a_write_is_printed_with_exit_2(
    module: Any,
    write: str,
    argv: list[str],
    refusal: type[Refused],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(module, write, _raising(refusal("That cannot be done: say why.")))
    assert cli.main(argv) == BAD_INPUT
    assert "That cannot be done: say why." in capsys.readouterr().err
