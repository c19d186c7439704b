"""The web server around the Streamlit script (dashboard/app.py hands these to `st.App`): the host
check against DNS rebinding, the security headers on every response, the health routes, and the
local sign-in and sign-out: the sign-in form posts to /account/sign-in, which checks the password
(dashboard.writes.accounts.sign_in), starts a new server-side session and sets its cookie
(HttpOnly, SameSite=Lax, Secure over HTTPS), then sends the browser back where it was;
/account/sign-out ends the session and clears the cookie.

Plain ASGI middleware (not Starlette's BaseHTTPMiddleware), so it sees every HTTP request and the
WebSocket handshake, and wraps Streamlit's own routes, static files and error responses alike.
"""

import base64
import hashlib
import ipaddress
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import streamlit
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard.formats import bars, tables
from dashboard.reports import charts
from dashboard.rules.accounts import (
    SIGN_IN_CROSS_SITE,
    SignInRefused,
    is_loopback,
    safe_return_path,
)
from dashboard.rules.permissions import Actor
from dashboard.store.settings import Settings, SettingsError
from dashboard.ui import faults, published
from dashboard.ui.engine import engine, session, settings
from dashboard.writes.accounts import (
    end_session,
    end_stale_sessions,
    session_actor,
    sign_in,
    sign_out,
    start_session,
)

log = logging.getLogger("eflg.server")

# This machine's own names: always answered to (the embedded administrator runs only on them).
LOOPBACK_HOSTS: Final = ("localhost", "127.0.0.1", "::1")

WRONG_HOST: Final = (
    "This dashboard does not answer to that address. Open it at the address you were given "
    "for it; whoever runs the server can add an address with EFLG_ALLOWED_HOSTS."
)
THIS_COMPUTER_ONLY: Final = (
    "This dashboard answers on the computer it runs on only. Whoever runs the server can set "
    "the address it listens on (server.address) to open it to the network."
)
SERVER_FAULT: Final = (
    "Sorry, the server could not answer this request. The details have been written to the "
    "server log."
)
RUNNING: Final = "The dashboard is running."
READY: Final = "The dashboard is running and its database answers."
NOT_READY_SETTINGS: Final = (
    "The dashboard is running but one of its settings cannot be used (the server log says which)."
)


def allowed_hosts(extra: Iterable[str], address: str | None) -> tuple[str, ...]:
    """The host names the server answers to: this machine's, its configured address (when it is
    one name, not "every interface") and the EFLG_ALLOWED_HOSTS names."""
    hosts = list(LOOPBACK_HOSTS)
    listening = (address or "").strip().strip("[]").lower()
    if listening and listening not in ("0.0.0.0", "::"):
        hosts.append(listening)
    hosts += extra
    return tuple(dict.fromkeys(hosts))


def host_name(header: str | None) -> str | None:
    """The host name in a Host header ("Localhost:8501" → "localhost", "[::1]:8501" → "::1"), or
    None when the header is missing or is anything but a name and an optional port."""
    if not header:
        return None
    try:
        parts = urlsplit(f"//{header}")
        _ = parts.port  # a port that is not a number in range raises ValueError
    except ValueError:
        return None
    if (
        parts.hostname is None
        or parts.username is not None
        or parts.password is not None
        or parts.path
        or parts.query
        or parts.fragment
        or not re.fullmatch(r"[a-z0-9.\-:_]+", parts.hostname)
    ):
        return None
    return parts.hostname.rstrip(".")


def host_allowed(header: str | None, allowed: Iterable[str]) -> bool:
    """True when the Host header names one of `allowed` ("*.example.gov.uk" is any name under
    example.gov.uk, as in Streamlit's own server.allowedHosts)."""
    name = host_name(header)
    if name is None:
        return False
    for pattern in allowed:
        if pattern.startswith("*."):
            if name.endswith(pattern[1:]):
                return True
        elif name == pattern:
            return True
    return False


def _arrived_from_outside(scope: Scope) -> bool:
    """True when the connection came in on a network interface other than loopback (the local
    address it reached, not the client's, which a proxy header could rewrite)."""
    local = scope.get("server")
    if not local:
        return False  # a Unix socket: only this machine can reach it
    try:
        return not ipaddress.ip_address(str(local[0])).is_loopback
    except ValueError:
        return False


