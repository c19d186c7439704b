"""What every command prints for an all-or-nothing load, and its exit code for bad input."""

import sys
from typing import Protocol

BAD_INPUT = 2  # the input was refused; nothing was changed


class _Outcome(Protocol):
    @property
    def ok(self) -> bool: ...

    def summary(self) -> str: ...


def report(result: _Outcome) -> int:
    """Print the summary (to stderr when refused) and return the exit code."""
    if not result.ok:
        print(result.summary(), file=sys.stderr)
        return BAD_INPUT
    print(result.summary())
    return 0
