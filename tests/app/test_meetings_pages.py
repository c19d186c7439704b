"""The Meetings and Presentation pages, run through the real entry script (AppTest)."""

from collections.abc import Callable
from datetime import date

import streamlit as st
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.permissions import COMMAND_LINE_ADMIN as ADMIN
from dashboard.writes import accounts, updates
from dashboard.writes.meetings import record_meeting
from tests.app.tables import figures, tables

PASSWORD = "correct horse battery"


def _metric(at: AppTest, label: str) -> str:
    return figures(at)[label]


def test_an_admin_records_a_meeting_then_sees_what_changed_since(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    at = app("meetings")
    assert at.title[0].value == "Meetings"
    assert "No meeting has been recorded yet" in at.info[0].value
    form_title = next(t for t in at.text_input if t.label == "Title")
    form_title.input("CMT quarterly update")
    at.date_input[0].set_value(date(2026, 11, 3))
    next(b for b in at.button if b.label == "Record the meeting").click()
    at.run()
    assert not at.exception, at.exception
    assert "Recorded “CMT quarterly update” on 3 Nov 2026" in at.success[0].value
    recorded = [t for t in tables(at) if "CMT quarterly update" in t.to_csv()]
    assert recorded, "the meeting is listed under Meetings recorded"

    found = issue_id_by_ref(seeded, "eflg-developing", "1.1")
    assert found is not None
    updates.record_status_change(
        session=seeded, actor=ADMIN, issue_id=found[0], status="Complete", note="Launched.",
        expected_version=found[1],
    )  # fmt: skip
    st.cache_data.clear()
    at.run()
    assert _metric(at, "Newly complete") == "1"
    assert _metric(at, "New progress notes") == "1"
    assert _metric(at, "Newly overdue") == "0"
    assert [h.value for h in at.subheader][:2] == ["By theme", "By lead service"]
    labels = [b.label for b in at.get("download_button")]
    packs = [label for label in labels if not label.startswith("Download this table")]
    assert packs == ["PowerPoint slides", "PDF for committee papers",
                     "Excel workbook (the full plan)"]  # fmt: skip
    assert labels.count("Download this table (CSV)") == labels.count("Download this table (Excel)")
    assert labels.count("Download this table (CSV)") >= 4  # by theme, by service, changes, …
    # Every row leads somewhere: the theme and the service to their pages, an issue to its own.
    markup = " ".join(h.proto.body for h in at.get("html"))
    assert f'href="issue?issue={found[0]}"' in markup
    assert 'href="themes?plan=eflg-developing&amp;theme=' in markup
    assert 'href="services?lead=' in markup


def test_a_blank_title_is_refused_with_a_message(app: Callable[..., AppTest]) -> None:
    at = app("meetings")
    next(b for b in at.button if b.label == "Record the meeting").click()
    at.run()
    assert not at.exception
    assert "Give the meeting a title" in at.error[0].value
    assert "No meeting has been recorded yet" in at.info[0].value


def test_a_viewer_sees_meetings_but_cannot_record_one(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    accounts.add_user(
        session=seeded, actor=ADMIN, email="cllr@council.gov.uk", role="viewer", password=PASSWORD
    )
    record_meeting(
        session=seeded, actor=ADMIN, body="Scrutiny committee", title="Annual review",
        held_on=date(2026, 11, 3), today=date(2026, 11, 3), amber_days=30,
    )  # fmt: skip
    at = app()
    at.text_input[0].input("cllr@council.gov.uk")
    at.text_input[1].input(PASSWORD)
    at.button[0].click()
    at.run()
    at.switch_page("../pages/meetings.py")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Meetings"
    headers = [h.value for h in at.header]
    assert "Since the last meeting" in headers and "Record a meeting" not in headers
    assert not [b for b in at.button if b.label == "Record the meeting"]
    assert _metric(at, "Newly complete") == "0"


def test_the_presentation_moves_slide_by_slide(app: Callable[..., AppTest]) -> None:
    at = app()
    at.switch_page("../pages/present.py")
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "EFLG Developing level action plan"
    assert at.query_params["slide"] == "1"
    assert next(b for b in at.button if b.label == "Previous").disabled
    next(b for b in at.button if b.label == "Next").click()
    at.run()
    assert at.title[0].value == "Overall progress"
    assert at.query_params["slide"] == "2"
    assert _metric(at, "Issues") == "32"
    titles = []
    for _ in range(20):  # five themes (a long one continued on the next slide), the report
        next(b for b in at.button if b.label == "Next").click()
        at.run()
        titles.append(at.title[0].value)
        if titles[-1] == "Since the last meeting":
            break
    themes = [t.replace("\\", "").removesuffix(" (continued)") for t in titles[:-1]]
    assert len(list(dict.fromkeys(themes))) == 5 and len(themes) > 5
    assert at.title[0].value == "Since the last meeting"
    assert any("No earlier meeting has been recorded" in m.value for m in at.markdown)
    next(b for b in at.button if b.label == "Next").click()
    at.run()
    assert at.title[0].value == "Overdue and risks"
    assert next(b for b in at.button if b.label == "Next").disabled
    assert next(b for b in at.button if b.label == "Last").disabled
    next(b for b in at.button if b.label == "First").click()
    at.run()
    assert at.title[0].value == "EFLG Developing level action plan"
    next(b for b in at.button if b.label == "Last").click()
    at.run()
    assert at.title[0].value == "Overdue and risks"


def test_meetings_recorded_sort_by_date_in_the_address_and_lead_to_their_changes(
    app: Callable[..., AppTest], seeded: Session
) -> None:
    for held_on, title in ((date(2026, 6, 3), "Summer review"), (date(2026, 11, 3), "Autumn")):
        record_meeting(
            session=seeded, actor=ADMIN, body="Scrutiny committee", title=title,
            held_on=held_on, today=held_on, amber_days=30,
        )  # fmt: skip
    at = app("meetings")

    def recorded() -> list[str]:
        table = next(t for t in tables(at) if "Recorded by" in t.columns)
        return list(table["Title"])

    assert recorded() == ["Autumn", "Summer review"]  # as listed: newest first
    sort_by = next(s for s in at.selectbox if s.key == "sort_meetings")
    sort_by.select("date").run()
    assert at.query_params["meetings_sort"] == "date"  # kept in the address: Back undoes it
    assert recorded() == ["Summer review", "Autumn"]  # 3 Jun before 3 Nov, not as text sorts
    next(s for s in at.selectbox if s.key == "order_meetings").select("desc").run()
    assert at.query_params["meetings_order"] == "desc"
    assert recorded() == ["Autumn", "Summer review"]
    # Each meeting leads to what changed since it and to the slides of those changes.
    markup = next(h.proto.body for h in at.get("html") if "Recorded by" in h.proto.body)
    assert 'href="meetings?plan=eflg-developing&amp;since=' in markup
    assert 'href="present?plan=eflg-developing&amp;since=' in markup
    keys = [b.proto.id for b in at.get("download_button")]
    assert any("download_meetings_csv" in k for k in keys)
