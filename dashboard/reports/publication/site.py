"""A publication's content (dashboard/reads/publication.gather) drawn as a folder a web team can
publish as it is: static, self-contained HTML pages (no scripts, print stylesheet, plain GOV.UK-like
style), a tagged PDF of the same content, and the actions as CSV and JSON with a schema page."""

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from dashboard.formats.pdf import html_document, render_pdf
from dashboard.formats.sheets import rows_to_csv
from dashboard.formats.words import day_text
from dashboard.rules.progress import DONE, percent
from dashboard.rules.publication import NATION_NAMES, Nation
from models import Status

# The open-data columns, each with what it means (shown on the data page and in schema.json).
DATA_COLUMNS: tuple[tuple[str, str], ...] = (
    ("objective", "The objective (theme or section of the plan) the action serves"),
    ("ref", "The action's number in the plan"),
    ("action", "What the body said it would do"),
    ("measure", "How success is measured, as written in the plan"),
    ("leads", "The services leading the action, separated by ' / '"),
    ("level", "The framework level the action belongs to"),
    ("status", "Not started, In progress, Complete, Embedded or Not applicable"),
    (
        "rating",
        "Red, Amber or Green from the due date (Green – no due date when there is none); "
        "Complete or Not applicable",
    ),
    ("due", "When the action is due, as the plan states it"),
    ("due_date", "The due date as YYYY-MM-DD (the last day of a month, quarter or year)"),
    ("characteristics", "Protected characteristics the action covers, separated by '; '"),
)

PAGES: tuple[tuple[str, str], ...] = (
    ("index.html", "Overview"),
    ("objectives.html", "Objectives and actions"),
    ("progress.html", "Progress"),
    ("characteristics.html", "Protected characteristics"),
    ("self-assessment.html", "Self-assessment"),
    ("checklist.html", "What the regulations require"),
    ("data.html", "Open data and PDF"),
)

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; font-size: 1.1875rem; line-height: 1.5;
       color: #0b0c0c; background: #fff; margin: 0; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fd0; color: #0b0c0c; padding: .5rem; }
