"""Markdown and HTML injection: names and text carrying links, remote images, HTML, autolinks
and Streamlit icons, seeded into everything a file or a person can fill (plan, organisation,
framework, theme, section, lead, issue, characteristic, meeting, criterion, evidence, notes,
reasons, the names of whoever made a change). Every page is opened in every role (AppTest) and
every piece of Markdown and HTML it draws is checked: nothing may carry a live link or image to
the attacker's site, raw HTML, an icon of theirs, or the words "nan"/"None" where a value is
missing. (The viewer's own name in the sidebar is checked by the sign-in part of issue 15.)"""

import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.permissions import Actor
from dashboard.store.db import make_engine, migrate
from dashboard.store.seed import seed_database
from dashboard.store.settings import Settings
from dashboard.writes import criteria, levels, meetings, updates
from dashboard.writes.accounts import add_user
from models import Characteristic, Criterion, Issue, Lead, Plan, Role, Section, Theme, pk
from tests.app.conftest import ENTRY  # the page script the server serves
from tests.app.test_my_issues import open_everything

EVIL = "evil.example"
HOSTILE = (
    "[x](https://evil.example) ![i](https://evil.example/p.png) <img src=x onerror=alert(1)> "
    "https://evil.example www.evil.example x@evil.example :material/lock_open:"
)
SHORT = "![](//evil.example)"  # fits an issue's ref (20 characters)
MEDDLER = Actor(name=f"{HOSTILE} person", role=Role.ADMIN)
PASSWORD = "correct horse battery"
ACCOUNTS = {
    "viewer": "cllr.jones@council.gov.uk",
    "officer": "asha.patel@council.gov.uk",
    "admin": "lead@council.gov.uk",
}
EVERYONE = ["overview", "theme", "service", "coverage", "plans", "issue", "meetings", "present"]
EVERYONE += ["levels", "self_assessment"]
PAGES = {
    "viewer": EVERYONE,
    "officer": [*EVERYONE, "my_issues"],
    "admin": [*EVERYONE, "my_issues", "criteria", "users", "import_plan"],
}


# ---------------------------------------------------------------- what counts as markup


def markup_in_markdown(source: str) -> list[str]:
    """What of the attacker's Streamlit would draw as markup from this Markdown source: a link
    or image to their site, an autolink (found after escapes are read, as GitHub's Markdown
    does), or their icon. Our own markup (icons, evidence links) carries no 'evil'."""
    found = []
    unescaped = re.sub(r"\\.", "", source, flags=re.S)  # what a backslash does not protect
    read = re.sub(r"\\(.)", r"\1", source, flags=re.S)  # the text once escapes are read
    if re.search(r"\]\([^)]*" + re.escape(EVIL), unescaped):
        found.append("a link or image to evil.example")
    if re.search(r"<[^>\s]*" + re.escape(EVIL), unescaped):
        found.append("an <autolink> to evil.example")  # (raw HTML is shown as text by Streamlit)
    if re.search(r"(?i)(https?://|www\.)[^\s]*evil|[\w.+-]@evil", read):
        found.append("an autolink to evil.example")
    if ":material/lock_open:" in read.replace(":material_", ":material/"):
        found.append("the attacker's icon")
    return found


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {name: value or "" for name, value in attrs}
        addresses = " ".join(given.get(a, "") for a in ("href", "src", "srcset", "action", "style"))
        remote_image = tag == "img" and not given.get("src", "").startswith("data:image/")
        handlers = [name for name in given if name.startswith("on")]
        if EVIL in addresses or remote_image or handlers or tag in ("script", "iframe"):
            self.found.append(f"<{tag} {given}>"[:300])


def markup_in_html(source: str) -> list[str]:
    """Tags in an HTML block that carry the attacker's address, a script or a remote image (the
    charts are images carried inside the page, as data: addresses)."""
    tags = _Tags()
    tags.feed(source)
    return tags.found


MISSING = re.compile(r"\b(nan|NaN|NaT|<NA>)\b|\bNone\b(?! – gap| named| yet| loaded)")


# Fields of Streamlit's elements that it draws through its Markdown renderer.
MARKDOWN_FIELDS = {"body", "label", "help", "caption"}
MARKDOWN_OPTIONS = {"radio"}  # a radio button's options are Markdown too (a drop-down's are not)


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def _strings(message: Any) -> Iterator[tuple[str, str]]:
    """(field name, text) of every string in a protobuf message, nested ones included."""
    for field, value in message.ListFields():
        repeated = not isinstance(value, str | bytes) and not hasattr(value, "ListFields")
        values = value if repeated and hasattr(value, "__iter__") else [value]
        for item in values:
            if isinstance(item, str):
                yield field.name, item
            elif hasattr(item, "ListFields"):
                yield from _strings(item)


