"""Text that people typed or that came from a file, made safe for Markdown (Streamlit's
st.markdown, captions, widget labels and page links): shown exactly as typed, with no links,
images, icons, maths, HTML or lists, and line breaks kept. The one escaping path for Markdown;
HTML is escaped by dashboard/formats/tables.py."""

import re

# Characters that start Markdown, HTML or Streamlit syntax anywhere in a line (":" starts
# ":material/…:" icons and ":red[…]" colours, "$" maths, "<" autolinks and HTML, "~" strike,
# "@" the e-mail addresses GitHub-flavoured Markdown turns into links).
_ANYWHERE = re.compile(r"([\\`*_{}\[\]()<>$:~|!&^=@])")
# "www." starts a link in GitHub-flavoured Markdown (which Streamlit uses) with no other mark.
_WWW = re.compile(r"(www)\.", re.IGNORECASE)
# Characters that start a block only at the beginning of a line: headings, quotes, lists.
_LINE_START = re.compile(r"^(\s*|\s*\d+)((?<=\d)[.)](?=\s|$)|(?<!\d)[#>+\-])", re.M)


def plain(text: object) -> str:
    """``text`` escaped so Markdown shows it exactly as typed; a line break stays a line break."""
    escaped = _WWW.sub(r"\1\\.", _ANYWHERE.sub(r"\\\1", str(text)))
    escaped = _LINE_START.sub(lambda m: m[1] + "\\" + m[2], escaped)
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")
