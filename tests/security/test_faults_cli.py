"""Faults on the command line: a database that cannot be reached, arguments that are not valid
UTF-8, a read-only database file, a read-only folder, settings with values it cannot use. Each
is run as a person would run it (a subprocess, arguments as raw bytes) and must end with one
plain line on stderr, a non-zero exit code and no traceback."""

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlmodel import Session

from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database

ROOT = Path(__file__).resolve().parents[2]
UPDATE = ["update", "--plan", "eflg-developing", "--ref", "2.9", "--status", "In progress"]
UPDATE += ["--note", "Started.", "--as", "lead@council.gov.uk"]


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """`paths` read-only, even for root (whom file permissions do not stop): made immutable
    with chattr as well."""
    modes = {path: path.stat().st_mode for path in paths}
    for path, mode in modes.items():
        path.chmod(mode & ~0o222)
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(["chattr", "+i", *map(str, paths)], check=True)
    try:
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
        for path, mode in modes.items():
            path.chmod(mode)


def run(argv: Sequence[str | bytes], **env: str) -> subprocess.CompletedProcess[bytes]:
    """`python -m dashboard ARGV…` in a process of its own, the arguments passed as given."""
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *argv],
        cwd=ROOT, capture_output=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
    )  # fmt: skip


def plain_failure(done: subprocess.CompletedProcess[bytes], code: int, *words: str) -> None:
    """Exit code `code`; stderr is one line holding `words`, with no traceback in it."""
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == code, (done.returncode, err)
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and "Error" not in err and "Exception" not in err, err
    for word in words:
        assert word in err, err


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded SQLite database file in a folder of its own."""
    path = tmp_path_factory.mktemp("cli") / "eflg.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    with Session(engine) as session:
        seed_database(session)
    engine.dispose()
    return path


def test_a_database_that_cannot_be_reached() -> None:
    done = run(["plans"], EFLG_DATABASE_URL="postgresql://postgres@127.0.0.1:1/x")
    plain_failure(done, 1, "the database postgresql://postgres@127.0.0.1:1/x could not be used")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(
            ["update", "--plan", b"caf\xe9", "--ref", "1.1", "--as", "a@b.org"], id="plan"
        ),
        pytest.param(["import", b"/tmp/Race equality \xff\xfe plan.csv", "--dry-run"], id="file"),
        pytest.param(
            ["meetings", "record", "--body", "CMT", "--title", b"\xc3", "--date", "2026-11-24"],
            id="title",
        ),
    ],
)
def test_arguments_that_are_not_utf8(database: Path, argv: list[str | bytes]) -> None:
    done = run(argv, EFLG_DATABASE_URL=f"sqlite:///{database}")
    plain_failure(done, 2, "is not valid UTF-8 text")


def test_a_read_only_database_file(database: Path) -> None:
    with read_only(database, database.parent):
        done = run(UPDATE, EFLG_DATABASE_URL=f"sqlite:///{database}")
    plain_failure(done, 1, f"the database sqlite:///{database} could not be used")


def test_a_read_only_folder_for_the_output(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    with read_only(folder):
        done = run(
            ["export", "--out", str(folder / "plans.csv")],
            EFLG_DATABASE_URL=f"sqlite:///{database}",
        )
    plain_failure(done, 1, f"{folder / 'plans.csv'} could not be used")
    assert not (folder / "plans.csv").exists()


@pytest.mark.parametrize(
    ("name", "value", "code", "words"),
    [
        ("EFLG_DATABASE_URL", "the usual one", 2, "EFLG_DATABASE_URL is not a database address"),
        ("EFLG_DATABASE_URL", "mysql://lead@db/eflg", 2, "EFLG_DATABASE_URL is not a database"),
        ("EFLG_DATABASE_URL", "sqlite:////proc/no such folder/eflg.db", 1, "could not be used"),
        ("EFLG_RAG_AMBER_DAYS", "a month", 2, "EFLG_RAG_AMBER_DAYS must be a whole number"),
    ],
    ids=["not an address", "an unsupported database", "an impossible folder", "not a number"],
)
def test_a_setting_the_command_line_cannot_use(
    name: str, value: str, code: int, words: str
) -> None:
    plain_failure(run(["plans"], **{name: value}), code, words)
