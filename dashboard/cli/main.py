"""Command line: `python -m dashboard COMMAND`. Exit code 2 means bad input, 1 a database, file
or folder that could not be used; either way nothing was changed.

Each command imports the heavy libraries it needs (pandas, openpyxl, argon2, the importer, the
packs) inside its handler, so `plans` and the other quick commands start in a fraction of a
second; tests/data/test_cli_imports.py keeps it so.
"""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError
from sqlmodel import Session

from dashboard.cli import identity, levels, meetings, plan_edits, publish
from dashboard.cli.output import BAD_INPUT, CANNOT_RUN, database_fault, fail, file_fault
from dashboard.reads.plans import plan_rows
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.store.db import make_engine, migrate
from dashboard.store.settings import Settings, SettingsError
from models import OWN_RAG_VALUES, RATING_SOURCE_VALUES

NOT_SET = "not-set"  # `update --rag not-set`: the issue has no RAG rating of the council's own


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
    plans = commands.add_parser(
        "plans",
        help="list each plan with its slug, themes and issues ('plans set-rating' chooses which "
        "rating a plan's figures use)",
    )
    plan_actions = plans.add_subparsers(dest="plans_command")
    rating = plan_actions.add_parser(
        "set-rating",
        help="whether a plan's Red, Amber and Green figures use the rating by dates or the "
        "council's own rating",
    )
    rating.add_argument("plan", help="the plan's slug")
    rating.add_argument("rating_source", choices=RATING_SOURCE_VALUES)
    export = commands.add_parser("export", help="write the issues to CSV or Excel")
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--out", required=True, help="file to write; '-' writes CSV to stdout")
    export.add_argument("--plan", help="only this plan (its slug)")
    demo = commands.add_parser("demo", help="load labelled synthetic data into a spare database")
    demo.add_argument("--scale", choices=["council", "county", "national"], default="council")
    imp = commands.add_parser(
        "import",
        help="read a council's plan (.xlsx, .csv, .docx or .pdf, any layout) or an exported file",
    )
    imp.add_argument("path", type=Path)
    imp.add_argument("--plan", help="update this plan (its slug)")
    imp.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    imp.add_argument(
        "--sheet",
        help="the workbook's sheet to read (default: the first visible one; hidden sheets are "
        "left out)",
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="'Source header=field'",
        help="read a column as a field, e.g. --map 'Whose job=Lead' (repeatable)",
    )
    imp.add_argument(
        "--new-plan-title",
        help="create a new plan with this title (default: the file's title line, else its name)",
    )
    imp.add_argument(
        "--organisation",
        help="the new plan's organisation, found or created (default: the one the file's title "
        "names)",
    )
    imp.add_argument(
        "--framework", metavar="VERSION", help="put the new plan on this framework version"
    )
    imp.add_argument("--level", metavar="LEVEL", help="... and this level of it")
    _add_work_commands(commands)
    levels.add_parsers(commands)
    meetings.add_parsers(commands)
    plan_edits.add_parsers(commands)
    publish.add_parsers(commands)
    return parser


