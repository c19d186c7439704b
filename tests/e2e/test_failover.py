"""Several servers, one database, a server lost: Debian's nginx in front of two app servers on one
PostgreSQL database, configured by the repository's own deploy/nginx.conf (only its ports and
paths changed). An officer signs in through the proxy and ticks off an issue; the server holding
their page is killed (SIGKILL, as a crashed machine); the browser carries on on the other server,
still signed in, with the saved tick-off there once and nothing saved twice."""

import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine, make_url, text

from dashboard.store.db import make_engine
from tests.conftest import POSTGRES_URL

from .browser import ROOT, StreamlitServer, free_port
from .conftest import wait_for_app
from .test_tickoff import PASSWORD, seed_with_officer, tick_off_issue_2_9

CONFIG = ROOT / "deploy" / "nginx.conf"
NOTE = "Pre-assessment now in every tender (saved before the server was lost)"


def _fresh_postgres(name: str) -> str:
    if not POSTGRES_URL:
        pytest.fail("The fail-over test needs PostgreSQL: set EFLG_TEST_POSTGRES_URL.")
    url = make_url(POSTGRES_URL)
    admin = make_engine(url.set(database="postgres").render_as_string(hide_password=False))
    database = f"{url.database}_{name}"
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{database}"'))
    admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False)


class Nginx:
    """Debian's nginx running deploy/nginx.conf with this test's ports, in a folder of its own."""

    def __init__(self, folder: Path, upstreams: list[int]) -> None:
        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(binary).exists():
            pytest.fail("nginx is not installed: run `apt-get install -y nginx`.")
        self.port = free_port()
        self.url = f"http://localhost:{self.port}"
        self.folder = folder
        config = CONFIG.read_text(encoding="utf-8")
        config = re.sub(r"listen 8080;", f"listen 127.0.0.1:{self.port};", config)
        servers = "".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=30s;\n" for port in upstreams
        )
        config = re.sub(r"(        server 127\.0\.0\.1:85\d\d [^\n]*\n)+", servers, config)
        assert all(f"127.0.0.1:{port}" in config for port in upstreams)
        # Log which server answered each request (the example logs "combined", which does not).
        assert "access_log access.log combined;" in config
        config = config.replace(
            "access_log access.log combined;",
            "log_format upstream '$request_uri upstream=\"$upstream_addr\"';\n"
            "    access_log access.log upstream;",
        )
        (folder / "nginx.conf").write_text(config, encoding="utf-8")
        self.process = subprocess.Popen(
            [binary, "-p", f"{folder}/", "-c", str(folder / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(folder / "stderr.log").open("w"),
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("nginx did not answer:\n" + (folder / "stderr.log").read_text())

    def upstreams_used(self) -> list[str]:
        """The server that answered each request so far ("127.0.0.1:8501"; a request that
        tried a dead one first names both, the last one answering)."""
        return re.findall(r'upstream="([^"]*)"', (self.folder / "access.log").read_text())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[tuple[Nginx, dict[int, StreamlitServer], Engine]]:
    url = _fresh_postgres("failover")
    seed_with_officer(url)
    engine = make_engine(url)
    servers = [StreamlitServer(url), StreamlitServer(url)]
    proxy_folder = tmp_path / "nginx"
    proxy_folder.mkdir()
    proxy = None
    try:
        proxy = Nginx(proxy_folder, [s.port for s in servers])
        yield proxy, {s.port: s for s in servers}, engine
    finally:
        if proxy is not None:
            proxy.stop()
        for server in servers:
            server.stop()
        engine.dispose()


def _sign_in(page: Page, url: str) -> None:
    page.goto(url)
    page.get_by_label("E-mail address").fill("asha.patel@council.gov.uk")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as Asha Patel")).to_be_visible()
    wait_for_app(page)


def test_a_server_lost_behind_the_proxy_leaves_the_officer_signed_in_with_nothing_lost(
    deployment: tuple[Nginx, dict[int, StreamlitServer], Engine], page: Page
) -> None:
    proxy, servers, engine = deployment
    _sign_in(page, proxy.url)
    tick_off_issue_2_9(page, NOTE)

    # The server that answered this person's last page load holds their live page: kill it.
    pages = [u for u in proxy.upstreams_used() if u]
    holding = int(pages[-1].split(",")[-1].strip().rsplit(":", 1)[1])
    servers[holding].process.send_signal(signal.SIGKILL)
    servers[holding].process.wait(timeout=10)

    # The browser reconnects (through the proxy, to the other server) or the person reloads.
    page.reload()
    expect(page.get_by_text("Signed in as Asha Patel")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    assert any(
        u and str(holding) not in u.split(",")[-1] for u in proxy.upstreams_used()[len(pages) :]
    ), "the proxy never moved the person to the other server"

    # What was saved is there, once; nothing was saved twice.
    page.get_by_role("link", name="My issues").click()
    wait_for_app(page)
    card = page.get_by_test_id("stExpander").filter(has=page.get_by_text("Update 2.9", exact=True))
    expect(card).to_be_visible()
    with engine.connect() as conn:
        saved = conn.execute(
            text("SELECT count(*) FROM statuschange WHERE note = :note"), {"note": NOTE}
        ).scalar_one()
        status = conn.execute(
            text("SELECT status FROM issue WHERE ref = '2.9' AND updated_by IS NOT NULL")
        ).scalar_one()
    assert saved == 1
    assert status == "Complete"