header, main, footer { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
header { border-bottom: 10px solid #1d70b8; padding-top: 1rem; }
a { color: #1d70b8; text-decoration: underline; }
a:visited { color: #4c2c92; }
a:focus { outline: 3px solid #fd0; background: #fd0; color: #0b0c0c; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1.25rem; }
nav a[aria-current] { font-weight: bold; color: #0b0c0c; }
.dated { color: #0b0c0c; font-weight: bold; }
.draft { border: 4px solid #d4351c; padding: .75rem; font-weight: bold; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0 2rem; }
caption { text-align: left; font-weight: bold; font-size: 1.2rem; margin-bottom: .5rem; }
th, td { border-bottom: 1px solid #b1b4b6; padding: .5rem .75rem .5rem 0; text-align: left;
         vertical-align: top; overflow-wrap: break-word; }
td.number, th.number { text-align: right; }
footer { border-top: 1px solid #b1b4b6; margin-top: 2rem; padding-bottom: 2rem; color: #505a5f; }
@media (max-width: 40rem) {
  table, caption, thead, tbody, tr, th, td { display: block; }
  thead tr { position: absolute; left: -9999px; }
  td { border: 0; padding: .1rem 0; }
  td::before { content: attr(data-label) ": "; font-weight: bold; }
  tr { border-bottom: 1px solid #b1b4b6; padding: .5rem 0; }
}
@media print {
  nav, .skip { display: none; }
  body { font-size: 11pt; }
  a { color: #0b0c0c; }
  a[href^="http"]::after { content: " (" attr(href) ")"; }
  tr { page-break-inside: avoid; }
}
"""


def _day(iso: str) -> str:
    return day_text(date.fromisoformat(iso))


def dated_line(content: dict[str, Any], draft: bool = False) -> str:
    """ "Published on … · covers … to … · next publication due by …" (the soonest duty); a draft
    says "To be published on …"."""
    soonest = min(d["due"] for d in content["next_due"])
    done = "To be published" if draft else "Published"
    return (
        f"{done} on {_day(content['published_on'])} · covers {_day(content['covers_from'])} to "
        f"{_day(content['covers_to'])} · next publication due by {_day(soonest)}"
    )


def title(content: dict[str, Any]) -> str:
    return f"Equality information: {content['organisation'] or content['plan']['title']}"


def _table(caption: str, headers: list[str], rows: list[list[object]], numeric: set[int]) -> str:
    """An accessible table (caption, header cells with scope, every value escaped) whose cells
    carry their column's name, so that on a narrow screen each row reflows into labelled lines."""

    def cell(i: int, value: object, tag: str) -> str:
        number = " class='number'" if i in numeric else ""
        label = f" data-label='{escape(headers[i])}'" if tag == "td" else " scope='col'"
        return f"<{tag}{number}{label}>{escape(str(value))}</{tag}>"

    head = "".join(cell(i, h, "th") for i, h in enumerate(headers))
    body = "".join(
        "<tr>" + "".join(cell(i, v, "td") for i, v in enumerate(row)) + "</tr>" for row in rows
    )
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def _overview(content: dict[str, Any]) -> str:
    nation = NATION_NAMES[Nation(content["nation"])]
    parts = [
        f"<p>This page sets out {escape(content['organisation'] or 'the body')}'s equality "
        f"information under the Public Sector Equality Duty ({escape(nation)}), drawn from its "
        f"action plan “{escape(content['plan']['title'])}”.</p>"
    ]
    for section in content["narrative"]:
        parts.append(f"<h2>{escape(section['heading'])}</h2>{_paragraphs(section['text'])}")
    parts.append("<h2>When we publish</h2>")
    parts.append(
        _table(
            "Publication dates",
            ["What the law asks for", "Regulations", "Next due by"],
            [[d["duty"], d["regulations"], _day(d["due"])] for d in content["next_due"]],
            set(),
        )
    )
    if content["previous"]:
        parts.append(
            f"<h2>What changed since the last publication</h2><p>Last published on "
            f"{_day(content['previous']['published_on'])}.</p>"
        )
        changes = content["changes"]
        parts.append(
            "<ul>" + "".join(f"<li>{escape(c)}</li>" for c in changes) + "</ul>"
            if changes
            else "<p>No action changed its status.</p>"
        )
    return "".join(parts)


def _actions_table(objective: dict[str, Any]) -> str:
    rows = [
        [a["ref"], a["action"], " / ".join(a["leads"]) or "Not stated", a["status"],
         a["rating"], a["due"] or "No due date", "; ".join(a["characteristics"]) or "None named"]
        for a in objective["actions"]
    ]  # fmt: skip
    return _table(
        f"Actions for {objective['heading']}",
        ["Number", "Action", "Led by", "Status", "Rating", "Due", "Characteristics"],
        rows,
        set(),
    )


def _objectives(content: dict[str, Any]) -> str:
    parts = []
    for objective in content["objectives"]:
        parts.append(f"<h2>{escape(objective['heading'])}</h2>")
        parts.append(_paragraphs(objective["description"]))
        parts.append(_actions_table(objective))
    return "".join(parts) or "<p>The plan has no actions yet.</p>"


def _tally(actions: list[dict[str, Any]]) -> list[int]:
    statuses = [a["status"] for a in actions]
    done = sum(s in DONE for s in statuses)
    counted = sum(s != Status.NOT_APPLICABLE for s in statuses)
    return [
        len(actions),
        done,
        statuses.count(Status.IN_PROGRESS),
        statuses.count(Status.NOT_STARTED),
        percent(done, counted) or 0,
    ]


def _progress(content: dict[str, Any]) -> str:
    rows = [[o["heading"], *_tally(o["actions"])] for o in content["objectives"]]
    every = [a for o in content["objectives"] for a in o["actions"]]
    rows.append(["All objectives", *_tally(every)])
    return (
        "<p>Done means Complete or Embedded. Per cent done leaves out actions that no longer "
        "apply.</p>"
        + _table(
            "Progress by objective",
            ["Objective", "Actions", "Done", "In progress", "Not started", "Per cent done"],
            rows,
            {1, 2, 3, 4, 5},
        )
    )


def _characteristics(content: dict[str, Any]) -> str:
    rows = [
        [c["name"], c["actions"], c["reason"] if not c["actions"] else ""]
        for c in content["characteristics"]
    ]
    gaps = [c["name"] for c in content["characteristics"] if not c["actions"]]
    lead = (
        "<p>Every characteristic has at least one action.</p>"
        if not gaps
        else f"<p>No action names: {escape(', '.join(gaps))}. The reason we gave is in the "
        "table.</p>"
    )
    return lead + _table(
        "Actions by protected characteristic",
        ["Characteristic", "Actions", "Why there is no action"],
        rows,
        {1},
    )


def _self_assessment(content: dict[str, Any]) -> str:
    level = content["level"]
    framework = content["framework"] or "the Equality Framework for Local Government"
    lead = (
        f"<p>We assess ourselves at the <strong>{escape(level)}</strong> level of "
        f"{escape(framework)}.</p>"
        if level
        else f"<p>We have not recorded a self-assessed level of {escape(framework)}.</p>"
    )
    rows = [[r["level"], r["actions"], r["done"]] for r in content["levels"]]
    return lead + _table("Actions by framework level", ["Level", "Actions", "Done"], rows, {1, 2})


def _checklist(content: dict[str, Any]) -> str:
    rows = [
        [c["requirement"], "Present" if c["present"] else "Missing", c["reason"]]
        for c in content["checklist"]
    ]
    return f"<p class='dated'>{escape(content['ready'])}.</p>" + _table(
        "Checklist", ["Requirement", "In this publication", "Reason if missing"], rows, set()
    )


def _data(content: dict[str, Any]) -> str:
    return (
        "<ul><li><a href='publication.pdf'>The whole publication as a PDF</a></li>"
        "<li><a href='actions.csv'>Actions as CSV</a></li>"
        "<li><a href='actions.json'>Actions as JSON</a></li>"
        "<li><a href='schema.json'>The data's schema as JSON</a></li></ul>"
        + _table("Columns of the open data", ["Column", "Meaning"], list(map(list, DATA_COLUMNS)),
                 set())
    )  # fmt: skip


DRAW: dict[str, Callable[[dict[str, Any]], str]] = {
    "index.html": _overview,
    "objectives.html": _objectives,
    "progress.html": _progress,
    "characteristics.html": _characteristics,
    "self-assessment.html": _self_assessment,
    "checklist.html": _checklist,
    "data.html": _data,
}


def _shell(page_title: str, header: str, main: str, footer: str) -> str:
    """A whole self-contained page: the style inside it, a skip link, then header, main, footer."""
    return (
        "<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{escape(page_title)}</title><style>{STYLE}</style></head><body>"
        "<a class='skip' href='#main'>Skip to main content</a>"
        f"<header>{header}</header><main id='main'>{main}</main>"
        f"<footer><p>{escape(footer)}</p></footer></body></html>"
    )


def _page(content: dict[str, Any], name: str, heading: str, draft: bool) -> str:
    links = "".join(
        f"<li><a href='{href}'{' aria-current=page' if href == name else ''}>{escape(words)}</a>"
        "</li>"
        for href, words in PAGES
    )
    banner = "<p class='draft'>Draft: not yet published.</p>" if draft else ""
    return _shell(
        f"{heading} – {title(content)}",
        f"<p>{escape(title(content))}</p>"
        f"<nav aria-label='Pages of this publication'><ul>{links}</ul></nav>",
        f"<h1>{escape(heading)}</h1>{banner}"
        f"<p class='dated'>{escape(dated_line(content, draft))}</p>{DRAW[name](content)}",
        dated_line(content, draft),
    )


ARCHIVE_TITLE = "Published equality information"


def archive_page(versions: list[tuple[str, dict[str, Any]]]) -> str:
    """The list of every published version (address, content), newest first: what the public saw
    on each date. Nothing unpublished is ever in it."""
    rows = "".join(
        f"<tr><td data-label='Published on'>{escape(_day(c['published_on']))}</td>"
        f"<td data-label='Body'><a href='{escape(address)}'>{escape(title(c))}</a></td>"
        f"<td data-label='Nation'>{escape(NATION_NAMES[Nation(c['nation'])])}</td>"
        f"<td data-label='Covers'>{escape(_day(c['covers_from']))} to "
        f"{escape(_day(c['covers_to']))}</td></tr>"
        for address, c in versions
    )
    body = (
        "<table><caption>Every version published, newest first</caption><thead><tr>"
        + "".join(f"<th scope='col'>{h}</th>" for h in ("Published on", "Body", "Nation", "Covers"))
        + f"</tr></thead><tbody>{rows}</tbody></table>"
        if versions
        else "<p>Nothing has been published yet.</p>"
    )
    return _shell(
        ARCHIVE_TITLE,
        f"<p>{ARCHIVE_TITLE}</p>",
        f"<h1>{ARCHIVE_TITLE}</h1><p>Each version is kept exactly as it was published.</p>{body}",
        "Each version is kept unchanged once published.",
    )


def pages(content: dict[str, Any], draft: bool = False) -> dict[str, str]:
    """Every HTML page by file name."""
    return {name: _page(content, name, heading, draft) for name, heading in PAGES}


def actions(content: dict[str, Any]) -> list[dict[str, str]]:
    """The open data: one row per action, in DATA_COLUMNS."""
    rows = []
    for objective in content["objectives"]:
        for a in objective["actions"]:
            rows.append(
                {
                    "objective": objective["heading"],
                    "ref": a["ref"],
                    "action": a["action"],
                    "measure": a["measure"],
                    "leads": " / ".join(a["leads"]),
                    "level": a["level"],
                    "status": a["status"],
                    "rating": a["rating"],
                    "due": a["due"],
                    "due_date": a["due_date"],
                    "characteristics": "; ".join(a["characteristics"]),
                }
            )
    return rows


def _csv(rows: list[dict[str, str]]) -> bytes:
    """The open data as CSV, cells a spreadsheet would run as formulas neutralised."""
    return rows_to_csv(rows, [c for c, _ in DATA_COLUMNS]).encode("utf-8-sig")


def schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Equality actions and their status",
        "type": "object",
        "properties": {
            "published_on": {"type": "string", "format": "date"},
            "organisation": {"type": "string"},
            "actions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        c: {"type": "string", "description": d} for c, d in DATA_COLUMNS
                    },
                    "required": [c for c, _ in DATA_COLUMNS],
                },
            },
        },
    }


def pdf(content: dict[str, Any], draft: bool = False) -> bytes:
    """The same content as one tagged PDF: every page's heading and tables."""
    body = [f"<h1>{escape(title(content))}</h1>"]
    if draft:
        body.append("<p><strong>Draft: not yet published.</strong></p>")
    body.append(f"<p>{escape(dated_line(content, draft))}</p>")
    for name, heading in PAGES:
        if name == "data.html":
            continue
        inner = DRAW[name](content).replace("<h2>", "<h3>").replace("</h2>", "</h3>")
        body.append(f"<h2>{escape(heading)}</h2>{inner}")
    return render_pdf(html_document(title(content), "".join(body)))


def _actions_json(content: dict[str, Any], _draft: bool) -> bytes:
    return json.dumps(
        {"published_on": content["published_on"], "organisation": content["organisation"],
         "actions": actions(content)}, ensure_ascii=False, indent=2).encode("utf-8")  # fmt: skip


# The folder's other files, each drawn from the content on its own.
DATA_FILES: dict[str, Callable[[dict[str, Any], bool], bytes]] = {
    "actions.csv": lambda content, _draft: _csv(actions(content)),
    "actions.json": _actions_json,
    "schema.json": lambda _content, _draft: json.dumps(schema(), indent=2).encode("utf-8"),
    "publication.pdf": lambda content, draft: pdf(content, draft),
}
FILE_NAMES: tuple[str, ...] = (*(name for name, _ in PAGES), *DATA_FILES)


def one_file(content: dict[str, Any], name: str, draft: bool = False) -> bytes | None:
    """One file of the folder by its name (None for a name that is not one of FILE_NAMES)."""
    headings = dict(PAGES)
    if name in headings:
        return _page(content, name, headings[name], draft).encode("utf-8")
    build = DATA_FILES.get(name)
    return build(content, draft) if build else None


def files(content: dict[str, Any], draft: bool = False) -> dict[str, bytes]:
    """Every file of the folder by name: the pages, the open data, its schema and the PDF."""
    made: dict[str, bytes] = {n: t.encode("utf-8") for n, t in pages(content, draft).items()}
    made.update({name: build(content, draft) for name, build in DATA_FILES.items()})
    return made


def folder_name(content: dict[str, Any], draft: bool = False) -> str:
    """What the folder is called in a ZIP: "equality-information-2026-12-03" (a draft says so)."""
    return f"equality-information-{content['published_on']}" + ("-draft" if draft else "")


def zipped(content: dict[str, Any], draft: bool = False) -> bytes:
    """The whole folder as one ZIP file, for a web team to unpack and publish."""
    out = io.BytesIO()
    top = folder_name(content, draft)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files(content, draft).items():
            archive.writestr(f"{top}/{name}", data)
    return out.getvalue()


def write(content: dict[str, Any], folder: Path, draft: bool = False) -> list[Path]:
    """Write the whole folder; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files(content, draft).items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written
