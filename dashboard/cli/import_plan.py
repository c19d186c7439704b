"""`python -m dashboard import PATH ...` for any plan file (a council's own layout or a file
written by `export`): parse --map, run the one importer, report."""

import argparse
import sys

from sqlmodel import Session

from dashboard.cli.output import BAD_INPUT, report
from dashboard.formats.headers import Field, parse_field
from dashboard.formats.sheets import ImportFileError
from dashboard.rules.errors import Refused
from dashboard.rules.permissions import Actor, PermissionDenied
from dashboard.writes.import_plan import ImportOptions, run_import


def parse_mapping(entries: list[str]) -> dict[str, Field]:
    """'Source header=field' entries as a mapping; Refused names an entry it cannot read."""
    mapping: dict[str, Field] = {}
    for entry in entries:
        header, sep, name = entry.rpartition("=")
        field = parse_field(name) if sep else None
        if not header.strip() or field is None:
            choices = "; ".join(f.value for f in Field)
            raise Refused(
                f"--map '{entry}' is not understood. Write it as 'Header in the file=field', "
                f"where the field is one of: {choices}."
            )
        mapping[header.strip()] = field
    return mapping


def import_command(session: Session, args: argparse.Namespace, *, actor: Actor) -> int:
    """Run the import the command line asked for; 0 when done, 2 when nothing was imported."""
    try:
        mapping = parse_mapping(args.map or [])
        data = args.path.read_bytes()
    except Refused as exc:
        print(f"Nothing was imported: {exc}", file=sys.stderr)
        return BAD_INPUT
    except OSError as exc:
        print(
            f"Nothing was imported: the file {args.path} could not be read: {exc.strerror}.",
            file=sys.stderr,
        )
        return BAD_INPUT
    options = ImportOptions(
        sheet=args.sheet,
        mapping=mapping,
        plan_slug=args.plan,
        new_plan_title=args.new_plan_title,
        organisation=args.organisation,
        framework=args.framework,
        level=args.level,
    )
    try:
        result = run_import(
            session,
            data,
            args.path.name,
            actor=actor,
            options=options,
            dry_run=args.dry_run,
            progress=_progress if len(data) > 1_000_000 else None,
        )
    except (ImportFileError, PermissionDenied) as exc:
        print(f"Nothing was imported: {exc}", file=sys.stderr)
        return BAD_INPUT
    if report(result) != 0:
        return BAD_INPUT
    if result.applied and result.plan_slug:
        print(f"The plan's short name is '{result.plan_slug}'.")
    return 0


def _progress(share: float, text: str) -> None:
    print(f"{round(share * 100):3d}% {text}", file=sys.stderr)
