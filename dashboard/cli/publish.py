"""`publish build|list|due|show`: the equality information the Public Sector Equality Duty asks
for, built from the live plan as a folder a web team can publish, and the archive of what was
published."""

import argparse
import getpass
from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlmodel import Session

from dashboard.cli.output import BAD_INPUT, fail
from dashboard.formats.sheets import without_controls
from dashboard.rules.dates import uk_today
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.rules.publication import (
    CHARACTERISTIC_REASON,
    NARRATIVE_SECTIONS,
    REQUIREMENTS,
    Nation,
    nation,
)
from dashboard.store.settings import Settings


def add_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    group = commands.add_parser("publish", help="build or list published equality information")
    actions = group.add_subparsers(dest="publish_command", required=True)
    build = actions.add_parser("build", help="write the publication's folder from the live plan")
    build.add_argument("--plan", required=True, help="the plan's slug")
    build.add_argument("--nation", required=True, choices=[n.value for n in Nation])
    build.add_argument("--out", required=True, type=Path, help="folder to write")
    build.add_argument(
        "--narrative",
        type=Path,
        help="a plain-text file: a line that is a section's name starts it",
    )
    build.add_argument(
        "--reason",
        action="append",
        default=[],
        metavar="ITEM=WHY",
        help="why a checklist item or characteristic is missing "
        "(e.g. pay='Fewer than 150 staff' or 'characteristic:Sex=…')",
    )
    build.add_argument("--from", dest="covers_from", help="first day covered, YYYY-MM-DD")
    build.add_argument("--to", dest="covers_to", help="last day covered, YYYY-MM-DD")
    build.add_argument("--on", dest="published_on", help="publication day (default today)")
    build.add_argument(
        "--show-officers",
        action="store_true",
        help="name officers (hidden by default; their service is shown)",
    )
    build.add_argument(
        "--publish",
        action="store_true",
        help="keep it in the archive as published (only when ready)",
    )
    listing = actions.add_parser("list", help="every published version, newest first")
    listing.add_argument("--plan", help="only this plan")
    due = actions.add_parser("due", help="the next due date of each duty")
    due.add_argument("--plan", required=True)
    due.add_argument("--nation", required=True, choices=[n.value for n in Nation])
    show = actions.add_parser("show", help="write an archived version's folder again")
    show.add_argument("number", type=int, help="its number in `publish list`")
    show.add_argument("--out", required=True, type=Path)


def _day(written: str | None, default: date) -> date:
    if not written:
        return default
    try:
        return date.fromisoformat(written)
    except ValueError:
        raise ValueError(f"“{written}” is not a date written as YYYY-MM-DD.") from None


def read_narrative(text: str, chosen: Nation) -> dict[str, str]:
    """Sections of a plain-text file: a line that is exactly a section's name (any case) starts
    that section; text before the first heading is the Introduction."""
    names = {name.lower(): name for name in NARRATIVE_SECTIONS[chosen]}
    sections: dict[str, list[str]] = {}
    current = NARRATIVE_SECTIONS[chosen][0]
    for line in without_controls(text).splitlines():
        if line.strip().lower() in names:
            current = names[line.strip().lower()]
            continue
        sections.setdefault(current, []).append(line)
    return {name: "\n".join(lines).strip() for name, lines in sections.items()}


def _reasons(written: list[str], chosen: Nation) -> dict[str, str]:
    codes = {r.code for r in REQUIREMENTS[chosen]}
    reasons = {}
    for item in written:
        key, sep, why = item.partition("=")
        key = key.strip()
        if not sep or not why.strip():
            raise ValueError(f"Write a reason as ITEM=WHY, not “{item}”.")
        if key not in codes and not key.startswith(CHARACTERISTIC_REASON):
            raise ValueError(
                f"“{key}” is not a checklist item for {chosen.value}: choose from "
                + ", ".join(sorted(codes))
                + " or characteristic:NAME."
            )
        reasons[key] = why.strip()
    return reasons


def _publish(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.reads import publication as reads
    from dashboard.reports.publication import site
    from dashboard.writes.publication import publish

    today = uk_today()
    if args.publish_command == "list":
        rows = reads.published(session, args.plan)
        if not rows:
            print("Nothing has been published yet.")
        for row, slug in rows:
            print(
                f"{row.id}\t{slug}\t{row.nation}\t{row.published_on:%d/%m/%Y}\t"
                f"covers {row.covers_from:%d/%m/%Y} to {row.covers_to:%d/%m/%Y}\tby {row.by}"
            )
        return 0
    if args.publish_command == "show":
        found = reads.version(session, args.number)
        if found is None:
            return fail(f"Nothing was written: no published version {args.number}.", BAD_INPUT)
        site.write(found.content, args.out)
        print(f"Wrote published version {args.number} to {args.out}.")
        return 0
    chosen = nation(args.nation)
    if args.publish_command == "due":
        for line in reads.due_lines(reads.latest(session, args.plan, chosen), chosen, today):
            print(line)
        return 0
    try:
        last = reads.latest(session, args.plan, chosen)
        plan_id = reads.plan_id(session, args.plan)
        published_on = _day(args.published_on, today)
        # What the equality lead saved on the Publish page, unless the command says otherwise.
        saved = reads.choices_from_draft(
            reads.draft(session, plan_id, chosen), chosen, last, published_on,
            settings.rag_amber_days,
        )  # fmt: skip
        choices = replace(
            saved,
            covers_from=_day(args.covers_from, saved.covers_from),
            covers_to=_day(args.covers_to, saved.covers_to),
            narrative=read_narrative(args.narrative.read_text(encoding="utf-8"), chosen)
            if args.narrative
            else saved.narrative,
            reasons={**saved.reasons, **_reasons(args.reason, chosen)},
            show_officers=args.show_officers or saved.show_officers,
        )
    except reads.NoSuchPlan:
        return fail(f"Nothing was written: there is no plan “{args.plan}”.", BAD_INPUT)
    except UnicodeDecodeError:
        return fail(
            f"Nothing was written: {args.narrative} is not plain text. Save it as plain text "
            "(UTF-8) and try again.",
            BAD_INPUT,
        )
    except OSError as unread:
        return fail(f"Nothing was written: {args.narrative} could not be read "
                    f"({unread.strerror or 'unreadable'}).", BAD_INPUT)  # fmt: skip
    except ValueError as wrong:
        return fail(f"Nothing was written: {wrong}", BAD_INPUT)
    if choices.covers_from > choices.covers_to:
        return fail("Nothing was written: the period covered ends before it starts.", BAD_INPUT)
    content = reads.gather(session, args.plan, choices, last, today)
    if args.publish:
        row = publish(session, content, replace(COMMAND_LINE_ADMIN, name=getpass.getuser()))
        site.write(content, args.out)
        print(f"Published version {row.id} and wrote it to {args.out}.")
        return 0
    site.write(content, args.out, draft=True)
    print(f"Wrote a draft to {args.out}. {content['ready']}.")
    return 0


COMMANDS = {"publish": _publish}
