"""Users (equality leads only): who can sign in, their role and the services they act for."""

from typing import Any

import pandas as pd
import streamlit as st

from dashboard.formats.markdown import plain
from dashboard.formats.words import time_text
from dashboard.reads.accounts import lead_choices, list_users
from dashboard.rules.accounts import ROLE_WORDS, check_password
from dashboard.rules.errors import Refused
from dashboard.ui import signin, widgets
from dashboard.ui.engine import session
from dashboard.writes import accounts
from models import Role

actor = signin.current_actor()
st.title("Users")
if not actor.is_admin:
    st.error("Only an equality lead (administrator) can manage users.")
    widgets.stop()

if flash := st.session_state.pop("users_flash", None):
    st.success(flash, icon=":material/check_circle:")

with session() as db:
    people = list_users(db)
    leads = lead_choices(db)
lead_words = {
    int(r["lead_id"]): f"{r['name']} ({r['organisation']})" for r in leads.to_dict("records")
}
signs_in_with_provider = signin.oidc_configured()


def when(value: Any) -> str:
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    return time_text(stamp.to_pydatetime())


def state(row: pd.Series) -> str:
    if row.disabled:
        return "Switched off"
    if row.locked:
        return f"Locked until {when(row.locked_until)}"
    return "Active"


st.write(
    "People sign in "
    + (
        "with your organisation's account. Their first sign-in finds their account by an "
        "e-mail address the organisation vouches for, and links that sign-in to it for good; "
        "for a provider that does not vouch for e-mail addresses (such as Entra ID), link "
        "each person with `python -m dashboard users link`."
        if signs_in_with_provider
        else "with their e-mail address and a password set here or on the command line."
    )
)
if people.empty:
    st.info("No accounts yet: the dashboard runs as the local administrator until you add one.")
else:
    shown = pd.DataFrame(
        {
            "Name": people["name"],
            "E-mail": people["email"],
            "Role": [ROLE_WORDS[Role(r)] for r in people["role"]],
            "Acts for": people["leads"],
            "Account": [state(row) for _, row in people.iterrows()],
            "Last signed in": [when(v) for v in people["last_sign_in"]],
        }
    )
    if signs_in_with_provider:
        shown["Organisation sign-in"] = ["Linked" if v else "Not yet" for v in people["linked"]]
    widgets.table(shown, row_headers=True)


class AccountChanged(Refused):
    """Someone else changed an account while this person had its form open."""


def account_state(row: pd.Series) -> tuple[str, tuple[int, ...], bool]:
    """What the change form shows of an account: role, the leads it acts for, switched off."""
    return (str(row["role"]), tuple(sorted(int(i) for i in row["lead_ids"])), bool(row["disabled"]))


def report(error: Refused) -> None:
    st.error(plain(str(error)), icon=":material/error:")  # it may quote what was typed


st.header("Add a person")
with st.form("add_user", clear_on_submit=False):
    email = st.text_input("E-mail address")
    name = st.text_input("Name (as others will see it)")
    role = st.selectbox("Role", list(Role), index=1, format_func=lambda r: ROLE_WORDS[Role(r)])
    chosen = st.multiselect(
        "Services or roles they act for (officers)",
        list(lead_words),
        format_func=lambda i: lead_words[i],
    )
    password = st.text_input(
        "Password (at least 10 characters)"
        + (
            " — not needed when they sign in with the organisation's account"
            if signs_in_with_provider
            else ""
        ),
        type="password",
    )
    added = st.form_submit_button("Add this person", type="primary")
if added:
    assert role is not None  # the choice has a default and cannot be emptied
    try:
        with session() as db:
            user = accounts.add_user(
                session=db,
                actor=actor,
                email=email,
                role=role,
                lead_ids=chosen,
                display_name=name,
                password=password or None,
            )
    except Refused as refused:
        report(refused)
    else:
        st.session_state["users_flash"] = f"{plain(user.display_name)} can now sign in."
        st.rerun()

if not people.empty:
    st.header("Change a person's account")
    who = st.selectbox(
        "Person", list(people["email"]), key="change_who", format_func=lambda e: str(e)
    )
    current = people[people["email"] == who].iloc[0]
    # The account as this form first showed it: a save over a change someone else made since
    # is refused, and the form then shows the account as it is (re-runs leave it as it was:
    # what is typed in a form stays in the browser until it is sent).
    shown_key = f"users_shown_{who}"
    drawn = st.session_state.setdefault(shown_key, account_state(current))
    with st.form(f"change_user_{who}"):
        new_role = st.selectbox(
            "Role",
            list(Role),
            index=list(Role).index(Role(current["role"])),
            format_func=lambda r: ROLE_WORDS[Role(r)],
        )
        new_leads = st.multiselect(
            "Services or roles they act for",
            list(lead_words),
            default=[i for i in current["lead_ids"] if i in lead_words],
            format_func=lambda i: lead_words[i],
        )
        switched_off = st.checkbox("Switched off (cannot sign in)", value=bool(current["disabled"]))
        new_password = st.text_input(
            "New password (leave empty to keep the current one)", type="password"
        )
        changed = st.form_submit_button("Save changes", type="primary")
    if changed:
        try:
            if new_password:
                check_password(new_password)
            with session() as db:
                now = list_users(db)
                if account_state(now[now["email"] == who].iloc[0]) != drawn:
                    raise AccountChanged(
                        f"Someone else changed the account of {who} while you were editing. "
                        "Nothing was saved: the form now shows the account as it is; check it, "
                        "then save again."
                    )
                accounts.update_user(
                    session=db,
                    actor=actor,
                    email=str(who),
                    role=new_role,
                    lead_ids=new_leads,
                    disabled=switched_off,
                )
                if new_password:
                    accounts.reset_password(
                        session=db, actor=actor, email=str(who), password=new_password
                    )
        except AccountChanged as changed_since:
            report(changed_since)
            st.session_state[shown_key] = account_state(current)  # what this run shows
        except Refused as refused:
            report(refused)
        else:
            st.session_state.pop(shown_key, None)
            st.session_state["users_flash"] = f"Saved the changes to {plain(who)}."
            st.rerun()
