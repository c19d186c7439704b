"""What a person sees when something goes wrong on the server: one calm sentence saying what to
do, never a stack trace or Streamlit's own error box; the detail goes to the server log."""

import logging
from typing import Final, NoReturn

import streamlit as st
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from dashboard.formats.markdown import plain
from dashboard.store.settings import SettingsError
from dashboard.ui.engine import DatabaseUnreachable

log = logging.getLogger("eflg")

# The database is down, refuses connections, cannot be opened or written, or the pool is spent.
DATABASE_FAULTS: Final = (
    DatabaseUnreachable,
    OperationalError,
    InterfaceError,
    DisconnectionError,
    PoolTimeout,
)
DATABASE_UNREACHABLE_SHORT: Final = "The dashboard cannot reach its database just now."
DATABASE_UNREACHABLE: Final = (
    DATABASE_UNREACHABLE_SHORT + " Please try again in a few minutes. If it goes on, tell "
    "whoever runs the server that the dashboard cannot use its database; the server log has "
    "the details."
)
UNEXPECTED: Final = (
    "Sorry, something went wrong showing this page. Nothing you entered has been lost. "
    "Please try again; if it happens again, tell your equality lead. "
    "The details have been written to the server log."
)


def is_database_fault(error: BaseException) -> bool:
    return isinstance(error, DATABASE_FAULTS)


def bad_setting(wrong: SettingsError) -> NoReturn:
    """A setting in the server's environment the app cannot use: say which, draw nothing else."""
    log.error("Cannot start: %s", wrong)
    st.error(
        f"The dashboard cannot start: {plain(str(wrong))} "
        "Whoever runs the server can correct it and restart it.",
        icon=":material/error:",
    )
    st.stop()
    raise AssertionError("unreachable")  # st.stop() ends the run


def database_unreachable(fault: BaseException) -> NoReturn:
    """The database cannot be reached: one calm page, the detail in the server log."""
    log.error("The database cannot be reached", exc_info=fault)
    st.error(DATABASE_UNREACHABLE, icon=":material/cloud_off:")
    st.stop()
    raise AssertionError("unreachable")


def show_unexpected(error: BaseException, where: str) -> None:
    """An error nobody expected on a page (or in a button's callback): logged, and one sentence."""
    if is_database_fault(error):
        log.error("The database cannot be reached (%s)", where, exc_info=error)
        st.error(DATABASE_UNREACHABLE, icon=":material/cloud_off:")
        return
    log.error("Unexpected error (%s)", where, exc_info=error)
    st.error(UNEXPECTED, icon=":material/error:")


def on_script_error(error: Exception) -> bool:
    """st.App's hook for an exception that escaped the script (a widget callback, a fragment,
    the script's own start): shown as a sentence instead of Streamlit's box. Streamlit has
    already written the traceback to the log. True: Streamlit shows nothing of its own."""
    try:
        if is_database_fault(error):
            st.error(DATABASE_UNREACHABLE, icon=":material/cloud_off:")
        else:
            st.error(UNEXPECTED, icon=":material/error:")
    except Exception:  # noqa: BLE001 - no page to draw on: the log has it, show nothing raw
        log.exception("Could not show the error message")
    return True
