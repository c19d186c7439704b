"""The app's own browser scripts reach every page through Streamlit's index page, as <script src>
on this site (the only kind the Content-Security-Policy lets run), and nothing else is changed."""

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.ui.server import MENU_SCRIPT_PATH, ROUTES, PageScripts, content_security_policy

INDEX = (
    "<!doctype html><html><head><title>App</title></head><body><div id=root></div></body></html>"
)


def index(_request: Request) -> Response:
    return HTMLResponse(INDEX)


def text(_request: Request) -> Response:
    return PlainTextResponse("</head> stays as it is")


def client() -> TestClient:
    routes = [
        Route("/", index),
        Route("/my_issues", index),
        Route("/_stcore/health", text),
        *[route for route in ROUTES if getattr(route, "path", "") == MENU_SCRIPT_PATH],
    ]
    return TestClient(Starlette(routes=routes, middleware=[Middleware(PageScripts)]))


def test_every_page_of_the_app_loads_the_menu_script() -> None:
    browser = client()
    for path in ("/", "/my_issues"):
        page = browser.get(path, headers={"Accept-Encoding": "gzip"})
        tag = f'<script defer src="{MENU_SCRIPT_PATH}"></script></head>'
        assert tag in page.text
        assert page.text.count("<script") == 1
        assert int(page.headers["content-length"]) == len(page.content)
    script = browser.get(MENU_SCRIPT_PATH)
    assert script.headers["content-type"].startswith("text/javascript")
    assert "stSidebarCollapseButton" in script.text
    # an address on this site: allowed by script-src 'self', no inline script needed
    assert "script-src 'self'" in content_security_policy("localhost:8501")
    assert MENU_SCRIPT_PATH.startswith("/") and not MENU_SCRIPT_PATH.startswith("//")


def test_other_responses_are_left_as_they_are() -> None:
    answer = client().get("/_stcore/health")
    assert answer.text == "</head> stays as it is"
