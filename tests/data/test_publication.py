"""Published equality information (`publish build|list|due|show`): built from the live plan for
each nation, refused while a checklist item is open, kept unchanged once published."""

import csv
import io
import json
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.cli.output import BAD_INPUT
from dashboard.reads.progress import in_progress
from dashboard.rules.publication import DUTIES, Nation, dues, next_due
from models import Issue, Lead, LeadKind, Plan, Publication

SLUGS = [
    "eflg-developing",
    "race-equality-scheme-2008-11",
    "corporate-equalities-strategy",
    "childrens-services-equality-strategy",
]
# Reasons that settle every checklist item with no narrative written, per nation.
REASONS = {
    Nation.ENGLAND: ["employees=We have fewer than 150 employees."],
    Nation.WALES: [f"{c}=Published separately in our annual report." for c in
                   ("engagement", "information", "employment", "pay", "impact", "procurement")],
    Nation.SCOTLAND: [f"{c}=Published separately in our mainstreaming report." for c in
                      ("mainstreaming", "employees", "pay", "board", "procurement")],
}  # fmt: skip


@pytest.fixture
def run(engine: Engine, seeded: Session, monkeypatch: pytest.MonkeyPatch, capsys):
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))

    def invoke(*argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def _build(run, nation: str, out: Path, *extra: str) -> tuple[int, str, str]:
    """`publish build` of the first seed plan for `nation` into `out`."""
    return run(
        "publish", "build", "--plan", SLUGS[0], "--nation", nation, "--out", str(out), *extra
    )


def _reasons(nation: Nation) -> list[str]:
    return [arg for reason in REASONS[nation] for arg in ("--reason", reason)]


@pytest.mark.parametrize("nation", list(Nation))
def test_every_seed_plan_builds_a_folder_whose_data_matches_the_plan(
    run, seeded: Session, tmp_path: Path, nation: Nation
) -> None:
    for slug in SLUGS:
        out = tmp_path / slug
        code, said, err = run("publish", "build", "--plan", slug, "--nation", nation.value,
                              "--out", str(out))  # fmt: skip
        assert code == 0, err
        assert "Wrote a draft" in said
        names = {p.name for p in out.iterdir()}
        assert {"index.html", "objectives.html", "checklist.html", "actions.csv",
                "actions.json", "schema.json", "publication.pdf"} <= names  # fmt: skip
        wanted = {  # every action still counted in the plan, none retired
            i.ref
            for i in seeded.exec(
                select(Issue).join(Plan).where(Plan.slug == slug, in_progress())
            ).all()
        }
        rows = list(csv.DictReader(io.StringIO((out / "actions.csv").read_text("utf-8-sig"))))
        assert {r["ref"] for r in rows} == wanted
        by_ref = {i.ref: i for i in seeded.exec(select(Issue).join(Plan).where(Plan.slug == slug))}
        for row in rows:
            assert row["status"] == by_ref[row["ref"]].status
            assert row["action"].lstrip("'") == by_ref[row["ref"]].text
        data = json.loads((out / "actions.json").read_text("utf-8"))
        assert [a["ref"] for a in data["actions"]] == [r["ref"] for r in rows]
        schema = json.loads((out / "schema.json").read_text("utf-8"))
        assert set(schema["properties"]["actions"]["items"]["required"]) == set(rows[0])
        page = (out / "index.html").read_text("utf-8")
        assert "Draft: not yet published." in page
        assert "To be published on " in page and "next publication due by" in page
        assert "<script" not in "".join(
            (out / n).read_text("utf-8") for n in names if n.endswith(".html")
        )


def test_the_pdf_has_every_heading_and_table(run, tmp_path: Path) -> None:
    run("publish", "build", "--plan", SLUGS[0], "--nation", "england", "--out", str(tmp_path))
    text = subprocess.run(["pdftotext", str(tmp_path / "publication.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip
    for heading in ("Objectives and actions", "Progress by objective", "Protected characteristics",
                    "Self-assessment", "What the regulations require", "Checklist"):  # fmt: skip
        assert heading in text
    info = subprocess.run(["pdfinfo", str(tmp_path / "publication.pdf")], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Tagged:          yes" in info


def test_publishing_is_refused_until_every_item_is_present_or_explained(
    run, seeded: Session, tmp_path: Path
) -> None:
    code, _, err = _build(run, "wales", tmp_path / "a", "--publish")
    assert code == BAD_INPUT
    assert "Not ready: 6 checklist items" in err and "Pay differences" in err
    assert seeded.exec(select(Publication)).all() == []
    code, said, err = _build(run, "wales", tmp_path / "b", "--publish", *_reasons(Nation.WALES))
    assert code == 0, err
    assert "Published version" in said
    checklist = (tmp_path / "b" / "checklist.html").read_text("utf-8")
    assert "Ready to publish" in checklist and "Published separately" in checklist
    index = (tmp_path / "b" / "index.html").read_text("utf-8")
    assert "Draft" not in index and "Published on " in index


def test_a_written_section_counts_as_present(run, tmp_path: Path) -> None:
    narrative = tmp_path / "words.txt"
    narrative.write_text("We publish this every year.\n\nOur workforce\n312 staff; 4% disabled.\n")
    code, said, err = _build(run, "england", tmp_path / "out", "--narrative", str(narrative))
    assert code == 0, err
    assert "Ready to publish" in said
    index = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "<h2>Our workforce</h2><p>312 staff; 4% disabled.</p>" in index


def test_editing_the_plan_after_publishing_changes_nothing_archived(
    run, seeded: Session, tmp_path: Path
) -> None:
    args = ("--plan", SLUGS[0], "--nation", "england", *_reasons(Nation.ENGLAND))
    assert run("publish", "build", *args, "--out", str(tmp_path / "first"), "--publish")[0] == 0
    before = {p.name: p.read_bytes() for p in (tmp_path / "first").iterdir()
              if p.suffix != ".pdf"}  # fmt: skip
    issue = seeded.exec(select(Issue).join(Plan).where(Plan.slug == SLUGS[0])).first()
    assert issue is not None
    issue.text, issue.status = "Reworded after publication", "Complete"
    seeded.add(issue)
    seeded.commit()
    code, said, _ = run("publish", "list")
    assert code == 0 and f"\t{SLUGS[0]}\tengland\t" in said
    number = said.split("\t")[0]
    assert run("publish", "show", number, "--out", str(tmp_path / "again"))[0] == 0
    again = {p.name: p.read_bytes() for p in (tmp_path / "again").iterdir()
             if p.suffix != ".pdf"}  # fmt: skip
    assert again == before
    assert b"Reworded after publication" not in again["objectives.html"]
    # The next publication shows the edit and says what changed since the last one.
    assert run("publish", "build", *args, "--out", str(tmp_path / "second"))[0] == 0
    index = (tmp_path / "second" / "index.html").read_text("utf-8")
    assert "What changed since the last publication" in index
    assert f"Action {issue.ref} moved from" in index and "to Complete." in index


def test_officers_are_hidden_unless_the_body_chooses_to_name_them(
    run, seeded: Session, tmp_path: Path
) -> None:
    people = seeded.exec(select(Lead).where(Lead.kind == LeadKind.OFFICER.value)).all()
    named = [p.name for p in people if p.issue_links]
    if not named:  # the seed plans lead mostly by service: make one lead an officer
        lead = seeded.exec(select(Lead).where(Lead.issue_links.any())).first()  # type: ignore[attr-defined]
        assert lead is not None
        lead.kind = LeadKind.OFFICER.value
        seeded.add(lead)
        seeded.commit()
        named = [lead.name]
    org_plan = SLUGS[0]
    run("publish", "build", "--plan", org_plan, "--nation", "england", "--out",
        str(tmp_path / "hidden"))  # fmt: skip
    run("publish", "build", "--plan", org_plan, "--nation", "england", "--out",
        str(tmp_path / "shown"), "--show-officers")  # fmt: skip
    hidden = (tmp_path / "hidden" / "actions.csv").read_text("utf-8-sig")
    shown = (tmp_path / "shown" / "actions.csv").read_text("utf-8-sig")
    in_plan = [n for n in named if n in shown]
    assert in_plan, "an officer leads an issue of this plan"
    assert all(f",{n}," not in hidden and f"/ {n}" not in hidden for n in in_plan)


def test_due_dates_follow_each_nations_regulations() -> None:
    today = date(2026, 12, 2)
    england = {d.duty.code: d.due for d in dues(Nation.ENGLAND, date(2026, 1, 20), today)}
    assert england == {"information": date(2027, 1, 20), "objectives": date(2030, 1, 20)}
    assert {d.duty.code: d.due for d in dues(Nation.ENGLAND, None, today)}["information"] == today
    wales = {d.duty.code: d.due for d in dues(Nation.WALES, date(2026, 3, 15), today)}
    assert wales == {"annual_report": date(2027, 3, 31), "plan": date(2028, 3, 31)}
    scotland = {d.duty.code: d.due for d in dues(Nation.SCOTLAND, None, today)}
    assert scotland == {"mainstreaming": date(2027, 4, 30), "outcomes": date(2029, 4, 30)}
    assert next_due(DUTIES[Nation.SCOTLAND][0], date(2025, 4, 10), today) == date(2027, 4, 30)


def test_bad_choices_are_one_plain_line(run, tmp_path: Path) -> None:
    not_text = tmp_path / "words.doc"
    not_text.write_bytes(b"\xd0\xcf\x11\xe0\xff\xfe Word 97")
    for extra, words in (
        (["--narrative", str(not_text)], "words.doc is not plain text. Save it as plain text"),
        (["--narrative", str(tmp_path)], "could not be read (Is a directory)"),
        (["--reason", "nonsense"], "Write a reason as ITEM=WHY"),
        (["--reason", "wages=x"], "is not a checklist item"),
        (["--from", "2026-13-01"], "is not a date"),
        (["--from", "2027-01-01", "--to", "2026-01-01"], "ends before it starts"),
    ):
        code, _, err = run("publish", "build", "--plan", SLUGS[0], "--nation", "england",
                           "--out", str(tmp_path), *extra)  # fmt: skip
        assert code == BAD_INPUT and words in err and "Traceback" not in err
    code, _, err = run("publish", "build", "--plan", "nope", "--nation", "england",
                       "--out", str(tmp_path))  # fmt: skip
    assert code == BAD_INPUT and "there is no plan" in err
