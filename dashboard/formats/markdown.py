"""Text that people typed or that came from a file, made safe for Markdown (Streamlit's
st.markdown, captions, headers, alerts, widget labels, radio options and page links): shown
exactly as typed, with no links, images, icons, maths, HTML or lists, and line breaks kept. The
one escaping path for Markdown; HTML is escaped by dashboard/formats/tables.py.

Two kinds of markup need two defences. Syntax (``[x](…)``, ``![i](…)``, ``<b>``, ``# heading``)
is stopped by a backslash before each character that starts it. But some markup is found in the
text *after* the backslashes are read, where a backslash cannot reach: GitHub's autolinks
(``https://…``, ``www.…``, ``name@host.org`` become links) and Streamlit's own shortcodes
(``:material/…:`` icons, ``:streamlit:``, ``:smile:`` emoji) and typographic swaps ("->" to an
arrow). Those are broken with an invisible word joiner (U+2060) after a ":", between "www" and
".", and before an "@": the text reads exactly as typed on screen and to a screen reader, and a
link-shaped text is never a link. (Checked in a real browser: tests/security/test_text_browser.py.)
"""

import re

WORD_JOINER = "\u2060"

# Characters that start Markdown, HTML or Streamlit syntax anywhere in a line (":" starts
# ":material/…:" icons and ":red[…]" colours, "$" maths, "<" autolinks and HTML, "~" strike).
_ANYWHERE = re.compile(r"([\\`*_{}\[\]()<>$:~|!&^=])")
# Characters that start a block only at the beginning of a line: headings, quotes, lists.
_LINE_START = re.compile(r"^(\s*|\s*\d+)((?<=\d)[.)](?=\s|$)|(?<!\d)[#>+\-])", re.M)
# Found in the text after escapes are read (see above): a ":" before a non-space (an autolink's
# "https:" or "mailto:", a shortcode's ":name"), the "www" of "www.", the "@" of an address, and
# the spaced "->", "<-", "<->", "--", ">=", "<=" and "~=" that Streamlit swaps for one character.
_AFTER_ESCAPES = re.compile(
    r"(?P<after>:(?=\S)|(?i:www)(?=\.))|(?P<before>@)|(?<!\S)(?P<inside><->|->|<-|--|[><~]=)(?!\S)"
)


def _join(found: re.Match[str]) -> str:
    if found["after"]:
        return found["after"] + WORD_JOINER
    if found["before"]:
        return WORD_JOINER + found["before"]
    return found["inside"][0] + WORD_JOINER + found["inside"][1:]


def plain(text: object) -> str:
    """``text`` escaped so Markdown shows it exactly as typed; a line break stays a line break."""
    joined = _AFTER_ESCAPES.sub(_join, str(text))
    escaped = _ANYWHERE.sub(r"\\\1", joined)
    escaped = _LINE_START.sub(lambda m: m[1] + "\\" + m[2], escaped)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")
