"""Attacks through the host setting: an EFLG_ALLOWED_HOSTS value that would open the server to
every name, or that cannot mean a host name, stops the app with one sentence naming the variable
(the server then answers only to this machine's own names)."""

import pytest

from dashboard.store.settings import Settings, SettingsError


@pytest.mark.parametrize(
    "value",
    [
        "*",  # every name: DNS rebinding from anywhere
        "*.uk",  # every name under a top-level domain
        "equality.example.gov.uk:8501",  # a port
        "equality.example.gov.uk/dashboard",  # a path
        "equality.example.gov.uk,,evil",  # an empty entry (a typing slip)
        "evil.example\nHost: localhost",  # a header smuggled into the value
    ],
)
def test_an_unusable_host_setting_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("EFLG_ALLOWED_HOSTS", value)
    with pytest.raises(SettingsError) as refused:
        Settings.from_env()
    message = str(refused.value)
    assert message.startswith("EFLG_ALLOWED_HOSTS must be host names separated by commas")
    assert "Traceback" not in message
