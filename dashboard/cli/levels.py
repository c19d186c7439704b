"""Command line for maturity levels: `criteria template|import|export`, `plan-level` and
`peer-pack`."""

import argparse
import sys
from pathlib import Path

from sqlmodel import Session

from dashboard.cli.output import BAD_INPUT, report
from dashboard.rules.dates import uk_today
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, PermissionDenied
from dashboard.store.settings import Settings


def add_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    criteria = commands.add_parser("criteria", help="level criteria: template, import, export")
    actions = criteria.add_subparsers(dest="criteria_command", required=True)
    template = actions.add_parser("template", help="write an empty criteria file")
    template.add_argument("--out", required=True, type=Path)
    load = actions.add_parser("import", help="load criteria from a CSV file (all or nothing)")
    load.add_argument("path", type=Path)
    export = actions.add_parser("export", help="write the loaded criteria as CSV")
    export.add_argument("--out", required=True, help="file to write; '-' writes to stdout")
    plan_level = commands.add_parser(
        "plan-level", help="put a plan on a framework version and the level it works towards"
    )
    plan_level.add_argument("plan", help="the plan's short name (see `plans`)")
    plan_level.add_argument("--framework", required=True, metavar="VERSION", help="e.g. eflg-2011")
    plan_level.add_argument("--level", required=True, metavar="LEVEL", help="e.g. Achieving")
    pack = commands.add_parser(
        "peer-pack", help="write the peer-challenge pack: a zip (PDF, index, evidence) or a PDF"
    )
    pack.add_argument("--out", required=True, type=Path, help="PATH.zip (or PATH.pdf)")
    pack.add_argument("--plan", help="the plan's slug (default: the first plan with a framework)")
    pack.add_argument("--theme", help="only this theme (its name, or its number in the plan)")


def _criteria(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.formats.sheets import ImportFileError, rows_to_csv
    from dashboard.reads.criteria import CRITERIA_COLUMNS, criteria_rows
    from dashboard.writes.criteria import import_criteria, read_criteria_file, template_csv

    if args.criteria_command == "template":
        args.out.write_text(template_csv(), encoding="utf-8")
        print(f"Wrote an empty criteria file to {args.out}.")
        return 0
    if args.criteria_command == "export":
        text = rows_to_csv(criteria_rows(session), CRITERIA_COLUMNS)
        if args.out == "-":
            sys.stdout.write(text)
        else:
            Path(args.out).write_text(text, encoding="utf-8")
        return 0
    try:
        result = import_criteria(session, read_criteria_file(args.path), actor=COMMAND_LINE_ADMIN)
    except (ImportFileError, PermissionDenied) as exc:
        print(f"No criteria were imported: {exc}", file=sys.stderr)
        return BAD_INPUT
    return report(result)


def _plan_level(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.writes.levels import set_plan_level
    from models import Level

    plan = set_plan_level(
        session=session,
        actor=COMMAND_LINE_ADMIN,
        plan_slug=args.plan,
        framework=args.framework,
        level=args.level,
    )
    level = session.get(Level, plan.level_id)
    assert level is not None
    print(
        f"The plan '{plan.slug}' is now on {plan.framework.name}, working towards the "
        f"{level.name} level."
    )
    return 0


def _peer_pack(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.formats.words import plural
    from dashboard.reports.peer_pack.archive import pack_zip
    from dashboard.reports.peer_pack.gather import PackError, gather, plan_and_theme
    from dashboard.reports.peer_pack.pdf import pack_pdf

    try:
        plan_id, theme_id = plan_and_theme(session, args.plan, args.theme)
    except PackError as exc:
        print(f"No pack was written: {exc}", file=sys.stderr)
        return BAD_INPUT
    pack = gather(session, plan_id, theme_id, settings=settings, today=uk_today())
    if args.out.suffix.lower() == ".pdf":
        args.out.write_bytes(pack_pdf(pack))
    else:
        args.out.write_bytes(pack_zip(pack, settings))
    files = pack.evidence["zip_path"].notna().sum()
    print(
        f"Wrote the peer-challenge pack for {pack.plan} ({pack.scope}) to {args.out}: "
        f"{plural(len(pack.themes), 'theme')}, {plural(len(pack.evidence), 'piece')} of evidence"
        + ("." if args.out.suffix.lower() == ".pdf" else f", {plural(files, 'stored file')}.")
    )
    return 0


COMMANDS = {"criteria": _criteria, "plan-level": _plan_level, "peer-pack": _peer_pack}
