"""The red-team suite: each test is one attack, tried as an attacker would, that asserts what a
person would see (a plain refusal, nothing changed, no traceback). `make test` ends with the
count: how many attacks were tried and how many the product held against (counted in
tests/conftest.py, which the pytest-xdist controller loads too)."""

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/security/" in item.nodeid:
            item.add_marker(pytest.mark.attack)