def _add_work_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """users, update and history (issue 4: officers tick off their issues)."""
    users = commands.add_parser("users", help="add, list, switch off or reset accounts")
    actions = users.add_subparsers(dest="users_command", required=True)
    add = actions.add_parser("add", help="add an account")
    add.add_argument("email")
    add.add_argument("--role", choices=["viewer", "officer", "admin"], required=True)
    add.add_argument("--lead", action="append", default=[], help="a lead they act for; repeat")
    add.add_argument("--organisation", help="where a lead's name is found in several")
    add.add_argument("--name", help="the name others see (default: from the e-mail address)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read a password from standard input"
    )
    actions.add_parser("list", help="list the accounts")
    disable = actions.add_parser("disable", help="switch an account off")
    disable.add_argument("email")
    reset = actions.add_parser("reset", help="set a new password and lift a lock-out")
    reset.add_argument("email")
    reset.add_argument("--password-stdin", action="store_true", required=True)
    identity.add_parser(actions)
    update = commands.add_parser("update", help="update an issue's status and note")
    update.add_argument("--plan", required=True, help="the plan (its slug)")
    update.add_argument("--ref", required=True, help="the issue's number, e.g. 2.9")
    update.add_argument("--status", help="the new status (default: unchanged)")
    update.add_argument("--note", help="a progress note")
    update.add_argument(
        "--rag",
        choices=[*OWN_RAG_VALUES, NOT_SET],
        help="your RAG rating of the issue, or not-set to remove it (default: unchanged)",
    )
    update.add_argument("--as", dest="as_email", required=True, help="your account's e-mail")
    history = commands.add_parser(
        "history", help="write every status change and due-date change to CSV"
    )
    history.add_argument("--plan", help="only this plan (its slug)")
    history.add_argument("--format", choices=["csv"], default="csv")
    history.add_argument("--out", required=True, help="file to write; '-' writes to stdout")


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. A refusal, or a database, file or setting that cannot be used, is one
    plain line on stderr with a non-zero exit code, never a traceback; anything else is a bug
    and is left to show as one."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if (broken := _not_utf8(arguments)) is not None:
        return fail(f"Nothing was done: {broken}", BAD_INPUT)
    args = _parser().parse_args(arguments)
    try:
        settings = Settings.from_env()  # once per command, passed to whatever needs a value
    except SettingsError as wrong:
        return fail(f"Nothing was done: {wrong}", BAD_INPUT)
    try:
        return _run(args, settings)
    except SettingsError as wrong:
        return fail(f"Nothing was done: {wrong}", BAD_INPUT)
    except Refused as refused:
        return fail(f"Nothing was changed: {refused}", BAD_INPUT)
    except (OperationalError, InterfaceError) as fault:
        return fail(database_fault(fault, settings.database_url), CANNOT_RUN)
    except OSError as fault:
        return fail(file_fault(fault), CANNOT_RUN)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        engine = make_engine(settings.database_url)
    except (ArgumentError, ImportError):
        raise SettingsError(
            "EFLG_DATABASE_URL is not a database address the dashboard can use: write it as "
            "sqlite:///path/to/eflg.db or postgresql://user@host:5432/database."
        ) from None
    try:
        migrate(engine)
        with Session(engine, expire_on_commit=False) as session:
            return COMMANDS[args.command](session, args, settings)
    finally:
        engine.dispose()


def _not_utf8(arguments: Sequence[str]) -> str | None:
    """What is wrong with the first argument that was not valid UTF-8 (Python reads such bytes
    as lone surrogates, which no file or database can take), or None."""
    for number, argument in enumerate(arguments, start=1):
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            shown = argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return (
                f"argument {number} ({shown!r}) is not valid UTF-8 text: "
                "type it again, or save the file name in UTF-8."
            )
    return None


