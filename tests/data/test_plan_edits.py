"""Keeping the plan itself (dashboard/writes/plan_edits.py), on SQLite and PostgreSQL: each write,
the history row it leaves, what it refuses with nothing written, and a save over a colleague's."""

from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import Session, col, func, select

from dashboard.reads.issues import issue_id_by_ref
from dashboard.rules.permissions import Actor, PermissionDenied
from dashboard.rules.plan_edits import IssueFields
from dashboard.writes import plan_edits, updates
from dashboard.writes.plan_edits import PlanEditRefused
from models import (
    Characteristic,
    Issue,
    IssueLead,
    Lead,
    LeadAlias,
    Level,
    Plan,
    PlanChange,
    Role,
    Section,
    User,
    UserLead,
    pk,
)

PLAN = "eflg-developing"
ADMIN = Actor(name="Equality Lead", role=Role.ADMIN)


def issue(session: Session, ref: str) -> Issue:
    found = issue_id_by_ref(session, PLAN, ref)
    assert found is not None
    got = session.get(Issue, found[0], populate_existing=True)
    assert got is not None
    return got


def plan(session: Session) -> Plan:
    return session.exec(select(Plan).where(Plan.slug == PLAN)).one()


def lead(session: Session, name: str) -> Lead:
    return session.exec(select(Lead).where(Lead.name == name)).one()


def fields_of(session: Session, item: Issue, **changes: object) -> IssueFields:
    """The issue as the form shows it, with ``changes``."""
    leads = session.exec(
        select(IssueLead.lead_id)
        .where(IssueLead.issue_id == item.id)
        .order_by(col(IssueLead.position))
    ).all()
    values: dict[str, object] = {
        "ref": item.ref,
        "text": item.text,
        "section_id": item.section_id,
        "lead_ids": tuple(leads),
        "timescale": item.timescale,
        "measure": item.measure,
        "level_id": item.level_id,
        "characteristic_ids": tuple(c.characteristic_id for c in item.characteristic_links),
    }
    return IssueFields(**(values | changes))  # type: ignore[arg-type]


def history(session: Session, item: Issue) -> list[PlanChange]:
    return list(
        session.exec(
            select(PlanChange).where(PlanChange.issue_id == item.id).order_by(col(PlanChange.id))
        )
    )


def count(session: Session, table: type) -> int:
    return session.exec(select(func.count()).select_from(table)).one()


def section(session: Session, heading_starts: str) -> Section:
    return session.exec(
        select(Section).where(
            Section.plan_id == pk(plan(session)), col(Section.heading).startswith(heading_starts)
        )
    ).one()


def test_an_issue_is_reworded_moved_and_re_led_with_a_history_row_for_each(seeded: Session) -> None:
    item = issue(seeded, "2.9")
    seen = item.version
    other = section(seeded, "COMMUNITY")
    successor = lead(seeded, "Community Development")
    saved = plan_edits.edit_issue(
        session=seeded,
        actor=ADMIN,
        issue_id=pk(item),
        expected_version=item.version,
        fields=fields_of(
            seeded,
            item,
            text="Publish the workforce profile every year.",
            section_id=pk(other),
            lead_ids=(pk(successor),),
            timescale="March 2027",
        ),
        reason="Agreed at CMT on 24 Nov 2026.",
    )
    assert set(saved.changed) == {"text", "section", "leads", "timescale"}
    moved = issue(seeded, "2.9")
    assert moved.text == "Publish the workforce profile every year."
    assert moved.section_id == pk(other)
    assert moved.due_date == date(2027, 3, 31)  # the timescale read as it is on import
    assert moved.version > seen  # a form opened before this edit is now stale
    rows = {row.field: row for row in history(seeded, moved)}
    assert rows["section"].to_value == other.heading
    assert rows["leads"].to_value == "Community Development"
    assert rows["text"].reason == "Agreed at CMT on 24 Nov 2026."
    assert all(row.by == "Equality Lead" for row in rows.values())


