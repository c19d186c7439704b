"""Sign-in for the Streamlit app (thin UI layer). Until sign-in is configured the embedded
default applies: a single local administrator, shown by a banner."""

import streamlit as st

from models import Role

from .permissions import Actor

LOCAL_ADMIN = Actor(name="Local administrator", role=Role.ADMIN)


def signed_in_actor() -> Actor:
    """The person using the app. (Accounts and OIDC sign-in arrive with the sign-in issue.)"""
    return LOCAL_ADMIN


def account_panel(actor: Actor) -> None:
    """Who is signed in, shown in the sidebar."""
    with st.sidebar:
        st.caption(f"Signed in as {actor.name}")
