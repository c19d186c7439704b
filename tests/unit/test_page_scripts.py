"""The app's own scripts go into every page the server sends (st.html drops <script>), as files
the Content-Security-Policy allows ('self'), and nothing else the server sends is changed."""

from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.ui import server

PAGE = "<html><head><title>Streamlit</title></head><body></body></html>"


def _client() -> TestClient:
    async def page(request):  # type: ignore[no-untyped-def]
        return HTMLResponse(PAGE + request.headers.get("accept-encoding", "none"))

    async def data(_request):  # type: ignore[no-untyped-def]
        return JSONResponse({"a": "</head>"})

    app = Starlette(
        routes=[Route("/present", page), Route("/data", data), *server.ROUTES],
        middleware=[Middleware(server.ScriptTags)],
    )
    return TestClient(app)


def test_a_page_names_each_script_of_the_app_in_its_head() -> None:
    answer = _client().get("/present", headers={"Accept": "text/html", "Accept-Encoding": "gzip"})
    head = answer.text.split("</head>")[0]
    for path in server.SCRIPTS:
        assert f'<script src=".{path}?v={server.VERSIONS[path]}" defer></script>' in head
    assert answer.text.endswith("none")  # asked uncompressed, so it could be read and changed
    assert int(answer.headers["content-length"]) == len(answer.content)


def test_other_answers_are_left_as_they_are() -> None:
    answer = _client().get("/data", headers={"Accept": "application/json"})
    assert answer.json() == {"a": "</head>"}


def test_each_script_is_served_as_javascript_from_its_file() -> None:
    client = _client()
    for path in server.SCRIPTS:
        answer = client.get(path)
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/javascript")
        assert answer.content == (server.ASSETS / Path(path).name).read_bytes()
    assert "PageDown" in client.get("/eflg/present-keys.js").text
    assert "stSidebarCollapseButton" in client.get("/eflg/menu.js").text


def test_a_page_without_a_head_is_unchanged() -> None:
    assert server.with_scripts(b"<p>hi</p>") == b"<p>hi</p>"


def test_a_script_by_its_versioned_address_is_kept_and_by_any_other_checked_again() -> None:
    client = _client()
    for path in server.SCRIPTS:
        kept = client.get(f"{path}?v={server.VERSIONS[path]}")
        assert "max-age=31536000" in kept.headers["cache-control"]
        assert kept.content == client.get(path).content
        assert client.get(path).headers["cache-control"] == "no-cache"
        assert client.get(f"{path}?v=old").headers["cache-control"] == "no-cache"
    # the version is the file's: a changed file has a new address
    assert len(set(server.VERSIONS.values())) == len(server.SCRIPTS)


def test_a_page_loads_streamlits_own_parts_before_its_first_elements_arrive() -> None:
    # each part is a file of the installed Streamlit: one renamed by an upgrade fails here
    assert len(server.EARLY_PARTS) == len(server.STREAMLIT_PARTS)
    head = _client().get("/present", headers={"Accept": "text/html"}).text.split("</head>")[0]
    for file in server.EARLY_PARTS:
        assert (server.STREAMLIT_JS / file).is_file()
        # as Streamlit names its own (relative, crossorigin): the same module, run once
        assert f'<script type="module" crossorigin src="./static/js/{file}"></script>' in head


def test_the_apps_styles_are_one_stylesheet_named_in_every_page_and_kept_by_its_version() -> None:
    client = _client()
    head = client.get("/present", headers={"Accept": "text/html"}).text.split("</head>")[0]
    address = f"{server.STYLESHEET}?v={server.STYLESHEET_VERSION}"
    assert f'<link rel="stylesheet" href=".{address}">' in head
    kept = client.get(address)
    assert kept.headers["content-type"].startswith("text/css")
    assert kept.text == server.APP_CSS
    assert ".eflg-table" in kept.text and "eflg-bars" in kept.text  # the tables' and the bars'
    assert "max-age=31536000" in kept.headers["cache-control"]
    assert client.get(f"{server.STYLESHEET}?v=old").headers["cache-control"] == "no-cache"