def test_a_new_issue_is_added_at_the_end_of_the_plan_with_its_timescale_read(
    seeded: Session,
) -> None:
    target = section(seeded, "COMMUNITY")
    saved = plan_edits.add_issue(
        session=seeded,
        actor=ADMIN,
        plan_id=pk(plan(seeded)),
        fields=IssueFields(
            ref="1.9",
            text="Run a listening event with disabled residents.",
            section_id=pk(target),
            lead_ids=(pk(lead(seeded, "Community Development")),),
            timescale="Spring 2027",
            characteristic_ids=(
                pk(
                    seeded.exec(
                        select(Characteristic).where(Characteristic.code == "disability")
                    ).one()
                ),
            ),
        ),
    )
    added = issue(seeded, "1.9")
    assert added.id == saved.issue_id
    assert added.due_date == date(2027, 5, 31)
    assert [link.lead.name for link in added.lead_links] == ["Community Development"]
    assert [row.kind for row in history(seeded, added)] == ["issue added"]


def test_an_unreadable_timescale_is_kept_as_written_with_a_warning(seeded: Session) -> None:
    item = issue(seeded, "2.9")
    saved = plan_edits.edit_issue(
        session=seeded,
        actor=ADMIN,
        issue_id=pk(item),
        expected_version=item.version,
        fields=fields_of(seeded, item, timescale="When the budget allows (2027/29)"),
    )
    assert saved.warning is not None and "kept as written" in saved.warning
    assert issue(seeded, "2.9").timescale == "When the budget allows (2027/29)"


BAD_EDITS: dict[str, tuple[dict[str, object], str]] = {
    "duplicate ref": ({"ref": "1.1"}, "already has an issue 1.1"),
    "empty text": ({"text": "   "}, "cannot be empty"),
    "missing lead": ({"lead_ids": (999_999,)}, "not a lead of this plan's organisation"),
    "another plan's theme": ({"section_id": -1}, "one of this plan's themes"),
    "empty ref": ({"ref": ""}, "Give the issue a ref"),
}


@pytest.mark.parametrize("case", BAD_EDITS)
def test_a_bad_edit_is_refused_in_plain_words_with_nothing_written(
    seeded: Session, case: str
) -> None:
    changes, words = BAD_EDITS[case]
    item = issue(seeded, "2.9")
    if changes.get("section_id") == -1:
        other_plan = seeded.exec(select(Plan).where(Plan.slug != PLAN)).first()
        assert other_plan is not None
        changes = {"section_id": pk(other_plan.sections[0])}
    before = (item.text, item.ref, item.version, count(seeded, PlanChange))
    with pytest.raises(PlanEditRefused, match=words):
        plan_edits.edit_issue(
            session=seeded,
            actor=ADMIN,
            issue_id=pk(item),
            expected_version=item.version,
            fields=fields_of(seeded, item, **changes),
        )
    after = issue(seeded, "2.9")
    assert (after.text, after.ref, after.version, count(seeded, PlanChange)) == before


def test_a_level_of_another_framework_version_is_refused(seeded: Session) -> None:
    item = issue(seeded, "2.9")
    own = plan(seeded).framework_id
    stranger = seeded.exec(select(Level).where(Level.framework_id != own)).first()
    assert stranger is not None
    with pytest.raises(PlanEditRefused, match="not one of the framework version"):
        plan_edits.edit_issue(
            session=seeded,
            actor=ADMIN,
            issue_id=pk(item),
            expected_version=item.version,
            fields=fields_of(seeded, item, level_id=pk(stranger)),
        )


def test_an_edit_from_a_stale_form_is_refused_naming_who_changed_it(seeded: Session) -> None:
    item = issue(seeded, "2.9")
    seen = item.version
    updates.record_status_change(
        session=seeded,
        actor=Actor(name="Asha Patel", role=Role.ADMIN),
        issue_id=pk(item),
        status="In progress",
        note="Started.",
        expected_version=seen,
    )
    with pytest.raises(updates.Conflict, match="Asha Patel changed issue 2.9"):
        plan_edits.edit_issue(
            session=seeded,
            actor=ADMIN,
            issue_id=pk(item),
            expected_version=seen,
            fields=fields_of(seeded, item, text="Reworded on an old form."),
        )
    assert issue(seeded, "2.9").text == item.text