class HostCheck:
    """Refuses every HTTP request and WebSocket handshake whose Host header is not an allowed
    name: a web page on another name that resolves to this server (DNS rebinding) gets a plain
    400, and its WebSocket is closed before Streamlit opens a session.

    With `local_only` (server.address is localhost or a loopback address, as for the first-run
    local administrator) a connection that arrived on any other interface is refused too: the
    Host header is the client's to choose, and another ASGI server (`uvicorn --host 0.0.0.0`)
    may listen wider than server.address says."""

    def __init__(self, app: ASGIApp, *, hosts: Iterable[str], local_only: bool = False) -> None:
        self.app = app
        self.hosts = tuple(hosts)
        self.local_only = local_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host")
        if self.local_only and _arrived_from_outside(scope):
            log.warning("Refused a %s request from %s: this computer only", scope["type"],
                        (scope.get("client") or ("?",))[0])  # fmt: skip
            await self._refuse(scope, receive, send, THIS_COMPUTER_ONLY)
            return
        if host_allowed(host, self.hosts):
            await self.app(scope, receive, send)
            return
        log.warning("Refused a %s request for host %r (not allowed)", scope["type"], host)
        await self._refuse(scope, receive, send, WRONG_HOST)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, sentence: str) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting: the server answers the handshake with HTTP 403.
            await send({"type": "websocket.close", "code": 1008})
            return
        await PlainTextResponse(sentence, status_code=400)(scope, receive, send)


def _inline_script_hashes() -> tuple[str, ...]:
    """CSP hashes of the inline scripts in Streamlit's index page (one line that sets
    `window.prerenderReady`); read from the installed Streamlit, so an upgrade keeps working."""
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    try:
        page = index.read_text(encoding="utf-8")
    except OSError:
        return ()
    bodies = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, flags=re.S)
    return tuple(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in bodies
    )


_SCRIPT_HASHES: Final = _inline_script_hashes()
# A Host header fit to be written into the policy (the host check has already refused others).
_PLAIN_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def content_security_policy(host: str | None) -> str:
    """What the browser may load: only this server's own scripts, styles, images, fonts and
    connections. No remote image, script, frame or form target; no framing by other sites.

    - style-src 'unsafe-inline': Streamlit's frontend (Emotion) writes its styles into <style>
      elements at run time, and the app's own st.html blocks carry <style>; styles cannot run code.
    - script-src has no 'unsafe-inline' and no 'unsafe-eval': only Streamlit's own bundle, the
      app's own script files (SCRIPTS, served from this server) and the one inline line of
      Streamlit's index page (by hash). Charts are drawn on the server (vl-convert) and
      arrive as images, so no Vega code runs in the browser and nothing needs eval (checked in
      Chromium: every page renders with no violation reported, tests/e2e/test_csp.py).
      'wasm-unsafe-eval' lets WebAssembly be compiled, never JavaScript text: Streamlit's
      protobuf bundle (Long.js) compiles a tiny module for 64-bit arithmetic on every page; it
      falls back to plain JavaScript without it, but the refusal is reported as a violation.
    - img-src data: blob:: the favicon and the charts are data: images.
    - connect-src: this server, including its WebSocket (ws:/wss: are named because older
      browsers do not count them as 'self').
    """
    connect = ["'self'"]
    if host and _PLAIN_HOST.fullmatch(host):
        connect += [f"ws://{host}", f"wss://{host}"]
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'wasm-unsafe-eval'", *_SCRIPT_HASHES],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": connect,
        "media-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


SECURITY_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


