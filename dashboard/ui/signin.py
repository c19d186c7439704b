"""Sign-in for the Streamlit app (thin UI layer over dashboard.writes.accounts and the reads and
rules of accounts).

Three modes, decided on every run:
- an `[auth]` table in .streamlit/secrets.toml: sign-in through the organisation's identity
  provider (st.login), the token's issuer and subject matched to an account;
- accounts in the database: a sign-in form for local accounts. In the browser it is a plain
  HTML form that posts to the server's /account/sign-in route (dashboard/ui/server.py), which
  sets an HttpOnly session cookie; every run reads that cookie (st.context.cookies) and finds
  the account from its session in the database, so a reload, a new tab or a shared link stays
  signed in, on every server. Where no HTTP request stands behind the run (Streamlit's AppTest)
  the same fields are a Streamlit form and the sign-in lasts for the Streamlit session only;
- neither: the embedded default, a single local administrator, allowed only while the server
  listens on this machine alone.

Every run checks in the database that the sign-in still holds (the account signed out, was
switched off or had its password reset since: it is over, on every server). Names and e-mail
addresses are shown through dashboard.formats.markdown.plain, never as Markdown.
"""

import html
import shlex
from urllib.parse import urlencode, urlsplit

import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.reads.accounts import active_actor, users_exist
from dashboard.rules.accounts import (
    ROLE_WORDS,
    SIGNED_OUT,
    SignInExpired,
    SignInRefused,
    claims_identity,
    is_loopback,
    safe_return_path,
    sign_in_refused,
)
from dashboard.rules.permissions import Actor
from dashboard.ui import faults, server
from dashboard.ui.engine import session, settings
from dashboard.writes.accounts import (
    actor_from_claims,
    end_session,
    session_actor,
    sign_in,
    sign_out,
)
from models import Role, utcnow

LOCAL_ADMIN = Actor(name="Local administrator", role=Role.ADMIN)
_USER_KEY = "eflg_user_id"
_SIGNED_IN_AT_KEY = "eflg_signed_in_at"  # when this session's local sign-in was made
_ACTOR_KEY = "eflg_actor"
ADD_ACCOUNTS = "python -m dashboard users add YOUR-EMAIL --role admin --password-stdin"


def oidc_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] table (sign-in through st.login)."""
    try:
        return st.secrets.load_if_toml_exists() and "auth" in st.secrets
    except Exception:  # an unreadable secrets file is reported by Streamlit itself
        return False


def signed_in_actor() -> Actor:
    """The person using the app; draws the sign-in screen and stops when nobody is signed in."""
    if oidc_configured():
        actor = _oidc_actor()
    else:
        with session() as db:
            have_accounts = users_exist(db)
        actor = _local_actor() if have_accounts else _embedded_admin()
    st.session_state[_ACTOR_KEY] = actor
    return actor


def current_actor() -> Actor:
    """The actor signed in by app.py on this run (pages call this)."""
    actor = st.session_state.get(_ACTOR_KEY)
    if not isinstance(actor, Actor):
        st.error("Please sign in again.")
        st.stop()
    return actor


def _embedded_admin() -> Actor:
    address = st.get_option("server.address")
    if not is_loopback(address):
        where = f"the address {plain(address)}" if address else "every network address"
        st.title("Sign-in is not set up")
        st.error(
            f"This dashboard is listening on {where}, but no accounts and no organisation "
            "sign-in are set up, so anyone who can reach it could change the plans. "
            "It will not start like this.",
            icon=":material/lock:",
        )
        st.markdown(
            "Either add accounts (run `" + ADD_ACCOUNTS + "` on the server), set up sign-in "
            "with your organisation's identity provider in `.streamlit/secrets.toml`, or run "
            "it on this computer only with `--server.address localhost`."
        )
        st.stop()
    st.warning(
        "Running as the local administrator: no accounts are set up yet. Anyone who can open "
        "this address can change the plans. Add accounts with `" + ADD_ACCOUNTS + "`.",
        icon=":material/warning:",
    )
    return LOCAL_ADMIN


def _session_token() -> str | None:
    token = st.context.cookies.get(server.SESSION_COOKIE)
    return token if isinstance(token, str) and token else None


def _over_http() -> bool:
    """True when this run stands behind a browser's HTTP connection (not Streamlit's AppTest),
    so a form can post to the server's sign-in route and the browser keeps its cookie."""
    return bool(st.context.headers.get("host"))


def return_path() -> str:
    """The page and parameters this run shows ("/issue?issue=24"): where the browser goes back
    to after signing in. Only a path on this site."""
    path = urlsplit(st.context.url or "/").path or "/"
    query = urlencode(
        [(key, value) for key in st.query_params for value in st.query_params.get_all(key)]
    )
    return safe_return_path(f"{path}?{query}" if query else path) or "/"


