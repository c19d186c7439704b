"""Statuses and RAG ratings as Streamlit's Markdown shows them: an icon of its own shape plus the
words (the looks themselves live in dashboard/formats/words.py)."""

import pandas as pd

from dashboard.formats.words import RAG_BY_DATES, RAG_COUNCIL, own_rag_look, rag_look, status_look


def rag_label(rating: str, has_due_date: bool = True) -> str:
    """A RAG rating as Markdown: an icon of its own shape (and colour) plus the words."""
    return rag_look(rating, has_due_date).markdown


def status_label(status: str) -> str:
    """A status as Markdown: an icon of its own shape plus the words."""
    return status_look(status).markdown


def own_rag_label(rating: object) -> str:
    """The council's own RAG rating as Markdown: its icon and words, "Not set" when none."""
    return own_rag_look(rating).markdown


def rag_columns(issues: pd.DataFrame) -> dict[str, list[str]]:
    """The RAG columns of an issue table (from dashboard.reads.progress): "RAG" by dates alone,
    or, when any issue has the council's own rating, "RAG (by dates)" beside "RAG (council's
    rating)"."""
    by_dates = [
        rag_label(r, d is not None) for r, d in zip(issues["rag"], issues["due_date"], strict=True)
    ]
    if issues["own_rag"].isna().all():
        return {"RAG": by_dates}
    return {RAG_BY_DATES: by_dates, RAG_COUNCIL: [own_rag_label(r) for r in issues["own_rag"]]}


RAG_ICON_COLUMNS = ("RAG", RAG_BY_DATES, RAG_COUNCIL)  # the table columns that hold ratings
