"""Cached reads: any read `(session, *hashable_args)` kept by Streamlit until the next write.

A page writes `cached(progress.themes)(plan_id)`: the session is opened here, the result is kept
per arguments (`st.cache_data`) and forgotten by `after_write` or when another process wrote.
"""

import functools
import inspect
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

import streamlit as st
from sqlmodel import Session

from dashboard.store.db import data_version
from dashboard.ui.engine import session, settings

P = ParamSpec("P")
R = TypeVar("R")

_cached: dict[Callable[..., Any], Callable[..., Any]] = {}


def cached(read: Callable[Concatenate[Session, P], R]) -> Callable[P, R]:
    """`read` without its session argument, its results kept per arguments until a write."""
    known = _cached.get(read)
    if known is None:

        @functools.wraps(read)
        def run(*args: Any, **kwargs: Any) -> Any:
            with session() as db:
                return read(db, *args, **kwargs)

        # Streamlit names a cache by the function's module, name and source, which `wraps`
        # copies from `read`; the signature without the session names the arguments it keys on.
        signature = inspect.signature(read)
        run.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=list(signature.parameters.values())[1:]
        )
        known = _cached[read] = st.cache_data(show_spinner=False)(run)
    return cast(Callable[P, R], known)


def after_write() -> None:
    """Forget every cached read so the next screen shows the change just saved."""
    st.cache_data.clear()


@st.cache_resource(show_spinner=False)
def _versions_seen() -> dict[str, int]:
    return {}


def refresh_if_data_changed() -> None:
    """Called once per page run: when anything was written since this server last looked (by
    another server, the command line or an import), forget the cached reads. One tiny query."""
    url = settings().database_url
    with session() as db:
        version = data_version(db)
    seen = _versions_seen()
    if seen.get(url) != version:
        if url in seen:
            st.cache_data.clear()
        seen[url] = version
