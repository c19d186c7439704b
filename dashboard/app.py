"""Entry point: `streamlit run dashboard/app.py` (what `make run` does). Streamlit finds the
`st.App` below and serves it (its "starlette-app" mode): the page script
dashboard/main_script.py, wrapped in the server's own checks from dashboard/ui/server.py:

- every HTTP request and WebSocket handshake whose Host is not an allowed name is refused (DNS
  rebinding); Streamlit's `server.allowedHosts` is set to the same names for its WebSocket;
  while server.address is loopback, so is every connection that arrived from the network;
- every response carries the security headers (Content-Security-Policy and the rest);
- /healthz (the process is up) and /readyz (the database answers);
- an exception that escapes the script is shown as one calm sentence (dashboard/ui/faults.py);
- the app's own browser scripts (/eflg/menu.js: a choice in the menu closes it on a phone);
- at start-up, before the first request is answered, the libraries, the database and a first
  chart are warmed (dashboard/ui/warmup.py), so the first visitor does not wait for them.

`uvicorn dashboard.app:app` serves the same app from another ASGI server.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from streamlit import config

from dashboard.store.settings import SettingsError
from dashboard.ui import faults, server, warmup
from dashboard.ui.engine import settings

MAIN_SCRIPT = Path(__file__).resolve().parent / "main_script.py"


ADDRESS = config.get_option("server.address")


def _hosts() -> tuple[str, ...]:
    try:
        named = settings().allowed_hosts
    except SettingsError:  # the page script says what is wrong; meanwhile this machine's names
        named = ()
    return server.allowed_hosts(named, ADDRESS)


HOSTS = _hosts()


def _streamlit_checks_hosts_too() -> None:
    config.set_option("server.allowedHosts", list(HOSTS))


_streamlit_checks_hosts_too()
# Again whenever Streamlit re-reads its config files (it watches them while it runs); HostCheck
# refuses a wrong Host on the WebSocket too, so the two never depend on each other.
config.on_config_parsed(_streamlit_checks_hosts_too, force_connect=True)


@asynccontextmanager
async def lifespan(_app: st.App) -> AsyncIterator[None]:
    """Warm up before the first request is answered (in a worker thread: imports and drawing
    block), then serve."""
    await run_in_threadpool(warmup.warm_up)
    yield


app = st.App(
    MAIN_SCRIPT,
    lifespan=lifespan,
    routes=server.ROUTES,
    middleware=server.middleware(HOSTS, ADDRESS),
    on_script_error=faults.on_script_error,
)
