"""Red team, `python -m dashboard users link`: an equality lead links a person's organisation
sign-in (issuer and subject) to their account, for a provider that does not vouch for e-mail
addresses (Entra ID); one sign-in belongs to one account, and hostile values are refused
plainly, with nothing changed."""

import io
from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from dashboard.cli.main import main
from dashboard.cli.output import BAD_INPUT
from dashboard.rules.accounts import SignInRefused
from dashboard.rules.permissions import COMMAND_LINE_ADMIN
from dashboard.writes import accounts
from models import User

from .test_signin_oidc import ISSUER, NOT_MATCHED, claims

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(
    engine: Engine,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Run:
    """The command line on the test database, with two accounts for organisation sign-in."""
    monkeypatch.setenv("EFLG_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    for email, role in (("lead@council.gov.uk", "admin"), ("asha.patel@council.gov.uk", "viewer")):
        accounts.add_user(session=session, actor=COMMAND_LINE_ADMIN, email=email, role=role)

    def invoke(*argv: str) -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return invoke


def links(session: Session) -> dict[str, tuple[str | None, str | None]]:
    rows = session.exec(
        select(User.email, User.oidc_issuer, User.oidc_subject).execution_options(
            populate_existing=True
        )
    ).all()
    return {email: (issuer, subject) for email, issuer, subject in rows}


def test_entra_style_sign_in_works_only_once_linked(run: Run, session: Session) -> None:
    """No email_verified in the token: refused until the lead links the subject."""
    entra = claims("AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", "asha.patel@council.gov.uk")
    del entra["email_verified"]
    with pytest.raises(SignInRefused, match=NOT_MATCHED):
        accounts.actor_from_claims(session=session, claims=entra, unknown_email="refuse")
    code, out, _ = run(
        "users", "link", "asha.patel@council.gov.uk", "--issuer", ISSUER, "--subject", entra["sub"]
    )
    assert code == 0 and "Linked asha.patel@council.gov.uk" in out
    actor = accounts.actor_from_claims(session=session, claims=entra, unknown_email="refuse")
    assert actor.email == "asha.patel@council.gov.uk"


def test_a_sign_in_linked_to_one_account_cannot_be_linked_to_another(
    run: Run, session: Session
) -> None:
    assert (
        run("users", "link", "asha.patel@council.gov.uk", "--issuer", ISSUER, "--subject", "s")[0]
        == 0
    )
    code, out, err = run(
        "users", "link", "lead@council.gov.uk", "--issuer", ISSUER, "--subject", "s"
    )
    assert code == BAD_INPUT
    assert "already linked to asha.patel@council.gov.uk" in err and "Traceback" not in err
    assert links(session)["lead@council.gov.uk"] == (None, None)


@pytest.mark.parametrize(
    ("issuer", "subject", "words"),
    [
        pytest.param(ISSUER, "s" * 256, "at most 255 characters", id="256-character subject"),
        pytest.param("i" * 301, "s", "at most 300 characters", id="301-character issuer"),
        pytest.param(ISSUER, "a\x00b", "must be some text", id="NUL in subject"),
        pytest.param("  ", "s", "must be some text", id="blank issuer"),
    ],
)
def test_hostile_link_is_refused_plainly(
    run: Run, session: Session, issuer: str, subject: str, words: str
) -> None:
    code, out, err = run(
        "users", "link", "lead@council.gov.uk", "--issuer", issuer, "--subject", subject
    )
    assert code == BAD_INPUT
    assert err.startswith("Nothing was changed:") and words in err
    assert "Traceback" not in err + out
    assert links(session)["lead@council.gov.uk"] == (None, None)