def test_an_issue_is_retired_with_a_reason_and_restored(seeded: Session) -> None:
    item = issue(seeded, "2.9")
    with pytest.raises(PlanEditRefused, match="Say why"):
        plan_edits.retire_issue(
            session=seeded, actor=ADMIN, issue_id=pk(item), expected_version=item.version, reason=""
        )
    saved = plan_edits.retire_issue(
        session=seeded,
        actor=ADMIN,
        issue_id=pk(item),
        expected_version=item.version,
        reason="Replaced by the new workforce strategy.",
    )
    assert issue(seeded, "2.9").retired_at is not None
    plan_edits.restore_issue(
        session=seeded, actor=ADMIN, issue_id=pk(item), expected_version=saved.version
    )
    back = issue(seeded, "2.9")
    assert back.retired_at is None
    kinds = [(row.kind, row.reason) for row in history(seeded, back)]
    assert kinds == [
        ("issue retired", "Replaced by the new workforce strategy."),
        ("issue restored", None),
    ]


def test_a_leaver_s_issues_go_to_their_successor_in_one_step(seeded: Session) -> None:
    leaver = lead(seeded, "Improvement and Efficiency Officer")
    successor = lead(seeded, "Community Development")
    theirs = set(
        seeded.exec(select(IssueLead.issue_id).where(IssueLead.lead_id == pk(leaver))).all()
    )
    assert theirs
    moved = plan_edits.reassign_issues(
        session=seeded,
        actor=ADMIN,
        from_lead_id=pk(leaver),
        to_lead_id=pk(successor),
        reason="Asha left in November.",
    )
    assert moved == len(theirs)
    assert not seeded.exec(select(IssueLead).where(IssueLead.lead_id == pk(leaver))).all()
    now_led = set(
        seeded.exec(select(IssueLead.issue_id).where(IssueLead.lead_id == pk(successor))).all()
    )
    assert theirs <= now_led
    row = seeded.exec(select(PlanChange).where(PlanChange.kind == "issues reassigned")).one()
    assert (row.from_value, row.to_value) == (leaver.name, successor.name)


def test_two_leads_merge_into_one_keeping_issues_users_and_the_old_name(seeded: Session) -> None:
    gone = lead(seeded, "Improvement and Efficiency Officer")
    kept = lead(seeded, "Community Development")
    user = User(email="asha@example.org", display_name="Asha Patel", role=Role.OFFICER.value)
    seeded.add(user)
    seeded.flush()
    seeded.add(UserLead(user_id=pk(user), lead_id=pk(gone)))
    seeded.commit()
    gone_id, name = pk(gone), gone.name
    plan_edits.merge_leads(session=seeded, actor=ADMIN, lead_id=gone_id, into_id=pk(kept))
    assert seeded.get(Lead, gone_id) is None
    assert seeded.exec(select(UserLead.lead_id).where(UserLead.user_id == pk(user))).all() == [
        pk(kept)
    ]
    alias = seeded.exec(select(LeadAlias).where(LeadAlias.alias == name)).one()
    assert alias.lead_id == pk(kept)
    assert issue(seeded, "2.9").lead_links[0].lead_id == pk(kept)


def test_a_lead_is_renamed_and_keeps_its_old_name_for_imports(seeded: Session) -> None:
    item = lead(seeded, "Community Development")
    plan_edits.rename_lead(session=seeded, actor=ADMIN, lead_id=pk(item), name="  Head of People  ")
    assert lead(seeded, "Head of People").id == item.id
    assert seeded.exec(select(LeadAlias).where(LeadAlias.alias == "Community Development")).one()
    with pytest.raises(PlanEditRefused, match="already a lead called"):
        plan_edits.rename_lead(
            session=seeded,
            actor=ADMIN,
            lead_id=pk(lead(seeded, "Improvement and Efficiency Officer")),
            name="head of people",
        )