def _local_actor() -> Actor:
    ended = False
    token = _session_token()
    if token is not None:
        with session() as db:
            actor = session_actor(session=db, token=token, settings=settings())
        if actor is not None:
            return actor
        ended = True
    user_id = st.session_state.get(_USER_KEY)
    if isinstance(user_id, int):
        with session() as db:
            actor = active_actor(db, user_id, st.session_state.get(_SIGNED_IN_AT_KEY))
        if actor is not None:
            return actor
        _forget_sign_in()
        ended = True
    st.title("Sign in")
    notice = st.context.cookies.get(server.NOTICE_COOKIE)
    if notice == server.NOTICE_REFUSED:
        refused = sign_in_refused(settings().lockout_attempts, settings().lockout_minutes)
        st.error(refused, icon=":material/error:")
    elif notice == server.NOTICE_DATABASE:
        st.error(faults.DATABASE_UNREACHABLE, icon=":material/cloud_off:")
    elif notice == server.NOTICE_FAULT:
        st.error(faults.UNEXPECTED, icon=":material/error:")
    elif ended or notice == server.NOTICE_SIGNED_OUT:
        st.info(SIGNED_OUT, icon=":material/logout:")
    st.write("Sign in to see and update the equality action plans.")
    if _over_http():
        _posted_form()
    else:
        _in_page_form()
    st.caption("Forgotten your password? Ask your equality lead to reset it.")
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


# The form posts to the server (no script: the app's CSP allows none, and form-action 'self').
# The button in the theme's primary colour (GOV.UK blue, 5.2:1 against its white text).
_FORM_STYLE = (
    "<style>.eflg-sign-in{display:flex;flex-direction:column;gap:.5rem;max-width:28rem;"
    "padding:1rem;border:1px solid rgba(49,51,63,.2);border-radius:.5rem}"
    ".eflg-sign-in input{font:inherit;padding:.5rem;border:1px solid #8a8d96;"
    "border-radius:.4rem;min-height:24px}"
    ".eflg-sign-in button{font:inherit;align-self:flex-start;padding:.4rem 1rem;"
    "border-radius:.5rem;border:1px solid #1d70b8;background:#1d70b8;color:#fff;"
    "cursor:pointer;min-height:24px}</style>"
)


def _posted_form() -> None:
    back = html.escape(return_path(), quote=True)
    st.html(
        _FORM_STYLE + f'<form class="eflg-sign-in" method="post" action="{server.SIGN_IN_PATH}">'
        '<label for="eflg-email">E-mail address</label>'
        '<input id="eflg-email" name="email" type="email" autocomplete="username" required>'
        '<label for="eflg-password">Password</label>'
        '<input id="eflg-password" name="password" type="password" '
        'autocomplete="current-password" required>'
        f'<input type="hidden" name="next" value="{back}">'
        '<button type="submit">Sign in</button></form>'
    )


def _in_page_form() -> None:
    """The sign-in where no form can post to the server (Streamlit's AppTest): it lasts for
    this Streamlit session only."""
    with st.form("sign_in"):
        email = st.text_input("E-mail address", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        signed_in_at = utcnow()
        try:
            with session() as db:
                actor = sign_in(
                    session=db,
                    email=email,
                    password=password,
                    settings=settings(),
                    now=signed_in_at,
                )
        except SignInRefused as refused:
            st.error(str(refused), icon=":material/error:")
        else:
            st.session_state[_USER_KEY] = actor.user_id
            st.session_state[_SIGNED_IN_AT_KEY] = signed_in_at
            st.rerun()


def _oidc_actor() -> Actor:
    if not st.user.is_logged_in:
        st.title("Sign in")
        st.write("Sign in with your organisation's account to see and update the plans.")
        if st.button("Sign in", type="primary"):
            st.login()
        st.stop()
    claims = st.user.to_dict()
    try:
        with session() as db:
            return actor_from_claims(
                session=db, claims=claims, unknown_email=settings().unknown_email, now=utcnow()
            )
    except SignInExpired as expired:  # or signed out since: this browser's cookie is cleared
        st.title("Sign in")
        st.info(str(expired), icon=":material/logout:")
        st.logout()
        st.stop()
    except SignInRefused as refused:
        st.title("You cannot use this dashboard yet")
        st.error(str(refused), icon=":material/block:")
        if identity := claims_identity(claims):
            st.write(
                "If your equality lead links your organisation sign-in to your account, "
                "this is the command they need (with your e-mail address):"
            )
            issuer, subject = identity
            st.code(
                "python -m dashboard users link YOUR-EMAIL "
                f"--issuer {shlex.quote(issuer)} --subject {shlex.quote(subject)}",
                language=None,
            )
        if st.button("Sign out"):
            st.logout()
        st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def account_panel(actor: Actor) -> None:
    """Who is signed in and in what role, with a way to sign out, in the sidebar. Signing out
    is recorded on the server: every sign-in of the account made before it ends. With a session
    cookie it is a form posted to the server, which also clears the cookie."""
    with st.sidebar:
        st.caption(f"Signed in as {plain(actor.name)} · {ROLE_WORDS[actor.role]}")
        if actor == LOCAL_ADMIN:
            return
        if _session_token() is not None and not oidc_configured():
            st.html(
                f'<form method="post" action="{server.SIGN_OUT_PATH}">'
                '<button type="submit" class="eflg-sign-out">Sign out</button></form>'
                "<style>.eflg-sign-out{font:inherit;padding:.25rem .75rem;min-height:24px;"
                "border:1px solid rgba(49,51,63,.3);border-radius:.5rem;background:transparent;"
                "color:inherit;cursor:pointer}</style>"
            )
            return
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            with session() as db:
                end_session(session=db, token=_session_token())
                sign_out(session=db, actor=actor)
            _forget_sign_in()
            st.session_state.pop(_ACTOR_KEY, None)
            if oidc_configured():
                # The browser goes to clear its cookie; a rerun here could drop that redirect.
                st.logout()
                st.stop()
            st.rerun()


def _forget_sign_in() -> None:
    st.session_state.pop(_USER_KEY, None)
    st.session_state.pop(_SIGNED_IN_AT_KEY, None)
