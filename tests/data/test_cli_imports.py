"""The command line loads only what a command uses: `plans` lists the plans without pandas or the
chart, PDF, slide and workbook libraries, and without Alembic when the schema is up to date.
(Its speed is measured by `make bench`; no timing is asserted in tests.)"""

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlmodel import Session

from dashboard.store.db import make_engine, schema_head

ROOT = Path(__file__).resolve().parents[2]
HEAVY = {"pandas", "altair", "weasyprint", "pptx", "openpyxl", "vl_convert"}


def _dashboard(url: str, *args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `python -X importtime -m dashboard ARGS` on `url`; the result and the top-level
    packages it imported."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dashboard", *args],
        cwd=ROOT,
        env={**os.environ, "EFLG_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    imported = {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }
    return result, imported


def test_plans_lists_every_plan_without_the_heavy_libraries(
    engine: Engine, seeded: Session
) -> None:
    result, imported = _dashboard(engine.url.render_as_string(hide_password=False), "plans")
    assert result.returncode == 0, result.stderr[-2000:]
    slugs = [line.split()[0] for line in result.stdout.splitlines()[1:]]
    assert slugs == [
        "eflg-developing",
        "race-equality-scheme-2008-11",
        "corporate-equalities-strategy",
        "childrens-services-equality-strategy",
    ]
    assert "sqlalchemy" in imported  # the import log was read
    assert imported & HEAVY == set()
    assert "alembic" not in imported  # the schema is at head: nothing to migrate


def test_plans_on_a_new_database_migrates_it_first(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    result, imported = _dashboard(url, "plans")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "No plans yet" in result.stdout
    assert "alembic" in imported
    engine = make_engine(url)
    assert {"plan", "issue", "alembic_version"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == (
            schema_head()
        )
    engine.dispose()
