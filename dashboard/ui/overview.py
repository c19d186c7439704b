"""The overview's first screen (pages/overview.py): the sentence saying what is furthest behind,
the headline figures and the bars, drawn once per filters and day and kept until a write."""

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

import pandas as pd
import streamlit as st

from dashboard.formats import tables, words
from dashboard.reads import progress
from dashboard.rules import progress as rules
from dashboard.ui import widgets
from dashboard.ui.cache import cached
from dashboard.ui.labels import own_rag_label, rag_label
from models import RatingSource

SERVICES_SHOWN = 5  # the services furthest behind, beside the themes on the first screen
# The keys of the folds holding the themes and the services as tables (True while open).
THEMES_TABLE_OPEN = "overview_themes_table_open"
SERVICES_TABLE_OPEN = "overview_services_table_open"


class FirstScreen(NamedTuple):
    """What the first screen draws, as HTML: the sentence saying what is furthest behind, the
    figures, and the bars by theme and by lead service."""

    opening: str
    figures: str
    theme_bars: str
    service_bars: str


def themes_behind(filters: progress.Filters, today: date, amber_days: int) -> pd.DataFrame:
    """The themes, furthest behind first (as the sentence); ties in plan order."""
    themes = cached(progress.progress_by_theme)(filters, today, amber_days)
    return themes.iloc[
        sorted(
            range(len(themes)),
            key=lambda i: rules.behind_key(
                themes["percent_complete"].iloc[i],
                themes["overdue"].iloc[i],
                themes["issues"].iloc[i],
            ),
        )
    ].reset_index(drop=True)


def theme_addresses(themes: pd.DataFrame, params: Mapping[str, str]) -> list[str]:
    """Each theme's own page on Themes, with the filters in the address as they stand."""
    return [tables.href("themes", dict(params) | {"theme": int(s)}) for s in themes["section_id"]]


@st.cache_data(show_spinner=False, max_entries=500)
def first_screen(
    filters: progress.Filters,
    today: date,
    amber_days: int,
    rating_source: str,
    params: tuple[tuple[str, str], ...],
) -> FirstScreen | None:
    """The first screen drawn once per filters and day, kept (as the reads are) until a write,
    so a visit sends it as soon as the filters are known; None when no issue matches."""
    head = cached(progress.headline)(filters, today, amber_days)
    if head["issues"] == 0:
        return None
    by_council = rating_source == RatingSource.COUNCIL.value

    def figure_label(rating: rules.Rag) -> str:
        """A Red or Amber figure's heading: by dates, or the council's own rating."""
        return own_rag_label(rating.value) if by_council else rag_label(rating)

    themes = themes_behind(filters, today, amber_days)
    services = cached(progress.progress_by_service)(filters, today, amber_days)
    links = theme_addresses(themes, dict(params))
    shown = services.head(SERVICES_SHOWN)
    return FirstScreen(
        opening=tables.lead_paragraph(
            words.furthest_behind_words(
                rules.furthest_behind(widgets.standings(themes, "theme")),
                rules.furthest_behind(widgets.standings(services, "lead")),
            )
        ),
        figures=widgets.figures_html(
            [
                ("Issues", int(head["issues"])),
                (
                    "Complete",
                    words.percent_label(
                        int(head["issues"]), int(head["counted"]), head["percent_complete"]
                    ),
                ),
                (figure_label(rules.Rag.RED), int(head["red"])),
                (figure_label(rules.Rag.AMBER), int(head["amber"])),
            ],
            compact=True,
        ),
        theme_bars=widgets.progress_bars_html(
            "% complete by theme, furthest behind first",
            widgets.progress_bar_rows(themes, "theme", links),
        ),
        service_bars=widgets.progress_bars_html(
            "Lead services furthest behind",
            widgets.progress_bar_rows(shown, "lead", widgets.service_addresses(shown["lead_id"])),
        ),
    )
