"""Attacks on the web server itself: DNS rebinding (a page on another host name that resolves to
this machine), responses without their security headers, and a hostile page trying to load
remote images and scripts or to frame the dashboard. One real `streamlit run dashboard/app.py`
for the module, in the first-run mode that matters most (no accounts: whoever reaches it is
the local administrator)."""

import asyncio
import re
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Route
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from dashboard.ui.server import SecurityHeaders
from tests.e2e.browser import StreamlitServer

REFUSED_HOST = "This dashboard does not answer to that address."
EXTRA_HOSTS = " Dashboard.Example.gov.uk , *.council.example,10.9.8.7"  # as typed


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    database = tmp_path_factory.mktemp("server-http") / "eflg.db"
    running = StreamlitServer(f"sqlite:///{database}", {"EFLG_ALLOWED_HOSTS": EXTRA_HOSTS})
    yield running
    running.stop()


class _Attacker:
    """Another origin (127.0.0.1 on its own port, where the app is opened as localhost) that
    counts every request a page makes to it, and serves a page that frames the dashboard."""

    def __init__(self, framed_url: str) -> None:
        self.hits: list[str] = []
        hits, page = self.hits, f'<iframe src="{framed_url}" width="800" height="600"></iframe>'

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                hits.append(self.path)
                body = page.encode() if self.path == "/frame.html" else b"GIF89a"
                self.send_response(200)
                self.send_header("Content-Type", "text/html" if body != b"GIF89a" else "image/gif")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def attacker(server: StreamlitServer) -> Iterator[_Attacker]:
    other = _Attacker(server.url + "/")
    yield other
    other.close()


def _get(server: StreamlitServer, path: str, host: str | None = None) -> httpx.Response:
    headers = {"Host": host} if host else {}
    return httpx.get(f"http://127.0.0.1:{server.port}{path}", headers=headers, timeout=30)


