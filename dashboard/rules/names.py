"""Folding of names for matching (leads, themes, characteristics): case and spacing ignored."""

import re

_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """'  The  Improvement unit ' -> 'the improvement unit'."""
    return _SPACE.sub(" ", name.replace("\u00a0", " ")).strip().casefold()


def split_leads(cell: str) -> list[str]:
    """Split an exported leads cell ("A / B / C") into names, keeping order, dropping blanks."""
    return [part.strip() for part in cell.split("/") if part.strip()]
