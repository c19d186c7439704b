"""Sign-in for the Streamlit app (thin UI layer over dashboard.writes.accounts and the reads and
rules of accounts).

Three modes, decided on every run:
- an `[auth]` table in .streamlit/secrets.toml: sign-in through the organisation's identity
  provider (st.login), the e-mail mapped to an account;
- accounts in the database: a sign-in form for local accounts;
- neither: the embedded default, a single local administrator, allowed only while the server
  listens on this machine alone.
"""

import streamlit as st

from dashboard.reads.accounts import active_actor, actor_from_claims, users_exist
from dashboard.rules.accounts import ROLE_WORDS, SignInExpired, SignInRefused, is_loopback
from dashboard.rules.permissions import Actor
from dashboard.ui.engine import session, settings
from dashboard.writes.accounts import sign_in
from models import Role, utcnow

LOCAL_ADMIN = Actor(name="Local administrator", role=Role.ADMIN)
_USER_KEY = "eflg_user_id"
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
        where = f"the address {address}" if address else "every network address"
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


def _local_actor() -> Actor:
    user_id = st.session_state.get(_USER_KEY)
    if isinstance(user_id, int):
        with session() as db:
            actor = active_actor(db, user_id)
        if actor is not None:
            return actor
        del st.session_state[_USER_KEY]
    st.title("Sign in")
    st.write("Sign in to see and update the equality action plans.")
    with st.form("sign_in"):
        email = st.text_input("E-mail address", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            with session() as db:
                actor = sign_in(session=db, email=email, password=password, settings=settings())
        except SignInRefused as refused:
            st.error(str(refused), icon=":material/error:")
        else:
            st.session_state[_USER_KEY] = actor.user_id
            st.rerun()
    st.caption("Forgotten your password? Ask your equality lead to reset it.")
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


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
    except SignInExpired:
        st.logout()
        st.stop()
    except SignInRefused as refused:
        st.title("You cannot use this dashboard yet")
        st.error(str(refused), icon=":material/block:")
        if st.button("Sign out"):
            st.logout()
        st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def account_panel(actor: Actor) -> None:
    """Who is signed in and in what role, with a way to sign out, in the sidebar."""
    with st.sidebar:
        st.caption(f"Signed in as {actor.name} · {ROLE_WORDS[actor.role]}")
        if actor == LOCAL_ADMIN:
            return
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            st.session_state.pop(_USER_KEY, None)
            st.session_state.pop(_ACTOR_KEY, None)
            if oidc_configured():
                st.logout()
            st.rerun()
