"""Command line for keeping a plan: `issue add|edit|retire|restore` and
`lead rename|merge|reassign` (run as the command-line administrator; the same write functions as
the Plan page, so the same checks and the same history)."""

import argparse
from dataclasses import replace

from sqlmodel import Session, col, select

from dashboard.rules.errors import Refused
from dashboard.rules.names import name_key, split_leads
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.rules.plan_edits import IssueFields
from dashboard.store.settings import Settings
from models import Characteristic, Level, Organisation, Plan, Section, pk


class _Refused(Refused):
    """A name or number on the command line that names nothing in the plan."""


def add_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    issue = commands.add_parser("issue", help="add, edit, retire or restore a plan's issue")
    actions = issue.add_subparsers(dest="issue_command", required=True)
    for name, words in (("add", "add an issue"), ("edit", "change an issue's fields")):
        one = actions.add_parser(name, help=words)
        one.add_argument("plan", help="the plan's short name (see `plans`)")
        one.add_argument("ref", help="the issue's ref, such as 4.2")
        one.add_argument("--text", required=name == "add", help="what the issue is to do")
        one.add_argument(
            "--theme", required=name == "add", help="the theme's heading, or its number"
        )
        one.add_argument("--leads", help='leads in order, the primary first: "A / B"')
        one.add_argument("--timescale", help="as written, e.g. 'March 2027'")
        one.add_argument("--measure")
        one.add_argument("--level", help="a level of the plan's framework version, or 'none'")
        one.add_argument("--characteristics", help="codes, comma-separated, e.g. age,disability")
        if name == "edit":
            one.add_argument("--new-ref", help="renumber the issue")
            one.add_argument("--reason", help="why (kept in the history)")
    for name, words in (("retire", "retire an issue"), ("restore", "bring a retired issue back")):
        one = actions.add_parser(name, help=words)
        one.add_argument("plan")
        one.add_argument("ref")
        one.add_argument("--reason", required=name == "retire", help="why (kept in the history)")
    lead = commands.add_parser("lead", help="rename, merge or hand on a lead's issues")
    lead_actions = lead.add_subparsers(dest="lead_command", required=True)
    rename = lead_actions.add_parser("rename", help="give a lead a new name")
    rename.add_argument("name")
    rename.add_argument("new_name")
    merge = lead_actions.add_parser("merge", help="merge a lead into another")
    merge.add_argument("name", help="the lead that goes")
    merge.add_argument("into", help="the lead that stays")
    reassign = lead_actions.add_parser(
        "reassign", help="hand every issue of a lead (someone who left) to another"
    )
    reassign.add_argument("name")
    reassign.add_argument("to")
    reassign.add_argument("--reason")
    for one in (rename, merge, reassign):
        one.add_argument("--organisation", help="needed when the name is used in several")


