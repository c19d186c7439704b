"""Who may do what. Every write function calls these checks itself; pages only mirror them."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from dashboard.rules.errors import Refused
from models import Role


class PermissionDenied(Refused):
    """The signed-in person may not do this; the message says why in plain words."""


@dataclass(frozen=True)
class Actor:
    """The person (or process) doing something, as the write functions see them."""

    name: str
    role: Role
    user_id: int | None = None
    email: str | None = None
    lead_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN


# Used by command-line administration run by whoever has shell access to the server.
COMMAND_LINE_ADMIN = Actor(name="Command line (administrator)", role=Role.ADMIN)


def require_admin(actor: Actor, action: str) -> None:
    if not actor.is_admin:
        raise PermissionDenied(f"Only an equality lead (admin) can {action}.")


def may_update(actor: Actor, issue_lead_ids: Iterable[int]) -> bool:
    """Admins update any issue; officers only issues led by a lead they act for."""
    if actor.is_admin:
        return True
    return actor.role is Role.OFFICER and bool(actor.lead_ids & set(issue_lead_ids))


def require_can_update(actor: Actor, issue_lead_ids: set[int] | frozenset[int], ref: str) -> None:
    """Refused unless the actor `may_update` the issue, saying why."""
    if may_update(actor, issue_lead_ids):
        return
    if actor.role is Role.OFFICER:
        raise PermissionDenied(
            f"You can only update issues led by the services you act for; issue {ref} is not one."
        )
    raise PermissionDenied("Your account can read the plans but not change them.")
