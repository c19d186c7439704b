"""Command line for meetings and packs: `meetings record|list` and `pack --format pptx|pdf|xlsx`."""

import argparse
import sys
from datetime import date
from pathlib import Path

from sqlmodel import Session

from dashboard.cli.output import BAD_INPUT
from dashboard.formats import words
from dashboard.rules.dates import uk_today
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, PermissionDenied
from dashboard.store.settings import Settings

PACK_FORMATS = ("pdf", "pptx", "xlsx")


def add_parsers(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    group = commands.add_parser("meetings", help="record a meeting (freezes a snapshot) or list")
    actions = group.add_subparsers(dest="meetings_command", required=True)
    record = actions.add_parser("record", help="record a meeting and freeze every issue's state")
    record.add_argument("--body", required=True, help="e.g. 'Corporate Management Team'")
    record.add_argument("--title", required=True, help="e.g. 'CMT quarterly update'")
    record.add_argument("--date", required=True, help="the day it was held, YYYY-MM-DD")
    actions.add_parser("list", help="list the meetings recorded, newest first")
    pack = commands.add_parser("pack", help="write a meeting pack: PowerPoint, PDF or Excel")
    pack.add_argument("--format", choices=PACK_FORMATS, required=True)
    pack.add_argument("--out", required=True, type=Path, help="file to write")
    pack.add_argument("--plan", help="the plan (its slug; default: the first plan)")
    pack.add_argument(
        "--since", type=int, help="compare with this meeting (its number; default: the latest)"
    )
    pack.add_argument(
        "--hide-people", action="store_true", help="show individual officers as 'Named officer'"
    )


def _meetings(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.reads import meetings
    from dashboard.writes.meetings import record_meeting

    if args.meetings_command == "list":
        held = meetings.meetings(session)
        if held.empty:
            print("No meetings recorded yet.")
        for number, held_on, body, title in zip(
            held["meeting_id"], held["held_on"], held["body"], held["title"], strict=True
        ):
            print(f"{number:>4}  {words.format_day(held_on)}  {body}: {title}")
        return 0
    try:
        held_on = date.fromisoformat(args.date)
    except ValueError:
        print("The date must be written as YYYY-MM-DD, for example 2026-11-23.", file=sys.stderr)
        return BAD_INPUT
    try:
        meeting = record_meeting(
            session=session,
            actor=COMMAND_LINE_ADMIN,
            body=args.body,
            title=args.title,
            held_on=held_on,
            today=uk_today(),
            amber_days=settings.rag_amber_days,
        )
    except (meetings.MeetingError, PermissionDenied) as refused:
        print(f"Not recorded: {refused}", file=sys.stderr)
        return BAD_INPUT
    print(f"Recorded meeting {meeting.id}: {meeting.title}, {words.format_day(held_on)}.")
    return 0


def _pack(session: Session, args: argparse.Namespace, settings: Settings) -> int:
    from dashboard.reads import meetings, progress
    from dashboard.reports.packs import gather
    from dashboard.reports.packs.files import BUILDERS

    plans = progress.plans(session)
    if plans.empty:
        print("No plans yet. Run `python -m dashboard seed` or import one.", file=sys.stderr)
        return BAD_INPUT
    chosen = plans[plans["slug"] == args.plan] if args.plan else plans.head(1)
    if chosen.empty:
        print(f"No plan has the slug '{args.plan}'.", file=sys.stderr)
        return BAD_INPUT
    held = meetings.meetings(session)
    since = args.since
    if since is not None and since not in set(held["meeting_id"]):
        print(f"No meeting has the number {since} (see `meetings list`).", file=sys.stderr)
        return BAD_INPUT
    if since is None and not held.empty:
        since = int(held["meeting_id"].iloc[0])
    data = gather.pack_data(
        session,
        int(chosen["plan_id"].iloc[0]),
        since,
        uk_today(),
        settings.rag_amber_days,
        args.hide_people,
    )
    args.out.write_bytes(BUILDERS[args.format](data))
    print(f"Wrote the {args.format.upper()} pack for {data.plan_title} to {args.out}.")
    return 0


COMMANDS = {"meetings": _meetings, "pack": _pack}
