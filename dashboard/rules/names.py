"""Folding of names for matching (leads, themes, characteristics): case and spacing ignored; and
the one rule for finding a plan's section by what a file or a person calls it."""

import re
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

_SPACE = re.compile(r"\s+")


def name_key(name: str) -> str:
    """'  The  Improvement unit ' -> 'the improvement unit'."""
    return _SPACE.sub(" ", name.replace("\u00a0", " ")).strip().casefold()


def split_leads(cell: str) -> list[str]:
    """Split an exported leads cell ("A / B / C") into names, keeping order, dropping blanks."""
    return [part.strip() for part in cell.split("/") if part.strip()]


class NamedTheme(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def short_name(self) -> str: ...
    @property
    def aliases(self) -> Sequence[str]: ...


class HeadedSection(Protocol):
    @property
    def heading(self) -> str: ...
    @property
    def theme(self) -> NamedTheme | None: ...


ThemeT = TypeVar("ThemeT", bound=NamedTheme)
SectionT = TypeVar("SectionT", bound=HeadedSection)


def theme_names(theme: NamedTheme) -> list[str]:
    """Every name a framework theme answers to: its name, short name and aliases."""
    return [theme.name, theme.short_name, *theme.aliases]


def theme_lookup(themes: Iterable[ThemeT]) -> dict[str, ThemeT]:
    """Folded name -> theme, by name, short name or alias (the first theme keeps a shared name)."""
    found: dict[str, ThemeT] = {}
    for theme in themes:
        for name in theme_names(theme):
            found.setdefault(name_key(name), theme)
    return found


def section_lookup(sections: Iterable[SectionT]) -> dict[str, SectionT]:
    """Folded name -> section of one plan: by its heading, else by its framework theme's name,
    short name or alias. Headings come first, so no theme alias hides another section."""
    ordered = list(sections)
    found = {name_key(section.heading): section for section in ordered}
    for section in ordered:
        if section.theme is not None:
            for name in theme_names(section.theme):
                found.setdefault(name_key(name), section)
    return found
