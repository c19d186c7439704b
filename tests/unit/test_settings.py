"""Settings: a value in the environment the app cannot use is refused with a message naming the
variable and what it should be; the command line says so with exit code 2, never a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.cli.main import main
from dashboard.rules.errors import Refused
from dashboard.store.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
WHOLE_NUMBERS = {  # variable: (field, default, least allowed)
    "EFLG_MAX_EVIDENCE_MB": ("max_evidence_mb", 20, 1),
    "EFLG_RAG_AMBER_DAYS": ("rag_amber_days", 30, 0),
    "EFLG_LOCKOUT_ATTEMPTS": ("lockout_attempts", 5, 1),
    "EFLG_LOCKOUT_MINUTES": ("lockout_minutes", 15, 1),
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [*WHOLE_NUMBERS, "EFLG_DATABASE_URL", "EFLG_EVIDENCE_DIR", "EFLG_UNKNOWN_EMAIL"]:
        monkeypatch.delenv(name, raising=False)


def test_defaults_when_nothing_is_set() -> None:
    settings = Settings.from_env()
    for field, default, _ in WHOLE_NUMBERS.values():
        assert getattr(settings, field) == default
    assert settings.unknown_email == "refuse"
    assert settings.database_url.startswith("sqlite:///")


@pytest.mark.parametrize("name", WHOLE_NUMBERS)
def test_each_whole_number_setting_is_read(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    field, _, least = WHOLE_NUMBERS[name]
    monkeypatch.setenv(name, f" {least + 7} ")
    assert getattr(Settings.from_env(), field) == least + 7


@pytest.mark.parametrize("name", WHOLE_NUMBERS)
@pytest.mark.parametrize("value", ["five", "-1", "", "  ", "2.5"])
def test_a_bad_whole_number_names_its_variable_and_what_it_should_be(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, default, least = WHOLE_NUMBERS[name]
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        Settings.from_env()
    message = str(refused.value)
    assert message.startswith(f"{name} must be a whole number of {least} or more")
    assert f"the default is {default}" in message
    assert "it is " in message
    assert isinstance(refused.value, Refused)  # a refusal a person may read, not a bug


def test_zero_amber_days_is_allowed_but_zero_lockout_attempts_is_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EFLG_RAG_AMBER_DAYS", "0")
    assert Settings.from_env().rag_amber_days == 0
    monkeypatch.setenv("EFLG_LOCKOUT_ATTEMPTS", "0")
    with pytest.raises(SettingsError, match="EFLG_LOCKOUT_ATTEMPTS must be .* 1 or more"):
        Settings.from_env()


@pytest.mark.parametrize("name", ["EFLG_DATABASE_URL", "EFLG_EVIDENCE_DIR"])
def test_an_empty_text_setting_is_refused(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, "")
    with pytest.raises(SettingsError, match=f"^{name} is set but empty"):
        Settings.from_env()


def test_an_unknown_choice_names_the_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EFLG_UNKNOWN_EMAIL", "admin")
    with pytest.raises(SettingsError, match="EFLG_UNKNOWN_EMAIL must be one of refuse, viewer"):
        Settings.from_env()


def test_the_command_line_refuses_a_bad_setting_with_exit_code_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("EFLG_LOCKOUT_ATTEMPTS", "five")
    assert main(["plans"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("Nothing was done: EFLG_LOCKOUT_ATTEMPTS must be a whole number")
    assert "'five'" in err


def test_the_command_line_prints_the_message_and_no_traceback(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "EFLG_DATABASE_URL": f"sqlite:///{tmp_path / 'never-made.db'}",
        "EFLG_MAX_EVIDENCE_MB": "-3",
    }
    done = subprocess.run(
        [sys.executable, "-m", "dashboard", "plans"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip() == (
        "Nothing was done: EFLG_MAX_EVIDENCE_MB must be a whole number of 1 or more "
        "(the default is 20); it is -3."
    )
    assert not (tmp_path / "never-made.db").exists()  # nothing was touched
