"""Fuzzing the command line's arguments (hypothesis): whatever a person or a script types after
`python -m dashboard`, the command ends with an exit code of 0, 1 or 2 and, when it refuses, one
plain sentence on stderr; never a traceback, never an exception escaping `main`.

Each example runs `main(argv)` in this process against a seeded SQLite database of its own module,
with the working folder moved to a scratch folder (a fuzzed `--out` writes there) and an empty
standard input (a fuzzed `--password-stdin` reads nothing)."""

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from dashboard.cli.main import _parser, main
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database

VALUES = ["eflg-developing", "eflg-2021", "2.9", "1.1", "In progress", "Done", "Not started"]
VALUES += ["lead@council.gov.uk", "csv", "xlsx", "admin", "officer", "viewer", "out.csv", "", " "]
VALUES += ["plan.xlsx", "...", "-", "--", "=1+1", "2026-13-45", "31/02/2026", "23 Nov 2026"]
VALUES += ["\x00", "a" * 5000, "\u202eevil", "../../etc/passwd", "/dev/null", "Ref=Issue"]
# Mostly values a person might type, often text of any kind, now and then bytes that are not
# UTF-8 (Python reads them as lone surrogates).
VALUE = st.one_of(
    st.sampled_from(VALUES),
    st.sampled_from(VALUES),
    st.text(max_size=40),
    st.text(alphabet=st.characters(min_codepoint=0xDC80, max_codepoint=0xDCFF), min_size=1)
    | st.sampled_from(VALUES),
)


def _value(draw: st.DrawFn, action: argparse.Action) -> str:
    if action.choices and draw(st.booleans()):
        return str(draw(st.sampled_from(sorted(map(str, action.choices)))))
    return draw(VALUE)


def _choices(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


@st.composite
def _command(draw: st.DrawFn, parser: argparse.ArgumentParser) -> list[str]:
    """A command shaped as the parser expects (its sub-commands, its options in any order, each
    with a fuzzed value), so most examples reach the command itself, not argparse's usage line."""
    argv: list[str] = []
    while sub := _choices(parser):
        name = draw(st.sampled_from(sorted(sub)))
        argv.append(name)
        parser = sub[name]
    options = [a for a in parser._actions if a.option_strings and a.dest != "help"]
    chosen = draw(st.lists(st.sampled_from(options), unique=True)) if options else []
    for action in [a for a in options if a.required and a not in chosen] + chosen:
        argv.append(action.option_strings[-1])
        if action.nargs != 0:
            argv.append(_value(draw, action))
    for action in parser._actions:
        if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
            argv.append(_value(draw, action))
    return argv


COMMAND = _command(_parser())
ARGV = st.one_of(COMMAND, COMMAND, COMMAND, st.lists(VALUE, max_size=6))
CLASS_NAMES = ("Traceback", "Error(", "Exception", "sqlalchemy", "psycopg", 'File "')


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("fuzz-cli")
    url = f"sqlite:///{folder / 'eflg.db'}"
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
    engine.dispose()
    before = dict(os.environ)
    os.environ["EFLG_DATABASE_URL"] = url
    os.environ["EFLG_EVIDENCE_DIR"] = str(folder / "evidence")
    yield folder
    os.environ.clear()
    os.environ.update(before)


@contextlib.contextmanager
def _as_a_person_runs_it(folder: Path) -> Iterator[tuple[io.TextIOWrapper, io.TextIOWrapper]]:
    # Streams as a UTF-8 terminal has them: printing text that is not UTF-8 fails on stdout
    # (Python's "strict") and is escaped on stderr ("backslashreplace").
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    here, stdin = Path.cwd(), sys.stdin
    os.chdir(folder)
    sys.stdin = io.StringIO("")
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield out, err
    finally:
        sys.stdin = stdin
        os.chdir(here)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(argv=ARGV)
def test_fuzz_command_line_arguments_end_plainly(scratch: Path, argv: list[str]) -> None:
    with _as_a_person_runs_it(scratch) as (_out, err):
        try:
            code = main(argv)
        except SystemExit as leaving:  # argparse: a usage line and exit 2, or --help and exit 0
            code = leaving.code if isinstance(leaving.code, int) else 2
    err.flush()
    said = err.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    assert code in (0, 1, 2), (argv, code, said)
    assert not any(name in said for name in CLASS_NAMES), (argv, said)
    if code != 0:
        assert said.strip(), (argv, "refused without saying why")
