"""Command line: `users link EMAIL --issuer ISS --subject SUB`, an equality lead linking a
person's organisation sign-in (OIDC) to their account, for a provider that does not vouch for
e-mail addresses (Entra ID sends no `email_verified`)."""

import argparse
import sys

from sqlmodel import Session

from dashboard.cli.output import BAD_INPUT
from dashboard.rules.permissions import COMMAND_LINE_ADMIN


def add_parser(actions: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    link = actions.add_parser(
        "link", help="link an organisation sign-in (issuer and subject) to an account"
    )
    link.add_argument("email")
    link.add_argument("--issuer", required=True, help="the token's `iss`, e.g. Entra ID's URL")
    link.add_argument("--subject", required=True, help="the token's `sub` for this person")


def link(session: Session, args: argparse.Namespace) -> int:
    from dashboard.rules.accounts import AccountRefused
    from dashboard.writes.accounts import link_identity

    try:
        user = link_identity(
            session=session,
            actor=COMMAND_LINE_ADMIN,
            email=args.email,
            issuer=args.issuer,
            subject=args.subject,
        )
    except AccountRefused as refused:
        print(f"Nothing was changed: {refused}", file=sys.stderr)
        return BAD_INPUT
    print(f"Linked {user.email} to the sign-in {user.oidc_subject} at {user.oidc_issuer}.")
    return 0
