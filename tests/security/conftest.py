"""The red-team suite: each test is one attack, tried as an attacker would, that asserts what a
person would see (a plain refusal, nothing changed, no traceback). `make test` ends with the
count: how many attacks were tried and how many the product held against."""

import pytest

_outcomes: dict[str, bool] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/security/" in item.nodeid:
            item.add_marker(pytest.mark.attack)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "tests/security/" not in report.nodeid:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        held = report.passed and not report.skipped
        _outcomes[report.nodeid] = _outcomes.get(report.nodeid, True) and held


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _outcomes:
        held = sum(_outcomes.values())
        terminalreporter.write_line(
            f"Red team: {len(_outcomes)} attacks tried, {held} held, {len(_outcomes) - held} broke"
        )
