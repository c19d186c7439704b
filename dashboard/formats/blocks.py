"""Plans written as prose: labelled blocks of text read as rows of a table.

A stub until helper "blocks" supplies the real reader: the interface only (the integrator takes
the real version of this file).
"""

# ruff: noqa: E501  (the interface exactly as agreed with helper "blocks")

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pdfplumber


# fmt: off
@dataclass(frozen=True)
class Paragraph:
    text: str
    heading: int | None = None  # 1 = largest heading (Word Heading 1/Title; PDF: largest font); None = body text
    bold: bool = False
    bullet: bool = False  # a list item (Word numbering/bullet style; PDF line starting with •, -, –, ▪)
    page: int | None = None  # PDF page number (1-based); None for Word
# fmt: on


def rows_from_paragraphs(paragraphs: Sequence[Paragraph]) -> list[tuple[str, ...]] | None:
    """Header row first, then one row per action, read from labelled blocks; None when the text has none."""
    return None


_BULLETS = ("•", "-", "–", "▪")


def pdf_paragraphs(pdf: "pdfplumber.PDF") -> list[Paragraph]:
    """The text of a PDF as paragraphs with heading levels from font sizes."""
    lines: list[tuple[str, float, bool, int]] = []
    for number, page in enumerate(pdf.pages, start=1):
        words = page.extract_words(extra_attrs=["size", "fontname"])
        current: list[dict] = []  # type: ignore[type-arg]
        for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
            if current and abs(word["top"] - current[-1]["top"]) > 2:
                lines.append(_line(current, number))
                current = []
            current.append(word)
        if current:
            lines.append(_line(current, number))
    sizes = sorted({round(size) for _text, size, _bold, _page in lines}, reverse=True)
    body = _most_common([round(size) for _text, size, _bold, _page in lines])
    larger = [s for s in sizes if s > body]
    return [
        Paragraph(
            text,
            heading=larger.index(round(size)) + 1 if round(size) in larger else None,
            bold=bold,
            bullet=text.startswith(_BULLETS),
            page=page,
        )
        for text, size, bold, page in lines
    ]


def _line(words: list[dict], page: int) -> tuple[str, float, bool, int]:  # type: ignore[type-arg]
    text = " ".join(w["text"] for w in words)
    size = max(float(w["size"]) for w in words)
    bold = all("bold" in str(w["fontname"]).lower() for w in words)
    return text, size, bold, page


def _most_common(values: list[int]) -> int:
    return max(set(values), key=values.count) if values else 0