def _raw(server: StreamlitServer, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


def _open_session(server: StreamlitServer, host: str) -> bytes:
    """Open the app's WebSocket as a page served from `host` would (the name resolves to this
    machine: the connection goes to 127.0.0.1, Host and Origin say `host`), ask for a page run
    and return everything the server sends until the run finishes."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    address = f"{host}:{server.port}"
    with connect(
        f"ws://{address}/_stcore/stream", sock=sock, origin=f"http://{address}", open_timeout=30
    ) as websocket:
        rerun = BackMsg()
        rerun.rerun_script.query_string = ""
        rerun.rerun_script.page_script_hash = ""
        websocket.send(rerun.SerializeToString())
        received = b""
        for _ in range(500):
            data = websocket.recv(timeout=60)
            assert isinstance(data, bytes)
            received += data
            message = ForwardMsg()
            message.ParseFromString(data)
            if message.WhichOneof("type") == "script_finished":
                break
        return received


# ------------------------------------------------------------------------------ DNS rebinding


def test_a_page_on_a_rebound_host_name_gets_no_dashboard(server: StreamlitServer) -> None:
    answer = _get(server, "/", host=f"evil.example:{server.port}")
    assert answer.status_code == 400
    assert answer.text.startswith(REFUSED_HOST)
    assert "<script" not in answer.text and "Traceback" not in answer.text
    # The names it should answer to still get the page: its own, and EFLG_ALLOWED_HOSTS's.
    for allowed in (
        "LOCALHOST",
        "127.0.0.1",
        "[::1]",
        "10.9.8.7",
        "dashboard.example.gov.uk",
        "a.council.example",
    ):
        page = _get(server, "/", host=f"{allowed}:{server.port}")
        assert page.status_code == 200 and "<script" in page.text, allowed


@pytest.mark.parametrize(
    "host",
    [
        "localhost.evil.example",  # an allowed name as the start of another
        "127.0.0.1.nip.io",  # a public name that resolves to 127.0.0.1
        "localhost@evil.example",  # user-info trick
        "council.example.evil.example",  # a wildcard's domain inside another name
    ],
)
def test_a_host_name_dressed_as_an_allowed_one_is_refused(
    server: StreamlitServer, host: str
) -> None:
    answer = _get(server, "/", host=f"{host}:{server.port}")
    assert answer.status_code == 400
    assert answer.text.startswith(REFUSED_HOST)


def test_a_request_with_no_host_at_all_is_refused(server: StreamlitServer) -> None:
    answer = _raw(server, b"GET / HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 400")
    assert REFUSED_HOST.encode() in answer


def test_the_first_run_administrators_websocket_refuses_a_rebound_host(
    server: StreamlitServer,
) -> None:
    """The issue's admin takeover: a page on evil.example (resolving to 127.0.0.1) opens the
    WebSocket of a fresh install, which runs everyone as the local administrator."""
    for host in ("evil.example", "localhost.evil.example"):
        with pytest.raises(InvalidStatus) as refused:
            _open_session(server, host)
        assert refused.value.response.status_code == 403, host
    # The same connection from the app's own name gets a session that runs the page as admin:
    # what the refused ones would have had.
    assert b"Running as the local administrator" in _open_session(server, "localhost")
    assert "Refused a websocket request for host 'evil.example:" in server.log_text()


# ------------------------------------------------------------------------- security headers


def _assert_security_headers(answer: httpx.Response) -> None:
    headers = answer.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] in ("same-origin", "no-referrer")
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "camera=()" in headers["permissions-policy"]
    policy = {
        name: values
        for name, *values in (d.split() for d in headers["content-security-policy"].split(";"))
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]  # no remote image
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    scripts = policy["script-src"]
    assert scripts[0] == "'self'"
    assert not [s for s in scripts if s in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:")]
    assert not [s for s in scripts if s.startswith(("http", "//"))]
    assert all(re.fullmatch(r"'self'|(ws|wss)://[\w.:\[\]-]+", s) for s in policy["connect-src"])


def _static_script(server: StreamlitServer) -> str:
    found = re.search(r'src="\./(static/js/index\.[\w-]+\.js)"', _get(server, "/").text)
    assert found, "the index page names its script bundle"
    return "/" + found[1]


@pytest.mark.parametrize(
    "what", ["index page", "script bundle", "media that is not there", "refused host"]
)
def test_every_kind_of_response_carries_the_security_headers(
    server: StreamlitServer, what: str
) -> None:
    """Framing (clickjacking), content sniffing and remote content are refused by the browser
    only when every response says so, Streamlit's own static files and errors included."""
    if what == "index page":
        answer = _get(server, "/")
        assert answer.status_code == 200
    elif what == "script bundle":
        answer = _get(server, _static_script(server))
        assert answer.status_code == 200 and "javascript" in answer.headers["content-type"]
    elif what == "media that is not there":
        answer = _get(server, "/media/0123456789abcdef.png")
        assert answer.status_code == 404
    else:
        answer = _get(server, "/_stcore/health", host="evil.example")
        assert answer.status_code == 400
    _assert_security_headers(answer)


def test_health_routes_answer_plainly_with_the_headers(server: StreamlitServer) -> None:
    """/healthz and /readyz are the server's own routes (proof that `streamlit run` serves the
    st.App, not the bare script), plain sentences with the same headers as everything else."""
    for path, sentence in (
        ("/healthz", "The dashboard is running."),
        ("/readyz", "The dashboard is running and its database answers."),
    ):
        answer = _get(server, path)
        assert (answer.status_code, answer.text) == (200, sentence)
        assert answer.headers["content-type"].startswith("text/plain")
        _assert_security_headers(answer)


def test_an_exception_inside_the_server_is_a_plain_500_with_the_headers() -> None:
    """Whatever breaks under the middleware (Streamlit's routes included), the answer is one
    sentence and still forbids framing and sniffing: no traceback, no exception name."""

    def boom(_request: Request) -> None:
        raise RuntimeError("secret detail /srv/eflg/data/eflg.db")

    app = Starlette(routes=[Route("/boom", boom)], middleware=[Middleware(SecurityHeaders)])
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
        "scheme": "http", "path": "/boom", "raw_path": b"/boom", "query_string": b"",
        "headers": [(b"host", b"localhost:8501")], "server": ("127.0.0.1", 8501),
        "client": ("127.0.0.1", 5000), "root_path": "",
    }  # fmt: skip
    # In a thread of its own: a browser test earlier in this process leaves Playwright's event
    # loop running in this thread, where asyncio.run() may not start another.
    runner = threading.Thread(target=lambda: asyncio.run(app(scope, receive, send)))
    runner.start()
    runner.join(timeout=30)
    assert not runner.is_alive()
    start, body = sent[0], b"".join(m.get("body", b"") for m in sent[1:])
    headers = {k.decode(): v.decode() for k, v in start["headers"]}
    assert start["status"] == 500
    assert body.decode() == (
        "Sorry, the server could not answer this request. "
        "The details have been written to the server log."
    )
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


