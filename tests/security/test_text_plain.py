"""Markdown injection against the one escaping path itself (dashboard.formats.markdown.plain),
fuzzed: whatever text comes in, what Streamlit's Markdown receives can hold no markup at all
(no link, image, HTML, list, heading, icon or autolink), and it reads back exactly as typed.
The real renderer is checked in test_text_browser.py; this is the same promise for any text."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.formats.markdown import plain

WORD_JOINER = "\u2060"
# Pieces that start markup in CommonMark, GitHub's Markdown or Streamlit's own.
FRAGMENTS = [
    "[x](https://evil.example)", "![i](//evil.example/p.png)", "<img src=x onerror=alert(1)>",
    "https://evil.example", "HTTP://EVIL.EXAMPLE", "www.evil.example", "WwW.evil.example",
    "x@evil.example", "<https://evil.example>", ":material/lock_open:", ":streamlit:",
    ":smile:", ":red[x]", ":blue-badge[x]", "$x^2$", "$$y$$", "~~s~~", "**b**", "_i_", "`c`",
    "# ", "> ", "- ", "+ ", "1. ", "2) ", "***", "---", "===", "| a | b |", "[^1]", "[y]: /z",
    "&lt;", "&#x3c;", "\\", "\n", "\r\n", " -> ", " <- ", " <-> ", " -- ", " >= ", " <= ",
    " ~= ", "mailto:x@evil.example", "    ",
]  # fmt: skip
TEXT = st.lists(
    st.sampled_from(FRAGMENTS)
    | st.text(st.characters(exclude_characters=WORD_JOINER, exclude_categories=("Cs",))),
    max_size=8,
).map("".join)
MARKUP = set("\\`*_{}[]()<>$:~|!&^=")
AFTER_ESCAPES = re.compile(
    r"(?i)https?:/|www\.|[-.\w+]@[-\w]|:(?!\s|$|" + WORD_JOINER + r")"
    r"|(?<!\S)(<->|->|<-|--|[><~]=)(?!\S)"
)


def read(markdown: str) -> str:
    """The text a reader sees: escapes read, word joiners invisible, hard breaks as breaks."""
    return re.sub(r"\\(.)", r"\1", markdown, flags=re.S).replace(WORD_JOINER, "")


@settings(max_examples=60, deadline=None)
@given(TEXT)
def test_plain_leaves_no_markup_and_reads_as_typed(text: str) -> None:
    markdown = plain(text)
    unprotected = re.sub(r"\\.", "\ufffc", markdown, flags=re.S)  # what no backslash covers
    assert not MARKUP & set(unprotected), (text, markdown)
    for line in unprotected.split("\n"):
        assert not re.match(r"\s*([#>+-]|\d+[.)](\s|$))", line), (text, markdown)
    seen = re.sub(r"\\(.)", r"\1", markdown, flags=re.S)  # what the autolinker looks at
    assert not AFTER_ESCAPES.search(seen), (text, markdown)
    assert read(markdown).replace("  \n", "\n") == text.replace("\r\n", "\n"), (text, markdown)
