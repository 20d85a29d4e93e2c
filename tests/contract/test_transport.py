"""The suite's own requests (contract/transport.py): headers, timeouts as exchanges, refused credentials."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from contract.errors import NetworkError
from contract.settings import Settings
from contract.transport import Pace, Transport
from tests.contract.faults.serve import AUTH, Running

pytestmark = pytest.mark.slow


def transport(base_url: str, headers: dict[str, str] = AUTH, timeout: float | None = None) -> Transport:
    """A transport for a base URL with the test key."""
    return Transport(Settings(base_url=base_url, headers=headers, timeout=timeout))


def test_views_are_sent_with_the_key_and_encoded_fields(matrix: Running) -> None:
    """A view carries the user's header and `fields` URL-encoded as the vendor's clients send it."""
    exchange = transport(matrix.url("reference")).view(1, {"fields": '["id"]'})
    assert exchange.status == 200
    assert exchange.request_headers["X-Estis-Auth"] == AUTH["X-Estis-Auth"]
    assert exchange.url.endswith("/mailer/sendstatistics/1?fields=%5B%22id%22%5D")
    assert (exchange.operation, exchange.segment) == ("view", "1")


def test_odd_path_ids_are_percent_encoded(matrix: Running) -> None:
    """A path id with a space or slash is sent encoded and read back decoded."""
    exchange = transport(matrix.url("reference")).view("a b/c")
    assert "/mailer/sendstatistics/a%20b%2Fc" in exchange.url
    assert exchange.segment == "a b/c"


def test_a_timeout_is_an_exchange_without_answer(matrix: Running) -> None:
    """A request that gets no answer within the timeout comes back as status 0 with the reason."""
    exchange = transport(matrix.url("slow"), timeout=0.2).view(1)
    assert (exchange.answered, exchange.status) == (False, 0)
    assert exchange.error == "no answer within 0.2 s"


def test_probe_refuses_missing_credentials(matrix: Running) -> None:
    """A 401 on the first request is a NetworkError that says how to pass the key."""
    with pytest.raises(NetworkError, match="X-Estis-Auth: KEY"):
        transport(matrix.url("reference"), headers={}).probe()


def test_pace_without_a_rate_never_waits() -> None:
    """Without a rate limit the pace has no interval."""
    pace = Pace(None)
    pace.wait()
    assert pace.interval == 0.0
    assert Pace(4.0).interval == 0.25


@pytest.fixture
def cut_off_url() -> Iterator[str]:
    """A one-shot server that sends a head promising 10 bytes, then 2 bytes, then closes."""
    listener = socket.create_server(("127.0.0.1", 0))

    def answer() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"')

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    thread.join(timeout=5)
    listener.close()


def test_a_cut_off_body_is_an_exchange_without_answer(cut_off_url: str) -> None:
    """A body shorter than its Content-Length comes back as status 0 saying it was cut off, not as a crash."""
    exchange = transport(cut_off_url, timeout=5).view(1)
    assert (exchange.answered, exchange.status) == (False, 0)
    assert exchange.error is not None
    assert exchange.error.startswith("answer cut off")
