"""Command line: `python -m dashboard COMMAND`. Exit code 2 means bad input; nothing was changed."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlmodel import Session

from . import exchange
from .db import make_engine, migrate
from .permissions import COMMAND_LINE_ADMIN
from .queries import plans_summary
from .seeding import seed_database
from .settings import Settings

BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Equality Framework action plans: database, seed data, import and export.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("migrate", help="bring the database to the latest schema")
    seed = commands.add_parser(
        "seed", help="load the seed documents (a second run changes nothing)"
    )
    seed.add_argument(
        "--if-empty", action="store_true", help="only when the database holds no plan yet"
    )
    commands.add_parser("plans", help="list each plan with its slug, themes and issues")
    export = commands.add_parser("export", help="write the issues to CSV or Excel")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--out", required=True, help="file to write; '-' writes CSV to stdout")
    export.add_argument("--plan", help="only this plan (its slug)")
    imp = commands.add_parser("import", help="read issues from a file written by export")
    imp.add_argument("path", type=Path)
    imp.add_argument("--plan", help="the plan the rows belong to (its slug)")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
        with Session(engine, expire_on_commit=False) as session:
            return COMMANDS[args.command](session, args)
    finally:
        engine.dispose()


def _migrate(session: Session, args: argparse.Namespace) -> int:
    print("The database schema is up to date.")
    return 0


def _seed(session: Session, args: argparse.Namespace) -> int:
    if args.if_empty and not plans_summary(session).empty:
        print("The database already holds plans; seed data not loaded again.")
        return 0
    print(seed_database(session).summary())
    return 0


def _plans(session: Session, args: argparse.Namespace) -> int:
    frame = plans_summary(session)
    if frame.empty:
        print("No plans yet. Run `python -m dashboard seed` or import one.")
        return 0
    width = max(len(str(s)) for s in frame["slug"])
    print(f"{'slug'.ljust(width)}  themes  issues  title")
    for slug, sections, issues, title in frame[["slug", "sections", "issues", "title"]].itertuples(
        index=False
    ):
        print(f"{str(slug).ljust(width)}  {sections:>6}  {issues:>6}  {title}")
    return 0


def _export(session: Session, args: argparse.Namespace) -> int:
    if args.plan and args.plan not in set(plans_summary(session)["slug"]):
        print(f"No plan has the slug '{args.plan}'.", file=sys.stderr)
        return BAD_INPUT
    rows = exchange.export_rows(session, args.plan)
    if args.out == "-":
        if args.format != "csv":
            print("Only CSV can be written to standard output.", file=sys.stderr)
            return BAD_INPUT
        sys.stdout.write(exchange.rows_to_csv(rows))
        return 0
    out = Path(args.out)
    if args.format == "csv":
        out.write_text(exchange.rows_to_csv(rows), encoding="utf-8")
    else:
        out.write_bytes(exchange.rows_to_xlsx(rows))
    print(f"Wrote {len(rows)} issue(s) to {out}.")
    return 0


def _import(session: Session, args: argparse.Namespace) -> int:
    try:
        result = exchange.import_file(
            session, args.path, actor=COMMAND_LINE_ADMIN, plan_slug=args.plan, dry_run=args.dry_run
        )
    except exchange.ImportFileError as exc:
        print(f"Nothing was imported: {exc}", file=sys.stderr)
        return BAD_INPUT
    if not result.ok:
        print(result.summary(), file=sys.stderr)
        return BAD_INPUT
    print(result.summary())
    return 0


COMMANDS = {
    "migrate": _migrate,
    "seed": _seed,
    "plans": _plans,
    "export": _export,
    "import": _import,
}
