"""A real `streamlit run dashboard/app.py` in a subprocess (Streamlit finds the `st.App` there and
serves it as an ASGI app), and Debian's Chromium to drive it. Shared by the browser tests, the
red-team suite's server attacks and `make bench`. Never a downloaded browser."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class ChromiumMissing(RuntimeError):
    """Debian's Chromium is not installed."""


def chromium_path() -> str:
    path = os.environ.get("EFLG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise ChromiumMissing("Chromium is not installed: run `apt-get install -y chromium`.")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_running: "Browser | None" = None


@contextmanager
def chromium() -> Iterator["Browser"]:
    """Debian's Chromium under Playwright: the one this process already runs, or a new one for
    the duration (Playwright's sync API allows one at a time per process, so the browser tests'
    fixture and the red-team suite's server attacks share it). ChromiumMissing when absent."""
    global _running
    if _running is not None:
        yield _running
        return
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        _running = browser
        try:
            yield browser
        finally:
            _running = None
            browser.close()


class StreamlitServer:
    """A running `streamlit run dashboard/app.py` on its own port and database."""

    def __init__(
        self,
        database_url: str,
        extra_env: dict[str, str] | None = None,
        script: str = "dashboard/app.py",
        *,
        address: str = "localhost",
        port: int | None = None,
        uvicorn_host: str | None = None,
    ) -> None:
        """`uvicorn_host`: serve `dashboard.app:app` with uvicorn on that address instead (an
        external ASGI server; Streamlit's own settings then come from .streamlit/config.toml)."""
        self.port = port or free_port()
        self.url = f"http://localhost:{self.port}"
        env = {**os.environ, "EFLG_DATABASE_URL": database_url, **(extra_env or {})}
        self.log = ARTIFACTS / f"streamlit-{self.port}.log"
        ARTIFACTS.mkdir(exist_ok=True)
        command = [
            sys.executable, "-m", "streamlit", "run", script,
            "--server.port", str(self.port), "--server.address", address,
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        if uvicorn_host is not None:
            command = [
                sys.executable, "-m", "uvicorn", "dashboard.app:app",
                "--host", uvicorn_host, "--port", str(self.port),
            ]  # fmt: skip
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("streamlit exited early:\n" + self.log.read_text())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("streamlit did not open its port in 30 s")
        self._wait_until_answering()

    def _wait_until_answering(self) -> None:
        """The port opens before the app's start-up warm-up (its lifespan) is done, and nothing is
        answered until it is: wait for Streamlit's health check, so a test's first page does not
        time out waiting for the warm-up."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("streamlit exited early:\n" + self.log.read_text())
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5):
                    return
            except urllib.error.HTTPError:  # answered, if with a refusal (a host check)
                return
            except OSError:  # refused, or not answered yet
                time.sleep(0.1)
        raise RuntimeError("streamlit did not answer its health check in 120 s")

    def log_text(self) -> str:
        """Everything the server has written to its log so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