def test_a_lead_cannot_be_put_under_itself(seeded: Session) -> None:
    top = lead(seeded, "The Improvement Unit")
    below = lead(seeded, "Improvement and Efficiency Officer")
    assert below.parent_id == pk(top)
    with pytest.raises(PlanEditRefused, match="part of"):
        plan_edits.set_lead_parent(
            session=seeded, actor=ADMIN, lead_id=pk(top), parent_id=pk(below)
        )


EVERY_WRITE: dict[str, Callable[[Session, Actor], object]] = {
    "add": lambda s, a: plan_edits.add_issue(
        session=s,
        actor=a,
        plan_id=pk(plan(s)),
        fields=IssueFields(ref="9.9", text="x", section_id=issue(s, "2.9").section_id),
    ),
    "edit": lambda s, a: plan_edits.edit_issue(
        session=s,
        actor=a,
        issue_id=pk(issue(s, "2.9")),
        expected_version=issue(s, "2.9").version,
        fields=fields_of(s, issue(s, "2.9"), text="Reworded."),
    ),
    "retire": lambda s, a: plan_edits.retire_issue(
        session=s,
        actor=a,
        issue_id=pk(issue(s, "2.9")),
        expected_version=issue(s, "2.9").version,
        reason="Done elsewhere.",
    ),
    "rename lead": lambda s, a: plan_edits.rename_lead(
        session=s, actor=a, lead_id=pk(lead(s, "Community Development")), name="HR"
    ),
    "reassign": lambda s, a: plan_edits.reassign_issues(
        session=s,
        actor=a,
        from_lead_id=pk(lead(s, "Improvement and Efficiency Officer")),
        to_lead_id=pk(lead(s, "Community Development")),
    ),
}


@pytest.mark.parametrize("write", EVERY_WRITE)
@pytest.mark.parametrize("role", [Role.OFFICER, Role.VIEWER])
def test_only_an_equality_lead_may_change_the_plan(seeded: Session, write: str, role: Role) -> None:
    officer = lead(seeded, "Improvement and Efficiency Officer")
    actor = Actor(name="Not an admin", role=role, lead_ids=frozenset({pk(officer)}))
    before = (count(seeded, Issue), count(seeded, PlanChange), issue(seeded, "2.9").text)
    with pytest.raises(PermissionDenied, match="Only an equality lead"):
        EVERY_WRITE[write](seeded, actor)
    assert (count(seeded, Issue), count(seeded, PlanChange), issue(seeded, "2.9").text) == before


def test_a_retired_issue_leaves_the_figures_and_cannot_be_ticked_off(seeded: Session) -> None:
    from dashboard.reads import progress

    item = issue(seeded, "2.9")
    filters = progress.Filters(plan_id=pk(plan(seeded)))
    today = date(2026, 12, 2)
    before = progress.headline(seeded, filters, today, 30)
    plan_edits.retire_issue(
        session=seeded,
        actor=ADMIN,
        issue_id=pk(item),
        expected_version=item.version,
        reason="Merged into 2.8.",
    )
    after = progress.headline(seeded, filters, today, 30)
    assert int(after["issues"]) == int(before["issues"]) - 1
    themes = progress.progress_by_theme(seeded, filters, today, 30)
    assert int(themes["issues"].sum()) == int(after["issues"])
    retired = issue(seeded, "2.9")
    with pytest.raises(updates.UpdateRefused, match="retired from the plan"):
        updates.record_status_change(
            session=seeded,
            actor=ADMIN,
            issue_id=pk(retired),
            status="Complete",
            note="Done.",
            expected_version=retired.version,
        )