class SecurityHeaders:
    """Adds the security headers to every HTTP response that passes through it, Streamlit's own
    included; an exception that escapes the app becomes a plain 500 that carries them too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = content_security_policy(Headers(scope=scope).get("host"))
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            log.exception("Unexpected error answering %s %s", scope.get("method"), scope["path"])
            if started:
                raise
            fault = PlainTextResponse(SERVER_FAULT, status_code=500)
            await fault(scope, receive, send_with_headers)


# ---------------------------------------------------------------- the app's own scripts

# Scripts of the app's own, each a file of dashboard/ui/assets served at its path here (so the
# policy's script-src 'self' allows it) and named in a <script src> on every page Streamlit
# serves (`ScriptTags`): st.html drops <script> elements, and the page cannot run inline code.
SCRIPTS: Final[list[str]] = [
    "/eflg/present-keys.js",  # presentation mode: arrow keys and clickers move between slides
    "/eflg/menu.js",  # a choice in the menu closes it on a phone
]
ASSETS: Final = Path(__file__).resolve().parent / "assets"


def _asset(path: str) -> Path:
    """The file of one of SCRIPTS (its address's last part, in ASSETS)."""
    return ASSETS / path.rsplit("/", 1)[-1]


# Each script's address carries a digest of its file (?v=…), so the browser may keep it for a
# year without asking again (a page load then waits for nothing of ours), and a changed file
# has a new address.
VERSIONS: Final[dict[str, str]] = {
    path: hashlib.sha256(_asset(path).read_bytes()).hexdigest()[:12] for path in SCRIPTS
}
KEPT_FOR_A_YEAR: Final = "public, max-age=31536000, immutable"

# The app's own styles, one stylesheet named in the head of every page, beside the SCRIPTS: in
# place before the first element arrives, kept by the browser (its address carries a digest), and
# sent once, not with every run of every page (as an st.html <style> block, it came with each run
# and was laid over the page as its elements were being drawn, which held up the first screen:
# measured, README → Performance).
STYLESHEET: Final = "/eflg/app.css"
APP_CSS: Final = (
    # WCAG 2.2 target size (2.5.8): the day/month/year parts of Streamlit's date field are
    # smaller than 24 by 24 pixels; give each part that much room.
    "[data-testid='stDateInput'] [role='spinbutton']"
    "{display:inline-block;min-width:24px;min-height:24px;text-align:center;}"
    # Less empty space above the title (Streamlit leaves 6rem), so a first screen holds more;
    # still clear of the 3.75rem bar at the top. (Streamlit's own styles come after these in the
    # page: a rule here that overrides one of them needs the weightier selector.)
    "[data-testid='stMain'] [data-testid='stMainBlockContainer']{padding-top:4rem;}"
    + tables.STYLE
    + bars.STYLE
    + charts.STYLE
)
STYLESHEET_VERSION: Final = hashlib.sha256(APP_CSS.encode()).hexdigest()[:12]


# Parts of Streamlit's own page that it loads only when a page first draws one: every st.html
# (the overview's bars and every table), a download button, a menu link. Loaded as the page
# loads, while it waits for the server, they are ready when the first elements arrive; left to
# Streamlit, each is fetched and run only then, behind the drawing of everything else, and the
# first screen's bars came last (measured: README → Performance). Each is a file of the installed
# Streamlit whose name carries a digest, found by its name's start (a test checks each is there).
STREAMLIT_PARTS: Final = (
    "Html",
    "purify.es",
    "DownloadButton",
    "createDownloadLinkElement",
    "PageLink",
)
STREAMLIT_JS: Final = Path(streamlit.__file__).resolve().parent / "static" / "static" / "js"


def streamlit_part(name: str) -> str | None:
    """The file name of one of STREAMLIT_PARTS in the installed Streamlit, if there is one."""
    found = sorted(path.name for path in STREAMLIT_JS.glob(f"{name}.*.js"))
    return found[0] if len(found) == 1 else None


EARLY_PARTS: Final = tuple(
    file for file in (streamlit_part(name) for name in STREAMLIT_PARTS) if file is not None
)


def script_tags(scripts: Iterable[str] = SCRIPTS) -> bytes:
    """The <script> elements for `scripts` and for Streamlit's EARLY_PARTS, relative (like
    Streamlit's own) so a proxy that serves the app under a path of its own keeps them working.
    (A part named here is the same module Streamlit imports later, so it runs once.)"""
    parts = "".join(
        f'<script type="module" crossorigin src="./static/js/{file}"></script>'
        for file in EARLY_PARTS
    )
    return (
        f'<link rel="stylesheet" href=".{STYLESHEET}?v={STYLESHEET_VERSION}">'
        + parts
        + "".join(f'<script src=".{path}?v={VERSIONS[path]}" defer></script>' for path in scripts)
    ).encode()


def with_scripts(page: bytes, scripts: Iterable[str] = SCRIPTS) -> bytes:
    """An HTML page with the script elements added at the end of its head (unchanged when it
    has no head)."""
    end = page.find(b"</head>")
    return page if end < 0 else page[:end] + script_tags(scripts) + page[end:]


def _kept_if_asked_by(request: Request, version: str) -> dict[str, str]:
    """A file of the app's own is kept only when asked for by this version's address (?v=…):
    asked for by any other, it is checked every time."""
    kept = request.query_params.get("v") == version
    return {"Cache-Control": KEPT_FOR_A_YEAR if kept else "no-cache"}


async def script_file(request: Request) -> Response:
    """One of SCRIPTS, as JavaScript (the browser refuses a script of any other type, with
    X-Content-Type-Options: nosniff)."""
    path = request.url.path
    wanted = next((s for s in SCRIPTS if path.endswith(s)), None)
    if wanted is None:
        return PlainTextResponse("Not found", status_code=404)
    body = _asset(wanted).read_bytes()
    headers = _kept_if_asked_by(request, VERSIONS[wanted])
    return Response(body, media_type="text/javascript", headers=headers)


async def stylesheet(request: Request) -> Response:
    """The app's own styles (APP_CSS), as CSS; kept like the scripts, by its versioned address."""
    headers = _kept_if_asked_by(request, STYLESHEET_VERSION)
    return Response(APP_CSS, media_type="text/css", headers=headers)


class ScriptTags:
    """Adds the SCRIPTS, the STYLESHEET and Streamlit's EARLY_PARTS (`script_tags`) to every
    HTML page the server sends (Streamlit's index page, which it serves for every page's
    address). A browser asking for a page is answered uncompressed
    (its Accept-Encoding is dropped: the index page is a few kilobytes), so the page can be
    read and changed; anything else passes through untouched."""

    def __init__(self, app: ASGIApp, *, scripts: Iterable[str] = SCRIPTS) -> None:
        self.app = app
        self.tags = tuple(scripts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        if (
            headers is None
            or not self.tags
            or scope.get("method") != "GET"
            or scope["path"].startswith(published.PUBLISHED_PATH)  # static pages: no scripts
            or "text/html" not in headers.get("accept", "")
        ):
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        start: Message | None = None
        body: list[bytes] = []

        async def send_with_scripts(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = MutableHeaders(scope=message)
                if kind.get("content-type", "").startswith("text/html") and not kind.get(
                    "content-encoding"
                ):
                    start = message  # held until the whole page has arrived
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                page = with_scripts(b"".join(body), self.tags)
                MutableHeaders(scope=start)["content-length"] = str(len(page))
                await send(start)
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, send_with_scripts)


def middleware(hosts: Iterable[str], address: str | None) -> list[Middleware]:
    """Outermost first: the headers go on every response, the host check's refusals included;
    then the app's own scripts go into its pages. `address` is server.address: a loopback one
    keeps the server to this computer."""
    check = Middleware(HostCheck, hosts=tuple(hosts), local_only=is_loopback(address))
    return [Middleware(SecurityHeaders), check, Middleware(ScriptTags)]


async def healthz(_request: Request) -> Response:
    """The process is up and answering (no database needed)."""
    return PlainTextResponse(RUNNING)


def _database_answers() -> None:
    with engine().connect() as connection:
        connection.execute(text("SELECT 1"))


async def readyz(_request: Request) -> Response:
    """The database answers (200), or a plain sentence with 503; the detail goes to the log."""
    try:
        await run_in_threadpool(_database_answers)
    except SettingsError as wrong:
        log.error("Not ready: %s", wrong)
        return PlainTextResponse(NOT_READY_SETTINGS, status_code=503)
    except Exception as fault:
        log.error("Not ready: the database does not answer", exc_info=fault)
        return PlainTextResponse(faults.DATABASE_UNREACHABLE_SHORT, status_code=503)
    return PlainTextResponse(READY)


# ---------------------------------------------------------------- local sign-in

SIGN_IN_PATH: Final = "/account/sign-in"
SIGN_OUT_PATH: Final = "/account/sign-out"
SESSION_COOKIE: Final = "eflg_session"  # the session's random token (HttpOnly)
# What the last sign-in attempt of this browser came to, for the page to say ("refused"); kept
# a few seconds only, so a reload later does not say it again.
NOTICE_COOKIE: Final = "eflg_sign_in"
NOTICE_REFUSED: Final = "refused"
NOTICE_DATABASE: Final = "database"  # the database could not be reached
NOTICE_FAULT: Final = "fault"  # anything else went wrong (the server log has it)
NOTICE_SIGNED_OUT: Final = "signed-out"
_NOTICE_SECONDS: Final = 15
_LONGEST_FIELD: Final = 4000  # characters: an e-mail, a password or a return address is less


def came_over_https(request: Request, trusted_proxies: Iterable[str]) -> bool:
    """True when the browser's request was HTTPS: to this server itself, or to a reverse proxy
    on this machine or at one of `trusted_proxies` that says so in X-Forwarded-Proto (anyone
    else could write that header)."""
    if request.url.scheme in ("https", "wss"):
        return True
    client = request.client.host if request.client else ""
    try:
        trusted = ipaddress.ip_address(client).is_loopback or client in set(trusted_proxies)
    except ValueError:
        trusted = False
    forwarded = request.headers.get("x-forwarded-proto", "")
    return trusted and forwarded.split(",")[0].strip().lower() == "https"


def same_origin(request: Request) -> bool:
    """True when a form post came from a page of this very site: its Origin (or, from a browser
    that sends none, its Referer) names the host the request was sent to. A post with neither is
    refused: every browser this dashboard supports sends Origin with a form post."""
    host = (request.headers.get("host") or "").lower()
    source = request.headers.get("origin")
    if not source or source == "null":
        source = request.headers.get("referer")
    if not source or not host:
        return False
    try:
        parts = urlsplit(source)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host


def _field(form: object, name: str) -> str:
    value = form.get(name) if hasattr(form, "get") else None
    return value[:_LONGEST_FIELD] if isinstance(value, str) else ""


def _signed_in(email: str, password: str, replacing: str | None) -> tuple[Actor, str, Settings]:
    current = settings()
    with session() as db:
        actor = sign_in(session=db, email=email, password=password, settings=current)
        token = start_session(session=db, actor=actor, replacing=replacing)
        end_stale_sessions(session=db, settings=current)
    return actor, token, current


def _with_notice(response: Response, notice: str) -> Response:
    response.set_cookie(
        NOTICE_COOKIE, notice, max_age=_NOTICE_SECONDS, httponly=True, samesite="lax"
    )
    return response


async def sign_in_route(request: Request) -> Response:
    """The local sign-in form's post: refused outright from another site (CSRF); otherwise the
    browser goes back to the page it was on (`next`, a path on this site only), signed in with a
    new session, or told on that page that the sign-in was refused. The password is never
    logged, put in an address or kept."""
    if not same_origin(request):
        log.warning("Refused a sign-in posted from another site (Origin %r, Referer %r)",
                    request.headers.get("origin"), request.headers.get("referer"))  # fmt: skip
        return PlainTextResponse(SIGN_IN_CROSS_SITE, status_code=403)
    form = await request.form(max_files=0, max_fields=10, max_part_size=_LONGEST_FIELD)
    back = safe_return_path(_field(form, "next")) or "/"
    email, password = _field(form, "email"), _field(form, "password")
    del form
    response = RedirectResponse(back, status_code=303)
    try:
        actor, token, current = await run_in_threadpool(
            _signed_in, email, password, request.cookies.get(SESSION_COOKIE)
        )
    except SignInRefused:
        log.info("A local sign-in was refused")
        return _with_notice(response, NOTICE_REFUSED)
    except Exception as error:  # said on the page as one calm sentence; the detail is logged
        log.error("A local sign-in could not be made", exc_info=error)
        fault = NOTICE_DATABASE if faults.is_database_fault(error) else NOTICE_FAULT
        return _with_notice(response, fault)
    secure = came_over_https(request, current.trusted_proxies)
    log.info("Local sign-in of account %s", actor.user_id)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=current.session_hours * 3600,
        path="/",
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    response.delete_cookie(NOTICE_COOKIE, httponly=True, samesite="lax")
    return response


def _signed_out(token: str | None) -> None:
    current = settings()
    with session() as db:
        actor = session_actor(session=db, token=token, settings=current)
        end_session(session=db, token=token)
        if actor is not None:
            sign_out(session=db, actor=actor)


async def sign_out_route(request: Request) -> Response:
    """The sidebar's Sign out (a form post from this site only): the session ends on the server,
    with every other sign-in of the account, and the browser's cookie is cleared."""
    if not same_origin(request):
        return PlainTextResponse(SIGN_IN_CROSS_SITE, status_code=403)
    await run_in_threadpool(_signed_out, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")
    return _with_notice(response, NOTICE_SIGNED_OUT)


ROUTES: Final[list[BaseRoute]] = [
    Route("/healthz", healthz, methods=["GET", "HEAD"]),
    Route("/readyz", readyz, methods=["GET", "HEAD"]),
    Route(SIGN_IN_PATH, sign_in_route, methods=["POST"]),
    Route(SIGN_OUT_PATH, sign_out_route, methods=["POST"]),
    *(Route(path, script_file, methods=["GET", "HEAD"]) for path in SCRIPTS),
    Route(STYLESHEET, stylesheet, methods=["GET", "HEAD"]),
    *published.ROUTES,
]
