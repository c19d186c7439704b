"""Attack on the first-run mode through another ASGI server: `uvicorn dashboard.app:app --host
0.0.0.0` listens on every interface while server.address (.streamlit/config.toml) still says
localhost, so the app would run everyone as the local administrator. A machine on the network
sends `Host: localhost` itself (no browser needed, so the host check alone cannot stop it): the
server refuses every connection that arrived from outside this computer, page and WebSocket."""

import socket
from collections.abc import Iterator

import httpx
import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.e2e.browser import StreamlitServer

THIS_COMPUTER_ONLY = "This dashboard answers on the computer it runs on only."


def _network_address() -> str:
    """This machine's own address on its network (not loopback): where a neighbour connects."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a route lookup only: nothing is sent
        except OSError:
            pytest.fail("this machine has no network address to attack from")
        address = str(probe.getsockname()[0])
    assert not address.startswith("127."), address
    return address


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StreamlitServer]:
    database = tmp_path_factory.mktemp("server-asgi") / "eflg.db"
    running = StreamlitServer(f"sqlite:///{database}", uvicorn_host="0.0.0.0")
    yield running
    running.stop()


def test_a_neighbour_cannot_reach_the_first_run_administrator(server: StreamlitServer) -> None:
    outside = _network_address()
    page = httpx.get(
        f"http://{outside}:{server.port}/", headers={"Host": f"localhost:{server.port}"}, timeout=60
    )
    assert page.status_code == 400
    assert page.text.startswith(THIS_COMPUTER_ONLY)
    sock = socket.create_connection((outside, server.port), timeout=30)
    with pytest.raises(InvalidStatus) as refused:
        connect(f"ws://localhost:{server.port}/_stcore/stream", sock=sock, open_timeout=30)
    assert refused.value.response.status_code == 403
    # The same requests from this computer itself are answered.
    mine = httpx.get(f"http://127.0.0.1:{server.port}/", timeout=60)
    assert mine.status_code == 200 and "<script" in mine.text