# --------------------------------------------------------------------------- in the browser


def _open(tab: Page, server: StreamlitServer) -> list[str]:
    """Open the overview and record every Content-Security-Policy violation it reports."""
    violations: list[str] = []
    tab.expose_function("eflgViolation", lambda text: violations.append(text))
    tab.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "window.eflgViolation(e.violatedDirective + ' ' + e.blockedURI))"
    )
    tab.goto(server.url + "/")
    tab.get_by_text("Running as the local administrator").wait_for()
    return violations


def test_markdown_with_a_remote_image_or_script_loads_nothing(
    tab: Page, server: StreamlitServer, attacker: _Attacker
) -> None:
    """Text that slipped through as HTML (a remote image, a remote script, an inline handler)
    is refused by the browser itself: nothing is fetched from the other site, nothing runs."""
    violations = _open(tab, server)
    assert violations == [], "the app's own page breaks none of its policy"
    tab.evaluate(
        """origin => {
            const div = document.createElement('div');
            div.innerHTML = `<img src="${origin}/tracker.gif" alt="">`
                + `<img src="x" onerror="window.eflgRan = true" alt="">`;
            document.querySelector('[data-testid="stMain"]').appendChild(div);
            const script = document.createElement('script');
            script.src = `${origin}/steal.js`;
            document.head.appendChild(script);
        }""",
        attacker.origin,
    )
    for _ in range(100):  # the three refusals are reported within moments
        if len(violations) >= 3:
            break
        tab.wait_for_timeout(100)
    tab.wait_for_timeout(500)
    assert attacker.hits == []
    assert tab.evaluate("() => window.eflgRan === undefined")
    blocked = " ".join(violations)
    assert f"img-src {attacker.origin}/tracker.gif" in blocked
    assert f"script-src-elem {attacker.origin}/steal.js" in blocked
    assert "script-src-attr inline" in blocked


def test_another_site_cannot_frame_the_dashboard(
    tab: Page, server: StreamlitServer, attacker: _Attacker
) -> None:
    """Clickjacking: a page elsewhere puts the dashboard in an invisible frame over its own
    buttons. The browser refuses to show it inside the frame."""
    console: list[str] = []
    tab.on("console", lambda message: console.append(message.text))
    tab.goto(attacker.origin + "/frame.html")
    for _ in range(150):
        if any("frame-ancestors 'none'" in line for line in console):
            break
        tab.wait_for_timeout(100)
    assert [line for line in console if "frame-ancestors 'none'" in line and server.url in line]
    (framed,) = [f for f in tab.frames if f is not tab.main_frame]
    # Chromium shows its "refused to connect" page (or nothing yet), never the dashboard.
    assert not framed.url.startswith(server.url), framed.url
    assert framed.locator("[data-testid='stMain']").count() == 0
