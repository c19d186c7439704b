"""What every command prints for an all-or-nothing load, and its exit codes: for bad input, and
for a database, file or folder that could not be used (one plain line each, never a traceback)."""

import sys
from typing import Protocol

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

BAD_INPUT = 2  # the input was refused; nothing was changed
CANNOT_RUN = 1  # the database, a file or a folder could not be used; nothing was changed


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


def fail(message: str, code: int) -> int:
    """Print one plain line to stderr and return the exit code."""
    print(" ".join(message.split()), file=sys.stderr)
    return code


def database_fault(fault: DBAPIError, database_url: str) -> str:
    """A database that cannot be reached or written, in one sentence (its password hidden)."""
    where = make_url(database_url).render_as_string(hide_password=True)
    reason = str(fault.orig).strip().splitlines()[0] if str(fault.orig).strip() else "no reason"
    return (
        f"Nothing was changed: the database {where} could not be used ({reason.rstrip('.')}). "
        "Check that it is running and that EFLG_DATABASE_URL names it, and that this account "
        "may write to it."
    )


def file_fault(fault: OSError) -> str:
    """A file or folder that cannot be read or written, in one sentence."""
    what = f"{fault.filename}" if fault.filename else "a file or folder"
    return f"Nothing was done: {what} could not be used: {fault.strerror or 'unknown reason'}."
