"""The session settings: the idle and absolute time-outs of a local sign-in and the reverse
proxies whose X-Forwarded-Proto is believed; a bad value names its variable."""

import pytest

from dashboard.rules.accounts import safe_return_path
from dashboard.store.settings import Settings, SettingsError

NAMES = ("EFLG_SESSION_IDLE_MINUTES", "EFLG_SESSION_HOURS", "EFLG_TRUSTED_PROXIES")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    settings = Settings.from_env()
    assert (settings.session_idle_minutes, settings.session_hours) == (60, 12)
    assert settings.trusted_proxies == ()


def test_values_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EFLG_SESSION_IDLE_MINUTES", " 5 ")
    monkeypatch.setenv("EFLG_SESSION_HOURS", "2")
    monkeypatch.setenv("EFLG_TRUSTED_PROXIES", "10.0.0.5, [::1],10.0.0.5")
    settings = Settings.from_env()
    assert (settings.session_idle_minutes, settings.session_hours) == (5, 2)
    assert settings.trusted_proxies == ("10.0.0.5", "::1")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("EFLG_SESSION_IDLE_MINUTES", "0"),
        ("EFLG_SESSION_IDLE_MINUTES", "half an hour"),
        ("EFLG_SESSION_HOURS", "-1"),
        ("EFLG_TRUSTED_PROXIES", "proxy.example"),
        ("EFLG_TRUSTED_PROXIES", "10.0.0.5,"),
    ],
)
def test_a_bad_value_names_its_variable(
    name: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        Settings.from_env()


@pytest.mark.parametrize(
    "path", ["/", "/issue?issue=24", "/plans?plan=eflg&theme=3", "/present?slide=2#top"]
)
def test_a_path_on_this_site_is_a_return_address(path: str) -> None:
    assert safe_return_path(path) == path


@pytest.mark.parametrize("value", ["", "issue", None, 24, "/" + "a" * 2001, "/a\nb", "/a b"])
def test_anything_else_is_not(value: object) -> None:
    assert safe_return_path(value) is None