def drawn(at: AppTest) -> Iterator[tuple[str, str, str]]:
    """(element, field, text) of every piece of Markdown or HTML on the screen."""
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or not hasattr(proto, "ListFields"):
            continue
        kind = getattr(node, "type", "")
        for field, text in _strings(proto):
            markdown = field in MARKDOWN_FIELDS or (field == "options" and kind in MARKDOWN_OPTIONS)
            if (kind == "html" and field == "body") or markdown:
                yield kind, field, text


def problems(at: AppTest) -> list[str]:
    """Everything on the screen that renders markup of the attacker's, or a missing value."""
    found = []
    for kind, field, text in drawn(at):
        if kind == "html":
            found += [f"html: {p}" for p in markup_in_html(text)]
            shown = re.sub(r"<[^>]+>", " ", text)
        else:
            found += [f"{kind} {field}: {p} in {text[:80]!r}" for p in markup_in_markdown(text)]
            shown = text
        if MISSING.search(shown.replace("\u2060", "")):  # (less the word joiners plain() adds)
            found.append(f"{kind} {field}: a missing value shown as text in {text[:120]!r}")
    return found


# ---------------------------------------------------------------- the hostile database


def hostile_database(session: Session, evidence: Path, *, accounts: bool = True) -> dict[str, str]:
    """The seed plans with hostile text in every field a file or a person can fill (and, with
    `accounts`, a viewer, an officer of the hostile lead and an equality lead); returns the
    query parameters that open its hostile issue, lead, plan and theme."""
    seed_database(session)
    settings = Settings(
        database_url="", evidence_dir=evidence, max_evidence_mb=5, rag_amber_days=30
    )
    loaded = criteria.import_criteria(
        session,
        [
            {
                "framework": "eflg-2009",
                "theme": "Knowing your community and equality mapping",
                "level": "Developing",
                "ref": SHORT,
                "criterion": HOSTILE,
                "guidance": HOSTILE,
            }
        ],
        actor=MEDDLER,
    )
    assert loaded.ok, loaded.summary()
    plan = session.exec(select(Plan).where(Plan.slug == "eflg-developing")).one()
    found = issue_id_by_ref(session, "eflg-developing", "1.1")
    target = issue_id_by_ref(session, "eflg-developing", "2.9")
    assert found and target
    lead = session.exec(select(Lead).where(Lead.name == "Improvement and Efficiency Officer")).one()
    criterion = session.exec(select(Criterion)).one()
    criteria.link_issue_to_criterion(
        session=session, actor=MEDDLER, issue_id=found[0], criterion_id=pk(criterion)
    )
    theme = session.exec(select(Theme).where(Theme.id == criterion.theme_id)).one()
    levels.record_self_assessment(
        session=session,
        actor=MEDDLER,
        organisation_id=plan.organisation_id,
        theme_id=pk(theme),
        assessed_on=date(2026, 11, 1),
        level_claimed_id=None,
        narrative=HOSTILE,
        judgements=[levels.CriterionJudgement(pk(criterion), levels.Judgement.MET, HOSTILE)],
    )
    updates.record_status_change(
        session=session, actor=MEDDLER, issue_id=target[0], status="In progress",
        note=HOSTILE, expected_version=target[1],
    )  # fmt: skip
    meetings.record_meeting(
        session=session, actor=MEDDLER, body="Other", title=f"{HOSTILE} meeting",
        held_on=date(2026, 11, 2), today=date(2026, 11, 2), amber_days=30,
    )  # fmt: skip
    updates.record_update(
        session=session, actor=MEDDLER, issue_id=target[0], expected_version=target[1] + 1,
        status="Complete", note=HOSTILE, evidence_title=HOSTILE,
        evidence_url="https://intranet.example.org/eia",
        upload=updates.EvidenceUpload("www.evil.example [x](y) <b>.txt", b"Agreed."),
        settings=settings,
    )  # fmt: skip
    updates.change_due_date(
        session=session, actor=MEDDLER, issue_id=target[0], due_date=date(2026, 1, 31),
        reason=HOSTILE, expected_version=target[1] + 2,
    )  # fmt: skip
    # Names as an imported file or an equality lead would give them.
    plan.title = f"{HOSTILE} plan"
    plan.organisation.name = f"{HOSTILE} council"
    assert plan.framework is not None
    plan.framework.name = f"{HOSTILE} framework"
    section = session.exec(select(Section).where(Section.plan_id == plan.id)).first()
    assert section is not None
    section.heading = f"{HOSTILE} section"
    theme.name = f"{HOSTILE} theme"
    lead.name = f"{HOSTILE} officer"
    if lead.parent_id is not None:
        parent = session.get(Lead, lead.parent_id)
        assert parent is not None
        parent.name = f"{HOSTILE} unit"
    first = session.get(Issue, found[0])
    assert first is not None
    first.ref, first.text, first.objective, first.measure = SHORT, HOSTILE, HOSTILE, HOSTILE
    first.timescale = HOSTILE  # unreadable: the issue page warns about it, quoting it
    for characteristic in session.exec(select(Characteristic)).all()[:1]:
        characteristic.name = SHORT
    session.commit()
    officer_lead = pk(lead)
    for role, email in ACCOUNTS.items() if accounts else ():
        add_user(
            session=session, actor=MEDDLER, email=email, role=role, password=PASSWORD,
            display_name=role.capitalize(),
            lead_ids=[officer_lead] if role == "officer" else [],
        )  # fmt: skip
    if accounts:
        add_user(session=session, actor=MEDDLER, email="x@council.gov.uk", role="viewer",
                 display_name=f"{HOSTILE} user"[:200])  # fmt: skip
    return {
        "issue": str(target[0]),
        "first": str(found[0]),
        "lead": str(officer_lead),
        "plan": "eflg-developing",
        "theme": "1",
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Engine, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("hostile")
    engine = make_engine(f"sqlite:///{folder / 'eflg.db'}")
    migrate(engine)
    with Session(engine, expire_on_commit=False) as session:
        where = hostile_database(session, folder / "evidence")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EFLG_DATABASE_URL", str(engine.url))
        patch.setenv("EFLG_EVIDENCE_DIR", str(folder / "evidence"))
        yield engine, where
    engine.dispose()


def signed_in(role: str) -> AppTest:
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(ENTRY, default_timeout=60)
    at.run()
    fields = {box.label: box for box in at.text_input}
    fields["E-mail address"].input(ACCOUNTS[role])
    fields["Password"].input(PASSWORD)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert not at.exception, at.exception
    return at


def visits(where: dict[str, str]) -> list[tuple[str, dict[str, str]]]:
    """Each page with the address that shows the hostile text (several for some)."""
    return [
        ("overview", {"plan": where["plan"]}),
        ("theme", {"plan": where["plan"], "theme": ""}),
        ("service", {"lead": where["lead"]}),
        ("coverage", {"plan": where["plan"]}),
        ("plans", {}),
        ("issue", {"issue": where["first"]}),
        ("issue", {"issue": where["issue"]}),
        ("meetings", {"plan": where["plan"]}),
        # the title, the hostile theme's first slide and "Since the last meeting" (after the
        # themes' slides, long ones continued)
        *[("present", {"plan": where["plan"], "slide": str(n)}) for n in (1, 3, 12)],
        ("levels", {"plan": where["plan"]}),
        ("self_assessment", {"plan": where["plan"], "theme": where["theme"]}),
        ("my_issues", {"lead": where["lead"]}),
        ("criteria", {}),
        ("users", {}),
        ("import_plan", {}),
    ]


@pytest.mark.parametrize("role", PAGES)
def test_hostile_names_show_as_text_on_every_page(
    hostile: tuple[Engine, dict[str, str]], role: str
) -> None:
    _, where = hostile
    at = signed_in(role)
    seen: dict[str, list[str]] = {}
    for page, query in visits(where):
        if page not in PAGES[role]:
            continue
        at.query_params.clear()
        for key, value in query.items():
            if value:
                at.query_params[key] = value
        at.switch_page(f"../pages/{page}.py")
        at.run()
        assert not at.exception, (page, at.exception)
        if page == "my_issues":  # every card's forms and history, and the table
            open_everything(at)
        found = problems(at)
        if found:
            seen[f"{page} {query}"] = found
        hostile_shown = any(EVIL in text for _, _, text in drawn(at))
        assert hostile_shown or page == "import_plan", f"{page}: no hostile text on the page"
    assert seen == {}
