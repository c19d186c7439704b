"""Start-up warm-up (dashboard/app.py runs it in the server's lifespan, before the first request
is answered): the libraries every page imports, the settings and the database engine, and a first
chart drawn, so the first visitor after a restart does not wait for them (README → Performance).

Nothing here is needed for a page to work: a page run does the same on its own when the warm-up
could not (a bad setting, a database that is down); the warm-up then logs one line and the page
says what is wrong as it always does.
"""

import ast
import importlib
import logging
import time
from pathlib import Path

import pandas as pd

log = logging.getLogger("eflg.warmup")

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = (ROOT / "dashboard" / "main_script.py", *sorted((ROOT / "pages").glob("*.py")))


def imported_modules(scripts: tuple[Path, ...] = SCRIPTS) -> list[str]:
    """Every module the page scripts import, in the order they first name them."""
    names: dict[str, None] = {}
    for script in scripts:
        try:
            tree = ast.parse(script.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update((alias.name, None) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names[node.module] = None
    return list(names)


def _first_chart() -> None:
    """Draw one small chart of each kind: Altair's schema and vl-convert's engine load on the
    first drawing (half a second), not on the first visitor's."""
    from dashboard.reports import charts

    themes = pd.DataFrame(
        {
            "position": [1],
            "theme": ["Warm-up"],
            "percent_complete": [20],
            **{status: [1] for status in charts.STATUS_COLOURS},
            "issues": [len(charts.STATUS_COLOURS)],
        }
    )
    try:
        charts.to_svg(charts.theme_status_chart(themes), 200)
    except Exception as fault:  # a chart's columns changed: the warm-up only loses its chart
        log.info("Warm-up: the sample chart could not be drawn (%s)", fault)
    burn = pd.DataFrame({"day": ["2026-01-01", "2026-02-01"], "complete": [0, 1]})
    meetings = pd.DataFrame({"held_on": ["2026-01-15"], "title": ["Warm-up"]})
    charts.to_svg(charts.burn_up_chart(burn, meetings), 200)
    charts.forget_drawings()  # nothing of the sample is kept


def warm_up() -> float:
    """Import, connect and draw once; the seconds it took. Never raises."""
    start = time.perf_counter()
    for name in imported_modules():
        try:
            importlib.import_module(name)
        except Exception as fault:  # the page that imports it will report it
            log.info("Warm-up: %s could not be imported (%s)", name, fault)
    try:
        from dashboard.ui.engine import engine

        engine()
    except Exception as fault:  # the first page says what is wrong, in its own words
        log.info("Warm-up: the database is not ready yet (%s)", type(fault).__name__)
    try:
        _first_chart()
    except Exception as fault:
        log.info("Warm-up: no chart was drawn (%s)", type(fault).__name__)
    seconds = time.perf_counter() - start
    log.info("Warm-up done in %.2f s", seconds)
    return seconds