def _issue(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    # (imported here: `python -m dashboard plans` loads none of these heavy modules)
    from dashboard.reads.issues import issue_id_by_ref
    from dashboard.reads.plan_edits import issue_fields
    from dashboard.writes import plan_edits

    plan = session.exec(select(Plan).where(Plan.slug == args.plan)).first()
    if plan is None:
        raise _Refused(f"There is no plan with the short name '{args.plan}'.")
    found = issue_id_by_ref(session, args.plan, args.ref)
    if args.issue_command == "add":
        fields = IssueFields(
            ref=args.ref, text=args.text, section_id=_section(session, plan, args.theme)
        )
        saved = plan_edits.add_issue(
            session=session,
            actor=COMMAND_LINE_ADMIN,
            plan_id=pk(plan),
            fields=_with_options(session, plan, fields, args),
        )
        print(f"Added issue {saved.ref} to {plan.title}.")
        _warn(saved.warning)
        return 0
    if found is None:
        raise _Refused(f"Plan '{args.plan}' has no issue {args.ref}.")
    issue_id, version = found
    if args.issue_command == "retire":
        plan_edits.retire_issue(
            session=session,
            actor=COMMAND_LINE_ADMIN,
            issue_id=issue_id,
            expected_version=version,
            reason=args.reason,
        )
        print(f"Retired issue {args.ref}: it is left out of progress and can be restored.")
        return 0
    if args.issue_command == "restore":
        plan_edits.restore_issue(
            session=session,
            actor=COMMAND_LINE_ADMIN,
            issue_id=issue_id,
            expected_version=version,
            reason=args.reason,
        )
        print(f"Restored issue {args.ref}.")
        return 0
    current = issue_fields(session, issue_id)
    assert current is not None
    fields = current[0]
    if args.new_ref:
        fields = replace(fields, ref=args.new_ref)
    if args.text:
        fields = replace(fields, text=args.text)
    if args.theme:
        fields = replace(fields, section_id=_section(session, plan, args.theme))
    saved = plan_edits.edit_issue(
        session=session,
        actor=COMMAND_LINE_ADMIN,
        issue_id=issue_id,
        expected_version=version,
        fields=_with_options(session, plan, fields, args),
        reason=args.reason,
    )
    print(f"Changed issue {saved.ref}: {', '.join(saved.changed)}.")
    _warn(saved.warning)
    return 0


def _with_options(
    session: Session, plan: Plan, fields: IssueFields, args: argparse.Namespace
) -> IssueFields:
    """The form's fields with what the command line named."""
    from dashboard.reads.accounts import resolve_leads

    organisation = session.get(Organisation, plan.organisation_id)
    changes: dict[str, object] = {}
    if args.leads is not None:
        changes["lead_ids"] = tuple(
            resolve_leads(
                session, split_leads(args.leads), organisation.name if organisation else None
            )
        )
    if args.timescale is not None:
        changes["timescale"] = args.timescale
    if args.measure is not None:
        changes["measure"] = args.measure
    if args.level is not None:
        changes["level_id"] = _level(session, plan, args.level)
    if args.characteristics is not None:
        changes["characteristic_ids"] = _characteristics(session, args.characteristics)
    return replace(fields, **changes)  # type: ignore[arg-type]


def _section(session: Session, plan: Plan, theme: str) -> int:
    sections = session.exec(
        select(Section).where(Section.plan_id == pk(plan)).order_by(col(Section.position))
    ).all()
    for number, section in enumerate(sections, start=1):
        if theme.strip() == str(number) or name_key(section.heading) == name_key(theme):
            return pk(section)
    raise _Refused(
        f"The plan has no theme '{theme}': give its heading or its number (1 to {len(sections)})."
    )


def _level(session: Session, plan: Plan, name: str) -> int | None:
    if name_key(name) == "none":
        return None
    level = session.exec(
        select(Level).where(Level.framework_id == plan.framework_id, Level.name == name.strip())
    ).first()
    if level is None:
        raise _Refused(
            f"'{name}' is not a level of the framework version this plan is set against."
        )
    return pk(level)


def _characteristics(session: Session, written: str) -> tuple[int, ...]:
    ids = []
    for code in (part.strip() for part in written.split(",") if part.strip()):
        found = session.exec(select(Characteristic).where(Characteristic.code == code)).first()
        if found is None:
            raise _Refused(f"'{code}' is not a characteristic's code (see the README).")
        ids.append(pk(found))
    return tuple(ids)


def _lead(session: Session, args: argparse.Namespace) -> int:
    from dashboard.formats.words import plural
    from dashboard.reads.accounts import resolve_leads
    from dashboard.writes import plan_edits

    if args.lead_command == "rename":
        (lead_id,) = resolve_leads(session, [args.name], args.organisation)
        lead = plan_edits.rename_lead(
            session=session, actor=COMMAND_LINE_ADMIN, lead_id=lead_id, name=args.new_name
        )
        print(f"Renamed {args.name} to {lead.name}; the old name still finds it on import.")
        return 0
    if args.lead_command == "merge":
        (gone,) = resolve_leads(session, [args.name], args.organisation)
        (kept,) = resolve_leads(session, [args.into], args.organisation)
        lead = plan_edits.merge_leads(
            session=session, actor=COMMAND_LINE_ADMIN, lead_id=gone, into_id=kept
        )
        print(f"Merged {args.name} into {lead.name}.")
        return 0
    (old,) = resolve_leads(session, [args.name], args.organisation)
    (new,) = resolve_leads(session, [args.to], args.organisation)
    moved = plan_edits.reassign_issues(
        session=session,
        actor=COMMAND_LINE_ADMIN,
        from_lead_id=old,
        to_lead_id=new,
        reason=args.reason,
    )
    print(f"Handed {plural(moved, 'issue')} from {args.name} to {args.to}.")
    return 0


def _lead_command(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    return _lead(session, args)


def _warn(warning: str | None) -> None:
    if warning:
        print(f"Note: {warning}")


COMMANDS = {"issue": _issue, "lead": _lead_command}