def test_the_plan_is_retitled_and_its_themes_added_moved_renamed_and_merged(
    seeded: Session,
) -> None:
    this = plan(seeded)
    plan_edits.edit_plan(
        session=seeded,
        actor=ADMIN,
        plan_id=pk(this),
        title="Equality plan 2027–31",
        period="2027–31",
    )
    assert plan(seeded).title == "Equality plan 2027–31"
    added = plan_edits.add_theme(
        session=seeded, actor=ADMIN, plan_id=pk(this), heading="Climate and equality"
    )
    headings = lambda: [  # noqa: E731
        s.heading
        for s in seeded.exec(
            select(Section).where(Section.plan_id == pk(this)).order_by(col(Section.position))
        )
    ]
    assert headings()[-1] == "Climate and equality"
    plan_edits.move_theme(session=seeded, actor=ADMIN, section_id=pk(added), to_place=1)
    assert headings()[0] == "Climate and equality"
    plan_edits.edit_theme(
        session=seeded, actor=ADMIN, section_id=pk(added), heading="Climate justice", theme_id=None
    )
    with pytest.raises(PlanEditRefused, match="already has a theme called"):
        plan_edits.edit_theme(
            session=seeded,
            actor=ADMIN,
            section_id=pk(added),
            heading=headings()[1].lower(),
            theme_id=None,
        )
    first_real = section(seeded, "COMMUNITY")
    moved = [pk(i) for i in seeded.exec(select(Issue).where(Issue.section_id == pk(first_real)))]
    plan_edits.merge_themes(
        session=seeded, actor=ADMIN, section_id=pk(first_real), into_id=pk(added)
    )
    assert "Climate justice" in headings() and first_real.heading not in headings()
    assert all(seeded.get(Issue, i).section_id == pk(added) for i in moved)  # type: ignore[union-attr]
    kinds = seeded.exec(
        select(PlanChange.kind).where(
            PlanChange.plan_id == pk(this), col(PlanChange.issue_id).is_(None)
        )
    ).all()
    assert set(kinds) == {
        "plan edited",
        "theme added",
        "theme moved",
        "theme edited",
        "theme merged",
    }


def test_a_theme_of_another_framework_version_is_refused(seeded: Session) -> None:
    from models import Theme

    this = plan(seeded)
    stranger = seeded.exec(select(Theme).where(Theme.framework_id != this.framework_id)).first()
    assert stranger is not None
    with pytest.raises(PlanEditRefused, match="not a theme of the framework version"):
        plan_edits.add_theme(
            session=seeded, actor=ADMIN, plan_id=pk(this), heading="New", theme_id=pk(stranger)
        )


def test_since_the_last_meeting_and_the_history_export_show_the_plan_changes(
    seeded: Session,
) -> None:
    from dashboard.reads import meetings
    from dashboard.reads.issues import history_rows
    from dashboard.rules.permissions import COMMAND_LINE_ADMIN
    from dashboard.writes.meetings import record_meeting

    today = date(2026, 12, 2)
    meeting = record_meeting(
        session=seeded, actor=COMMAND_LINE_ADMIN, body="Corporate Management Team",
        title="CMT update", held_on=today, today=today, amber_days=30,
    )  # fmt: skip
    reworded, retired = issue(seeded, "2.9"), issue(seeded, "1.1")
    plan_edits.edit_issue(
        session=seeded,
        actor=ADMIN,
        issue_id=pk(reworded),
        expected_version=reworded.version,
        fields=fields_of(
            seeded,
            reworded,
            text="Reworded after CMT.",
            lead_ids=(pk(lead(seeded, "Community Development")),),
        ),
    )
    plan_edits.retire_issue(
        session=seeded,
        actor=ADMIN,
        issue_id=pk(retired),
        expected_version=retired.version,
        reason="Done by the county.",
    )
    changes = meetings.changes_between(
        seeded, pk(meeting), None, today=today, amber_days=30, plan_id=pk(plan(seeded))
    )
    assert changes.retired["ref"].tolist() == ["1.1"]
    assert changes.reworded["ref"].tolist() == ["2.9"]
    assert changes.leads_changed["ref"].tolist() == ["2.9"]
    assert changes.counts()["Issues retired"] == 1
    assert changes.counts()["Leads changed"] == 1
    # The meeting's own snapshot still holds the retired issue, as it stood then.
    assert "1.1" in meetings.snapshot(seeded, pk(meeting))["ref"].tolist()
    rows = [r for r in history_rows(seeded, PLAN) if r["kind"].startswith("issue ")]
    assert {(r["ref"], r["kind"]) for r in rows} == {
        ("2.9", "issue edited: wording"),
        ("2.9", "issue edited: leads"),
        ("1.1", "issue retired"),
    }
    assert next(r for r in rows if r["kind"] == "issue retired")["note"] == "Done by the county."


