"""`make bench`: run every benchmark, print a table, write bench/results.json.

Each timing is the median of at least five runs and sits next to a baseline measured in the same
run. Scales: council (the seeds + demo progress), county (5,000 issues, ~100,000 updates) and
national (100,000 issues, ~2,000,000 updates). Choose with BENCH_SCALES=council,county and
BENCH_DATABASES=sqlite,postgresql; BENCH_RUNS sets the number of runs (at least 5);
BENCH_SECTIONS=search,tickoff_latency runs only those sections of each database and scale.
"""

import json
import os
import platform
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlmodel import Session

from dashboard.store.db import make_engine, migrate
from dashboard.store.demo import load_demo

from .timing import Figure

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results.json"
POSTGRES_ADMIN = os.environ.get(
    "BENCH_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
RUNS = max(5, int(os.environ.get("BENCH_RUNS", "5")))


def _say(message: str) -> None:
    print(message, flush=True)


def database_url(scale: str, database: str) -> str:
    """A fresh database of `database` kind holding the demo data set at `scale`."""
    if database == "sqlite":
        DATA.mkdir(parents=True, exist_ok=True)
        path = DATA / f"{scale}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        name = f"eflg_bench_{scale}"
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    migrate(engine)
    with Session(engine) as session:
        load_demo(session, scale, progress=lambda _m: None)
    engine.dispose()
    return url


def run_all(
    scales: list[str], databases: list[str], sections: list[Callable[..., list[Figure]]]
) -> list[Figure]:
    figures: list[Figure] = []
    for database in databases:
        for scale in scales:
            _say(f"== {scale} scale on {database}: loading demo data")
            url = database_url(scale, database)
            for section in sections:
                _say(
                    f"   {section.__doc__.splitlines()[0] if section.__doc__ else section.__name__}"
                )
                figures += section(url=url, scale=scale, database=database, runs=RUNS)
    return figures


def print_table(figures: list[Figure]) -> None:
    header = (
        f"{'measure':46} {'scale':9} {'db':10} {'value':>10} {'baseline':>10} {'ratio':>7}  target"
    )
    print()
    print(header)
    print("-" * len(header))
    for f in figures:
        base = f"{f.baseline:10.1f}" if f.baseline is not None else " " * 10
        ratio = f"{f.ratio:7.2f}" if f.ratio is not None else " " * 7
        verdict = "" if f.met is None else (" met" if f.met else " MISSED")
        target = f"{f.target or ''}{verdict}"
        print(f"{f.name:46} {f.scale:9} {f.database:10} {f.value:10.1f} {base} {ratio}  {target}")
        if f.unit != "ms":
            print(f"{'':46} {'':9} {'':10} {'(' + f.unit + ')':>10}")


def write_results(figures: list[Figure]) -> None:
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "python": sys.version.split()[0],
                    "platform": platform.platform(),
                    "cores": os.cpu_count(),
                },
                "runs_per_timing": RUNS,
                "figures": [asdict(f) | {"ratio": f.ratio} for f in figures],
            },
            indent=2,
            default=str,
        )
        + "\n"
    )
    print(f"\nWrote {RESULTS}")


def main() -> int:
    from . import sections

    scales = os.environ.get("BENCH_SCALES", "council,county,national").split(",")
    databases = os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",")
    chosen = [s for s in os.environ.get("BENCH_SECTIONS", "").split(",") if s]
    unknown = [s for s in chosen if s not in sections.SECTIONS]
    if unknown:
        known = ", ".join(sections.SECTIONS)
        _say(f"Unknown BENCH_SECTIONS {', '.join(unknown)}: choose from {known}")
        return 2
    per_database = [sections.SECTIONS[s] for s in chosen] or sections.PER_DATABASE
    figures = run_all(scales, databases, per_database)
    if not chosen:  # the once-only figures come with a whole run
        figures += sections.once(runs=RUNS)
        figures += sections.documents(runs=RUNS)
        figures += sections.command_line(runs=RUNS)
    sections.judge(figures)
    print_table(figures)
    write_results(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
