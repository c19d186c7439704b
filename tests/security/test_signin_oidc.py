"""Red team, organisation sign-in (OIDC): an account is matched on the identity provider's issuer
and subject, linked by e-mail only when the provider vouches for that e-mail; a sign-in ends on
the server when its person signs out, is switched off or has a new password."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from dashboard.reads.accounts import active_actor
from dashboard.rules.accounts import SignInExpired, SignInRefused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN, Actor
from dashboard.writes import accounts
from models import Role, User, utcnow

ISSUER = "https://login.example-council.gov.uk/v2.0"
NOW = utcnow().replace(microsecond=0)
NOT_MATCHED = "Your organisation's sign-in worked, but it does not match an account"
SIGN_IN_AGAIN = "Please sign in again."
ADMIN_EMAIL = "lead@council.gov.uk"
OFFICER_EMAIL = "asha.patel@council.gov.uk"


def claims(
    sub: str,
    email: str | None = None,
    *,
    verified: object = True,
    iss: str = ISSUER,
    issued: datetime = NOW - timedelta(minutes=1),
    **extra: Any,
) -> dict[str, Any]:
    """What st.user holds after a sign-in at the provider (the ID token's claims)."""
    found: dict[str, Any] = {
        "is_logged_in": True,
        "iss": iss,
        "sub": sub,
        "aud": "eflg-dashboard",
        "iat": int(issued.timestamp()),
        "exp": int((issued + timedelta(hours=1)).timestamp()),
        **extra,
    }
    if email is not None:
        found["email"] = email
    if verified is not None:
        found["email_verified"] = verified
    return found


@pytest.fixture
def people(session: Session) -> Session:
    """The equality lead (admin) and an officer, both added for organisation sign-in only."""
    for email, role in ((ADMIN_EMAIL, "admin"), (OFFICER_EMAIL, "viewer")):
        accounts.add_user(session=session, actor=COMMAND_LINE_ADMIN, email=email, role=role)
    return session


def sign_in(
    session: Session, found: dict[str, Any], *, unknown_email: str = "refuse", at: datetime = NOW
) -> Actor:
    return accounts.actor_from_claims(
        session=session, claims=found, unknown_email=unknown_email, now=at
    )


def refused(session: Session, found: dict[str, Any], **kwargs: Any) -> str:
    with pytest.raises(SignInRefused) as refusal:
        sign_in(session, found, **kwargs)
    return str(refusal.value)


def links(session: Session) -> dict[str, tuple[str | None, str | None]]:
    rows = session.exec(
        select(User.email, User.oidc_issuer, User.oidc_subject).execution_options(
            populate_existing=True
        )
    ).all()
    return {email: (issuer, subject) for email, issuer, subject in rows}


@pytest.mark.parametrize(
    "verified",
    [
        pytest.param(False, id="email_verified false"),
        pytest.param("false", id="email_verified 'false'"),
        pytest.param(None, id="no email_verified (e.g. Entra ID)"),
        pytest.param(1, id="email_verified 1"),
    ],
)
def test_unvouched_email_does_not_sign_in_as_the_admin(people: Session, verified: object) -> None:
    """Anyone can type the lead's address at a permissive provider."""
    message = refused(people, claims("mallory", ADMIN_EMAIL, verified=verified))
    assert message.startswith(NOT_MATCHED)
    assert links(people)[ADMIN_EMAIL] == (None, None)


def test_first_verified_sign_in_links_and_then_the_email_no_longer_matters(
    people: Session,
) -> None:
    actor = sign_in(people, claims("asha-1", OFFICER_EMAIL))
    assert (actor.email, actor.role) == (OFFICER_EMAIL, Role.VIEWER)
    assert links(people)[OFFICER_EMAIL] == (ISSUER, "asha-1")
    # The officer changes her e-mail at the provider to the lead's (verified there): still her.
    again = sign_in(people, claims("asha-1", ADMIN_EMAIL))
    assert (again.email, again.role) == (OFFICER_EMAIL, Role.VIEWER)
    assert links(people)[ADMIN_EMAIL] == (None, None)


def test_identity_of_another_account_never_takes_over_this_one(people: Session) -> None:
    sign_in(people, claims("lead-1", ADMIN_EMAIL))  # the lead's own first sign-in
    # Another identity, verified for the lead's address at the same provider.
    message = refused(people, claims("mallory", ADMIN_EMAIL))
    assert message.startswith(NOT_MATCHED)
    assert links(people)[ADMIN_EMAIL] == (ISSUER, "lead-1")


def test_same_subject_at_another_issuer_is_another_person(people: Session) -> None:
    sign_in(people, claims("lead-1", ADMIN_EMAIL))
    message = refused(people, claims("lead-1", ADMIN_EMAIL, iss="https://evil.example"))
    assert message.startswith(NOT_MATCHED)
    assert links(people)[ADMIN_EMAIL] == (ISSUER, "lead-1")


def test_unknown_email_reads_as_viewer_only_when_verified(people: Session) -> None:
    viewer = sign_in(people, claims("new-1", "new@council.gov.uk"), unknown_email="viewer")
    assert viewer.role is Role.VIEWER and viewer.user_id is None
    for found in (
        claims("new-2", "other@council.gov.uk", verified=False),
        claims("mallory", ADMIN_EMAIL, verified=False),  # not the admin, not even a viewer
    ):
        assert refused(people, found, unknown_email="viewer").startswith(NOT_MATCHED)
    assert links(people)[ADMIN_EMAIL] == (None, None)


@pytest.mark.parametrize(
    "hostile",
    [
        pytest.param({"sub": "lead\x00-1"}, id="NUL in sub"),
        pytest.param({"sub": "s" * 10_000}, id="10,000-character sub"),
        pytest.param({"sub": 12345}, id="sub not text"),
        pytest.param({"sub": ""}, id="empty sub"),
        pytest.param({"iss": None}, id="no issuer"),
        pytest.param({"iss": "https://login.example\x00"}, id="NUL in issuer"),
    ],
)
def test_hostile_identity_is_refused_plainly(people: Session, hostile: dict[str, Any]) -> None:
    found = claims("lead-1", ADMIN_EMAIL)
    found.update(hostile)
    found = {key: value for key, value in found.items() if value is not None}
    assert refused(people, found).startswith("Your organisation's sign-in")
    assert links(people)[ADMIN_EMAIL] == (None, None)


@pytest.mark.parametrize(
    "email",
    [
        pytest.param("lead\x00@council.gov.uk", id="NUL"),
        pytest.param("l" * 10_000 + "@council.gov.uk", id="10,000 characters"),
    ],
)
def test_hostile_email_claim_is_refused_plainly(people: Session, email: str) -> None:
    assert refused(people, claims("lead-1", email)).startswith(NOT_MATCHED)
    assert links(people)[ADMIN_EMAIL] == (None, None)


def test_copied_claims_after_sign_out_are_refused(people: Session) -> None:
    """Someone copied the cookie (the claims it carries) before the lead signed out."""
    found = claims("lead-1", ADMIN_EMAIL)
    actor = sign_in(people, found)
    assert actor.user_id is not None
    accounts.sign_out(session=people, actor=actor, now=NOW + timedelta(minutes=5))
    with pytest.raises(SignInExpired, match=SIGN_IN_AGAIN):
        sign_in(people, found, at=NOW + timedelta(minutes=6))
    without_iat = {key: value for key, value in found.items() if key != "iat"}
    with pytest.raises(SignInExpired, match=SIGN_IN_AGAIN):
        sign_in(people, without_iat, at=NOW + timedelta(minutes=6))
    # Signing in again at the provider gives a newer token: that one is let in.
    fresh = claims("lead-1", ADMIN_EMAIL, issued=NOW + timedelta(minutes=7))
    assert sign_in(people, fresh, at=NOW + timedelta(minutes=8)).user_id == actor.user_id


def test_switched_off_account_is_refused_even_when_linked(people: Session) -> None:
    found = claims("asha-1", OFFICER_EMAIL)
    sign_in(people, found)
    accounts.disable_user(session=people, actor=COMMAND_LINE_ADMIN, email=OFFICER_EMAIL)
    message = refused(people, found, at=NOW + timedelta(minutes=1))
    assert message.startswith(NOT_MATCHED) or SIGN_IN_AGAIN in message
    assert "switched off" not in message


def test_local_session_ends_when_the_password_is_reset(session: Session) -> None:
    """A live local sign-in (another browser, another server) ends with a new password."""
    accounts.add_user(
        session=session,
        actor=COMMAND_LINE_ADMIN,
        email=OFFICER_EMAIL,
        role="viewer",
        password="correct horse battery",
    )
    from .test_signin_lockout import SETTINGS

    signed_in_at = NOW
    actor = accounts.sign_in(
        session=session,
        email=OFFICER_EMAIL,
        password="correct horse battery",
        settings=SETTINGS,
        now=signed_in_at,
    )
    assert actor.user_id is not None
    assert active_actor(session, actor.user_id, signed_in_at) is not None
    accounts.reset_password(
        session=session,
        actor=COMMAND_LINE_ADMIN,
        email=OFFICER_EMAIL,
        password="a new long passphrase",
        now=NOW + timedelta(minutes=1),
    )
    assert active_actor(session, actor.user_id, signed_in_at) is None
