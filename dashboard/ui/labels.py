"""Statuses and RAG ratings as Streamlit's Markdown shows them: an icon of its own shape plus the
words (the looks themselves live in dashboard/formats/words.py)."""

from dashboard.formats.words import rag_look, status_look


def rag_label(rating: str, has_due_date: bool = True) -> str:
    """A RAG rating as Markdown: an icon of its own shape (and colour) plus the words."""
    return rag_look(rating, has_due_date).markdown


def status_label(status: str) -> str:
    """A status as Markdown: an icon of its own shape plus the words."""
    return status_look(status).markdown
