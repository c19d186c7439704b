"""Reads of accounts: who an account acts as (the Actor the writes see), for a local sign-in, an
OIDC identity or the command line's --as, and whether a sign-in made earlier still holds; the
accounts and leads for the Users screen; and lead names resolved to ids. (An organisation
sign-in is matched, and linked at its first use, by dashboard.writes.accounts.actor_from_claims.)"""

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from sqlalchemy import func
from sqlmodel import Session, col, select

from dashboard.rules.accounts import AccountRefused, locked, signed_out_since
from dashboard.rules.names import name_key
from dashboard.rules.permissions import Actor
from models import Lead, LeadAlias, Organisation, Role, User, UserLead, pk, utcnow


def user_by_email(session: Session, email: str) -> User | None:
    """The account with this (already normalised) e-mail address, as the database has it now."""
    return session.exec(
        select(User).where(User.email == email).execution_options(populate_existing=True)
    ).first()


def user_by_identity(session: Session, issuer: str, subject: str) -> User | None:
    """The account linked to this organisation sign-in (its issuer and subject), as it is now."""
    return session.exec(
        select(User)
        .where(User.oidc_issuer == issuer, User.oidc_subject == subject)
        .execution_options(populate_existing=True)
    ).first()


def lead_ids_of(session: Session, user_id: int) -> list[int]:
    """The leads an account acts for."""
    return list(session.exec(select(UserLead.lead_id).where(UserLead.user_id == user_id)).all())


def actor_for_user(session: Session, user: User) -> Actor:
    """The Actor the write functions see for an account: its role and the leads it acts for."""
    return Actor(
        name=user.display_name,
        role=Role(user.role),
        user_id=user.id,
        email=user.email,
        lead_ids=frozenset(lead_ids_of(session, pk(user))),
    )


def active_actor(session: Session, user_id: int, signed_in_at: datetime | None) -> Actor | None:
    """The Actor for a local sign-in made at `signed_in_at`, or None when it no longer holds: the
    account was removed or switched off, signed out since (on any server) or given a new
    password."""
    user = session.get(User, user_id, populate_existing=True)
    if user is None or user.disabled or signed_out_since(user.signed_out_at, signed_in_at):
        return None
    return actor_for_user(session, user)


def actor_for_email(session: Session, email: str) -> Actor:
    """The Actor of an active account (for the command line's --as)."""
    user = user_by_email(session, email.strip().lower())
    if user is None or user.disabled:
        raise AccountRefused(f"There is no active account for {email.strip()}.")
    return actor_for_user(session, user)


def users_exist(session: Session) -> bool:
    return session.exec(select(func.count()).select_from(User)).one() > 0


def resolve_leads(
    session: Session, names: Sequence[str], organisation: str | None = None
) -> list[int]:
    """Lead ids for names or aliases (case-insensitive); a name found in several organisations
    needs `organisation`."""
    ids: list[int] = []
    for name in names:
        key = name_key(name)
        query = (
            select(Lead.id, Organisation.name)
            .join(Organisation, col(Lead.organisation_id) == Organisation.id)
            .outerjoin(LeadAlias, col(LeadAlias.lead_id) == Lead.id)
            .where((func.lower(col(Lead.name)) == key.lower()) | (col(LeadAlias.alias_key) == key))
            .distinct()
        )
        if organisation:
            query = query.where(func.lower(col(Organisation.name)) == name_key(organisation))
        found = session.exec(query).all()
        if not found:
            where = f" in {organisation}" if organisation else ""
            raise AccountRefused(f"No lead is called '{name}'{where}.")
        if len(found) > 1:
            organisations = "; ".join(sorted(org for _, org in found))
            raise AccountRefused(
                f"'{name}' is a lead in more than one organisation ({organisations}). "
                "Say which with --organisation."
            )
        lead_id = found[0][0]
        if lead_id is not None and lead_id not in ids:
            ids.append(lead_id)
    return ids


def list_users(session: Session, now: datetime | None = None) -> pd.DataFrame:
    """One row per account with the leads it acts for, in e-mail order."""
    now = now or utcnow()
    users = session.exec(select(User).order_by(col(User.email))).all()
    leads: dict[int, list[str]] = {}
    for user_id, lead_name in session.exec(
        select(UserLead.user_id, Lead.name)
        .join(Lead, col(UserLead.lead_id) == Lead.id)
        .order_by(col(Lead.name))
    ).all():
        leads.setdefault(user_id, []).append(lead_name)
    rows = [
        {
            "email": u.email,
            "name": u.display_name,
            "role": u.role,
            "leads": " / ".join(leads.get(pk(u), [])),
            "lead_ids": sorted(lead_ids_of(session, pk(u))),
            "password": u.password_hash is not None,
            "linked": u.oidc_subject is not None,  # an organisation sign-in is linked to it
            "disabled": u.disabled,
            "locked": locked(u, now),
            "locked_until": u.locked_until if locked(u, now) else None,
            "last_sign_in": u.last_sign_in,
        }
        for u in users
    ]
    columns = [
        "email",
        "name",
        "role",
        "leads",
        "lead_ids",
        "password",
        "linked",
        "disabled",
        "locked",
        "locked_until",
        "last_sign_in",
    ]
    return pd.DataFrame(rows, columns=columns)


def lead_choices(session: Session) -> pd.DataFrame:
    """Every lead with its organisation, for pickers: lead_id, name, organisation."""
    rows = session.exec(
        select(Lead.id, Lead.name, Organisation.name)
        .join(Organisation, col(Lead.organisation_id) == Organisation.id)
        .order_by(col(Organisation.name), col(Lead.name))
    ).all()
    return pd.DataFrame(rows, columns=["lead_id", "name", "organisation"])
