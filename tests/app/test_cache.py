"""Cached reads: each read keeps its own results, a write by this server forgets them, and so
does a write by anyone else (another server, the command line) once a page runs."""

from collections.abc import Callable

import pandas as pd
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.reads import progress, summaries
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.ui.cache import after_write, cached, refresh_if_data_changed
from dashboard.writes.updates import record_status_change
from models import Issue, Plan


def tick_off(session: Session, ref: str) -> None:
    row = session.exec(
        select(Issue).join(Plan).where(Plan.slug == "eflg-developing", Issue.ref == ref)
    ).one()
    record_status_change(
        session=session, actor=COMMAND_LINE_ADMIN, issue_id=row.id or 0, status="Complete",
        note="Done", expected_version=row.version,
    )  # fmt: skip


def percent(plans: pd.DataFrame) -> int:
    """The Developing plan's % complete in `summaries.plans_summary`."""
    return int(plans[plans["slug"] == "eflg-developing"]["percent_complete"].iloc[0])


def test_two_reads_with_the_same_arguments_keep_their_own_results(
    app: Callable[..., AppTest],
) -> None:
    assert cached(summaries.plans_summary) is cached(summaries.plans_summary)
    listed = cached(summaries.plans_summary)()
    chosen = cached(progress.plans)()
    assert "issues" in listed.columns and "issues" not in chosen.columns
    themes, grid = cached(progress.themes)(1), cached(progress.coverage)(1)
    assert "theme" in themes.columns and "Age" in grid.columns and "Age" not in themes.columns


def test_a_write_is_shown_after_after_write(app: Callable[..., AppTest], seeded: Session) -> None:
    before = percent(cached(summaries.plans_summary)())
    tick_off(seeded, "1.1")
    assert percent(cached(summaries.plans_summary)()) == before  # still the kept result
    after_write()
    assert percent(cached(summaries.plans_summary)()) > before


def test_a_write_elsewhere_is_shown_on_the_next_page_run(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    refresh_if_data_changed()  # this server has looked once
    before = percent(cached(summaries.plans_summary)())
    refresh_if_data_changed()  # nothing written since: the kept result stays
    tick_off(seeded, "1.1")  # as the command line would
    assert percent(cached(summaries.plans_summary)()) == before
    refresh_if_data_changed()
    assert percent(cached(summaries.plans_summary)()) > before
