"""The published equality information, served read-only at /published/ with no sign-in: the list
of every published version, and each version's pages, open data and PDF at /published/N/. Only
versions kept in the archive are served, drawn from what was kept, never from the live plan; a
draft is never served. /published/latest/PLAN/NATION/ always leads to the newest one, for a
council's website to link to."""

from functools import lru_cache
from typing import Final

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from dashboard.reads import publication as reads
from dashboard.reports.publication import site
from dashboard.rules.publication import nation
from dashboard.ui.engine import session

PUBLISHED_PATH: Final = "/published"
NOT_FOUND: Final = (
    "There is no published equality information at this address. The list of everything "
    "published is at /published/."
)
_TYPES: Final = {
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "pdf": "application/pdf",
}
# A published version never changes, so a browser or proxy may keep it for a day.
_KEEP: Final = {"Cache-Control": "public, max-age=86400"}


def _not_found() -> Response:
    return PlainTextResponse(NOT_FOUND, status_code=404)


async def not_found(_request: Request) -> Response:
    return _not_found()


def _archive() -> bytes:
    with session() as db:
        versions = [(f"{row.id}/", row.content) for row, _ in reads.published(db)]
    return site.archive_page(versions).encode("utf-8")


@lru_cache(maxsize=64)
def _drawn(number: int, kept_at: str, name: str) -> bytes | None:
    """One file of a version known to be published, kept at `kept_at` (drawn once: the version
    never changes)."""
    with session() as db:
        row = reads.version(db, number)
        assert row is not None
        content = row.content
    return site.one_file(content, name)


def _file(number: int, name: str) -> bytes | None:
    """One file of a published version; None when there is no such version (never kept, so a
    version published later is found)."""
    with session() as db:
        row = reads.version(db, number)
        if row is None:
            return None
        kept_at = row.at.isoformat()
    return _drawn(number, kept_at, name)


async def archive(_request: Request) -> Response:
    body = await run_in_threadpool(_archive)
    return Response(body, media_type=_TYPES["html"], headers={"Cache-Control": "no-cache"})


async def to_archive(_request: Request) -> Response:
    return RedirectResponse(f"{PUBLISHED_PATH}/", status_code=308)


async def to_version(request: Request) -> Response:
    return RedirectResponse(f"{PUBLISHED_PATH}/{request.path_params['number']}/", status_code=308)


async def version_file(request: Request) -> Response:
    number: int = request.path_params["number"]
    name: str = request.path_params.get("name") or "index.html"
    if name not in site.FILE_NAMES:
        return _not_found()
    body = await run_in_threadpool(_file, number, name)
    if body is None:
        return _not_found()
    kind = _TYPES[name.rsplit(".", 1)[-1]]
    headers = dict(_KEEP)
    if not name.endswith(".html"):
        headers["Content-Disposition"] = f'inline; filename="{name}"'
    return Response(body, media_type=kind, headers=headers)


def _latest_number(plan_slug: str, written_nation: str) -> int | None:
    try:
        chosen = nation(written_nation)
    except ValueError:
        return None
    with session() as db:
        row = reads.latest(db, plan_slug, chosen)
        return row.id if row is not None else None


async def latest(request: Request) -> Response:
    number = await run_in_threadpool(
        _latest_number, request.path_params["plan"], request.path_params["nation"]
    )
    if number is None:
        return _not_found()
    return RedirectResponse(f"{PUBLISHED_PATH}/{number}/", status_code=307)


ROUTES: Final[list[BaseRoute]] = [
    Route(PUBLISHED_PATH, to_archive, methods=["GET", "HEAD"]),
    Route(f"{PUBLISHED_PATH}/", archive, methods=["GET", "HEAD"]),
    Route(f"{PUBLISHED_PATH}/latest/{{plan}}/{{nation}}/", latest, methods=["GET", "HEAD"]),
    Route(f"{PUBLISHED_PATH}/{{number:int}}", to_version, methods=["GET", "HEAD"]),
    Route(f"{PUBLISHED_PATH}/{{number:int}}/", version_file, methods=["GET", "HEAD"]),
    Route(f"{PUBLISHED_PATH}/{{number:int}}/{{name}}", version_file, methods=["GET", "HEAD"]),
    # Anything else under the path is not found (not the app's own page, which Streamlit would
    # send for any address it does not know).
    Route(f"{PUBLISHED_PATH}/{{rest:path}}", not_found, methods=["GET", "HEAD"]),
]
