"""Tests of mockserver/proxy/forward.py: which headers go on, and the target's failures."""

from __future__ import annotations

import socket
import time

import pytest

from contract.bounded import Limits
from mockserver.proxy.forward import Forwarder, TargetFailed, answer_headers, request_headers


def test_request_headers_drop_hop_by_hop_and_let_configured_ones_win() -> None:
    """Hop-by-hop headers, those Connection names and Host stay behind; --header wins over the client's key."""
    client = [
        ("Host", "proxy:8010"),
        ("Connection", "keep-alive, X-Hop"),
        ("X-Hop", "1"),
        ("Keep-Alive", "timeout=5"),
        ("Accept", "application/json"),
        ("X-Estis-Auth", "client-key"),
        ("Origin", "http://app"),
        ("Accept-Encoding", "gzip"),
    ]
    sent = request_headers(client, {"X-Estis-Auth": "proxy-key"})
    assert sent == {"Accept": "application/json", "X-Estis-Auth": "proxy-key", "Accept-Encoding": "identity"}


def test_the_clients_key_goes_on_without_a_configured_one() -> None:
    """Without --header the client's own API key is forwarded."""
    assert request_headers([("X-Estis-Auth", "k")], {})["X-Estis-Auth"] == "k"


def test_answer_headers_drop_framing_hop_by_hop_and_cors() -> None:
    """The target's framing, hop-by-hop and CORS headers are replaced by the proxy's; the rest pass in order."""
    target = [
        ("Content-Type", "application/json"),
        ("Transfer-Encoding", "chunked"),
        ("Content-Length", "10"),
        ("Content-Encoding", "gzip"),
        ("Access-Control-Allow-Origin", "*"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("X-Request-Id", "r1"),
    ]
    assert answer_headers(target) == (
        ("Content-Type", "application/json"),
        ("Set-Cookie", "a=1"),
        ("Set-Cookie", "b=2"),
        ("X-Request-Id", "r1"),
    )


def test_a_refused_connection_is_a_target_failure() -> None:
    """A port nobody listens on fails at once with the reason, never a traceback."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    forwarder = Forwarder(f"http://127.0.0.1:{port}", Limits(5.0, 1024 * 1024))
    with pytest.raises(TargetFailed, match="connection failed"):
        forwarder.send("GET", "/mailer/sendstatistics", {})


def test_a_silent_target_fails_at_the_deadline() -> None:
    """A target that accepts the connection and never answers fails after --timeout, not later."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        forwarder = Forwarder(f"http://127.0.0.1:{silent.getsockname()[1]}", Limits(0.5, 1024 * 1024))
        started = time.monotonic()
        with pytest.raises(TargetFailed, match=r"no answer within 0\.5 s"):
            forwarder.send("GET", "/mailer/sendstatistics", {})
        assert time.monotonic() - started < 5