def _migrate(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    print("The database schema is up to date.")
    return 0


def _seed(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.store.seed import seed_database

    if args.if_empty and plan_rows(session):
        print("The database already holds plans; seed data not loaded again.")
        return 0
    print(seed_database(session).summary())
    return 0


def _plans(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    if args.plans_command == "set-rating":
        return _set_rating(session, args)
    rows = plan_rows(session)
    if not rows:
        print("No plans yet. Run `python -m dashboard seed` or import one.")
        return 0
    width = max(len(row.slug) for row in rows)
    print(f"{'slug'.ljust(width)}  themes  issues  title")
    for row in rows:
        print(f"{row.slug.ljust(width)}  {row.sections:>6}  {row.issues:>6}  {row.title}")
    return 0


def _set_rating(session: Session, args: argparse.Namespace) -> int:
    from dashboard.writes.ratings import RATING_SOURCE_WORDS, set_rating_source

    plan = set_rating_source(
        session=session,
        actor=COMMAND_LINE_ADMIN,
        plan_slug=args.plan,
        rating_source=args.rating_source,
    )
    uses = RATING_SOURCE_WORDS[plan.rating_source].lower()
    print(f"Saved: the Red, Amber and Green figures of {plan.slug} now use {uses}.")
    return 0


def _export(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.formats.headers import COLUMNS
    from dashboard.formats.sheets import rows_to_csv, rows_to_xlsx
    from dashboard.formats.words import plural
    from dashboard.reads.exports import export_rows

    if args.plan and args.plan not in {row.slug for row in plan_rows(session)}:
        print(f"No plan has the slug '{args.plan}'.", file=sys.stderr)
        return BAD_INPUT
    rows = export_rows(session, args.plan)
    if args.out == "-":
        if args.format != "csv":
            print("Only CSV can be written to standard output.", file=sys.stderr)
            return BAD_INPUT
        sys.stdout.write(rows_to_csv(rows, COLUMNS))
        return 0
    out = Path(args.out)
    if args.format == "csv":
        out.write_text(rows_to_csv(rows, COLUMNS), encoding="utf-8")
    else:
        out.write_bytes(rows_to_xlsx(rows, COLUMNS))
    print(f"Wrote {plural(len(rows), 'issue')} to {out}.")
    return 0


def _import(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.cli.import_plan import import_command

    return import_command(session, args, actor=COMMAND_LINE_ADMIN)


def _demo(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.store.demo import DemoRefused, load_demo

    try:
        load_demo(session, args.scale)
    except DemoRefused as exc:
        print(f"No demo data loaded: {exc}", file=sys.stderr)
        return BAD_INPUT
    return 0


def _read_password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _users(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.reads.accounts import resolve_leads
    from dashboard.rules.accounts import AccountRefused
    from dashboard.writes import accounts

    try:
        if args.users_command == "list":
            return _list_users(session)
        if args.users_command == "link":
            return identity.link(session, args)
        if args.users_command == "add":
            lead_ids = resolve_leads(session, args.lead, args.organisation)
            user = accounts.add_user(
                session=session,
                actor=COMMAND_LINE_ADMIN,
                email=args.email,
                role=args.role,
                lead_ids=lead_ids,
                display_name=args.name,
                password=_read_password() if args.password_stdin else None,
            )
            how = "a password" if user.password_hash else "the organisation's sign-in only"
            print(f"Added {user.email} ({user.display_name}) as {user.role}; signs in with {how}.")
        elif args.users_command == "disable":
            user = accounts.disable_user(
                session=session, actor=COMMAND_LINE_ADMIN, email=args.email
            )
            print(f"Switched off {user.email}: it can no longer sign in.")
        else:
            password = _read_password()
            user = accounts.reset_password(
                session=session, actor=COMMAND_LINE_ADMIN, email=args.email, password=password
            )
            print(f"Set a new password for {user.email}.")
    except AccountRefused as refused:
        print(f"Nothing was changed: {refused}", file=sys.stderr)
        return BAD_INPUT
    return 0


def _list_users(session: Session) -> int:
    from dashboard.reads.accounts import list_users

    people = list_users(session)
    if people.empty:
        print("No accounts yet: the app runs as the local administrator on localhost only.")
        return 0
    for _, row in people.iterrows():
        state = "switched off" if row["disabled"] else "active"
        if not row["disabled"] and row["locked"]:
            state = "locked"
        leads = f"  acts for: {row['leads']}" if row["leads"] else ""
        print(f"{row['email']}  {row['role']}  {state}  {row['name']}{leads}")
    return 0


def _update(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.reads.accounts import actor_for_email
    from dashboard.reads.issues import current_status, issue_id_by_ref
    from dashboard.writes import updates

    found = issue_id_by_ref(session, args.plan, args.ref)
    if found is None:
        print(f"Plan '{args.plan}' has no issue {args.ref}.", file=sys.stderr)
        return BAD_INPUT
    issue_id, version = found
    try:
        actor = actor_for_email(session, args.as_email)
        issue = updates.record_status_change(
            session=session,
            actor=actor,
            issue_id=issue_id,
            status=args.status or current_status(session, issue_id),
            note=args.note,
            expected_version=version,
            own_rag=updates.KEEP_RATING if args.rag is None else _own_rag(args.rag),
        )
    except Refused as refused:
        print(f"Not saved: {refused}", file=sys.stderr)
        return BAD_INPUT
    rating = f" (RAG rating: {issue.own_rag or 'not set'})" if args.rag else ""
    print(f"Saved: issue {issue.ref} of {args.plan} is now {issue.status}{rating}.")
    return 0


def _own_rag(written: str) -> str | None:
    return None if written == NOT_SET else written


def _history(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.formats.sheets import rows_to_csv
    from dashboard.formats.words import plural
    from dashboard.reads.issues import DUE_DATE_KIND, HISTORY_COLUMNS, history_rows, plan_exists

    if args.plan and not plan_exists(session, args.plan):
        print(f"No plan has the slug '{args.plan}'.", file=sys.stderr)
        return BAD_INPUT
    rows = history_rows(session, args.plan)
    text = rows_to_csv(rows, HISTORY_COLUMNS)
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    Path(args.out).write_text(text, encoding="utf-8")
    moves = sum(1 for row in rows if row["kind"] == DUE_DATE_KIND)
    print(
        f"Wrote {plural(len(rows) - moves, 'status change')} and "
        f"{plural(moves, 'due-date change')} to {args.out}."
    )
    return 0


COMMANDS = {
    "demo": _demo,
    "migrate": _migrate,
    "seed": _seed,
    "plans": _plans,
    "export": _export,
    "import": _import,
    "users": _users,
    "update": _update,
    "history": _history,
    **levels.COMMANDS,
    **meetings.COMMANDS,
    **plan_edits.COMMANDS,
    **publish.COMMANDS,
}
