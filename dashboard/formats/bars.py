"""% complete bars as plain HTML: one row per theme or service, each a link to its own page.

Each row says everything in words (its name, its % complete, how many issues are done and the
mix of statuses); the bar repeats the mix for the eye and is hidden from screen readers, so
nothing depends on colour. Text is the page's own (19.9:1 on white); each segment's colour has at
least 3:1 contrast with the white page, and segments are separated by a white gap.

Drawn as HTML rather than an image: the browser has no picture to decode, the words wrap on a
phone, and every bar can be a link (README → Performance).
"""

import html
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.formats.tables import PHONE, safe_href
from dashboard.rules.progress import STATUSES

# Okabe-Ito colours (safe for the common forms of colour blindness), each at least 3:1 on white.
STATUS_COLOURS: dict[str, str] = {
    "Not started": "#D55E00",  # vermillion, 3.8:1
    "In progress": "#0072B2",  # blue, 5.1:1
    "Complete": "#009E73",  # bluish green, 3.4:1
    "Embedded": "#332288",  # indigo, 12:1
    "Not applicable": "#767676",  # grey, 4.5:1
}
# Done first, so the filled part of a bar grows from the left as a plan moves on.
BAR_ORDER = ("Complete", "Embedded", "In progress", "Not started", "Not applicable")
assert set(BAR_ORDER) == set(STATUSES) == set(STATUS_COLOURS)

CLASS = "eflg-bars"
SECTION = "eflg-bars-section"  # a heading over bars: smaller, so the first screen holds more
STYLE = (
    f".stHtml .{SECTION} .eflg-h3{{font-size:1.25rem;padding:0.25rem 0 0.5rem;}}"
    f"@media {PHONE}{{.stHtml .{SECTION} .eflg-h3{{padding:0 0 0.25rem;}}}}"
    f".stHtml ul.{CLASS}{{list-style:none;margin:0 0 0.5rem;padding:0;}}"
    f".{CLASS} li{{margin:0;padding:0;}}"
    f".{CLASS} a{{display:block;padding:0.125rem 0 0.25rem;color:#0b0c0c;text-decoration:none;}}"
    f".{CLASS} a:hover .eflg-bar-name,.{CLASS} a:focus .eflg-bar-name"
    "{text-decoration:underline;text-decoration-thickness:2px;}"
    f".{CLASS} a:focus-visible{{outline:3px solid #0b0c0c;outline-offset:2px;}}"
    ".eflg-bar-head{display:flex;gap:0.5rem;justify-content:space-between;align-items:baseline;"
    "line-height:1.3;}"
    ".eflg-bar-name{color:#1d70b8;text-decoration:underline;text-underline-offset:2px;}"
    ".eflg-bar-figure{font-weight:700;white-space:nowrap;}"
    # The bar and its words share a line when there is room, the words wrapping below if not.
    ".eflg-bar-line{display:flex;flex-wrap:wrap;align-items:center;gap:0 0.75rem;}"
    ".eflg-bar-track{display:flex;flex:1 1 5rem;height:0.625rem;background:#f3f2f1;"
    "border:1px solid #505a5f;overflow:hidden;}"
    ".eflg-bar-seg{display:block;height:100%;border-right:2px solid #fff;box-sizing:border-box;}"
    ".eflg-bar-seg:last-child{border-right:0;}"
    + "".join(
        f".eflg-bar-{status.lower().replace(' ', '-')}{{background:{colour};}}"
        for status, colour in STATUS_COLOURS.items()
    )
    + ".eflg-bar-mix{display:block;flex:0 0 12rem;font-size:0.875rem;line-height:1.4;"
    "color:#505a5f;}"
)


@dataclass(frozen=True)
class Bar:
    """One row: a name, its % complete in words ("12%"), issues done of those counted, the
    count of issues in each status, and the address of its own page."""

    name: str
    figure: str
    done: int
    counted: int
    counts: dict[str, int]
    address: str


def mix_words(bar: Bar) -> str:
    """ "1 of 8 done · 2 in progress, 5 not started, 1 not applicable"."""
    rest = [
        f"{bar.counts.get(status, 0)} {status.lower()}"
        for status in ("In progress", "Not started", "Not applicable")
        if bar.counts.get(status, 0)
    ]
    done = f"{bar.done} of {bar.counted} done"
    return done + (" · " + ", ".join(rest) if rest else "")


def _segments(counts: dict[str, int]) -> str:
    total = sum(counts.get(status, 0) for status in BAR_ORDER)
    if not total:
        return ""
    return "".join(
        f'<span class="eflg-bar-seg eflg-bar-{status.lower().replace(" ", "-")}" '
        f'style="width:{100 * counts[status] / total:.2f}%"></span>'
        for status in BAR_ORDER
        if counts.get(status, 0)
    )


def bars(rows: Sequence[Bar], *, label: str) -> str:
    """The rows as a list of links, named ``label`` for screen readers."""
    items = "".join(
        f'<li><a href="{html.escape(safe_href(bar.address))}" target="_self">'
        f'<span class="eflg-bar-head"><span class="eflg-bar-name">{html.escape(bar.name)}</span>'
        f' <span class="eflg-bar-figure">{html.escape(bar.figure)}</span></span>'
        f'<span class="eflg-bar-line">'
        f'<span class="eflg-bar-track" aria-hidden="true">{_segments(bar.counts)}</span>'
        f'<span class="eflg-bar-mix">{html.escape(mix_words(bar))}</span></span></a></li>'
        for bar in rows
    )
    return f'<ul class="{CLASS}" aria-label="{html.escape(label)}">{items}</ul>'
