"""The red-team suite: each test is one attack, tried as an attacker would, that asserts what a
person would see (a plain refusal, nothing changed, no traceback). `make test` ends with the
count: how many attacks were tried and how many the product held against (counted in
tests/conftest.py, which the pytest-xdist controller loads too)."""

import pytest
from playwright.sync_api import Page


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/security/" in item.nodeid:
            item.add_marker(pytest.mark.attack)


@pytest.fixture
def tab(page: Page) -> Page:
    """A new browser window for a browser attack (tests/conftest.py's `page`), given longer to
    answer: these attacks share the machine with servers started on purpose to fail."""
    page.set_default_timeout(30_000)
    return page