def test_the_organisation_named_by_a_guess_is_given_its_real_name(seeded: Session) -> None:
    from models import Organisation

    this = plan(seeded)
    plan_edits.edit_plan(
        session=seeded,
        actor=ADMIN,
        plan_id=pk(this),
        title=this.title,
        period=this.period,
        organisation="Borsetshire District Council",
    )
    assert seeded.get(Organisation, this.organisation_id).name == "Borsetshire District Council"  # type: ignore[union-attr]
    other = seeded.exec(select(Organisation).where(Organisation.id != this.organisation_id)).first()
    assert other is not None
    with pytest.raises(PlanEditRefused, match="already an organisation called"):
        plan_edits.edit_plan(
            session=seeded,
            actor=ADMIN,
            plan_id=pk(this),
            title=this.title,
            period=this.period,
            organisation=other.name,
        )
    row = seeded.exec(select(PlanChange).where(PlanChange.field == "organisation")).one()
    assert row.to_value == "Borsetshire District Council"


def test_a_theme_lead_or_plan_saved_from_a_stale_form_is_refused(seeded: Session) -> None:
    from dashboard.writes.plan_edits import ChangedMeanwhile

    target = section(seeded, "COMMUNITY")
    seen = target.heading
    plan_edits.edit_theme(
        session=seeded, actor=ADMIN, section_id=pk(target), heading="Communities", theme_id=None,
        seen_heading=seen,
    )  # fmt: skip
    with pytest.raises(ChangedMeanwhile, match="it is now “Communities”"):
        plan_edits.edit_theme(
            session=seeded, actor=ADMIN, section_id=pk(target), heading="Residents",
            theme_id=None, seen_heading=seen,
        )  # fmt: skip
    item = lead(seeded, "Community Development")
    plan_edits.rename_lead(
        session=seeded, actor=ADMIN, lead_id=pk(item), name="Communities team",
        seen_name="Community Development",
    )  # fmt: skip
    with pytest.raises(ChangedMeanwhile):
        plan_edits.rename_lead(
            session=seeded, actor=ADMIN, lead_id=pk(item), name="Neighbourhoods",
            seen_name="Community Development",
        )  # fmt: skip
    this = plan(seeded)
    with pytest.raises(ChangedMeanwhile, match="the plan's title"):
        plan_edits.edit_plan(
            session=seeded, actor=ADMIN, plan_id=pk(this), title="New", period=None,
            seen={"title": "A title someone else replaced"},
        )  # fmt: skip
    assert plan(seeded).title == this.title
    assert section(seeded, "Communities").heading == "Communities"


def test_a_retired_issue_is_still_found_and_says_it_is_retired(seeded: Session) -> None:
    from dashboard.reads.search import search_issues
    from dashboard.rules.plan_edits import RETIRED_WORDS

    item = issue(seeded, "2.9")
    plan_edits.retire_issue(
        session=seeded,
        actor=ADMIN,
        issue_id=pk(item),
        expected_version=item.version,
        reason="Merged into 2.8.",
    )
    found = search_issues(seeded, "2.9")
    row = found[found["issue_id"] == pk(item)].iloc[0]
    assert row["status"] == RETIRED_WORDS
