"""Local addresses for tests of unreachable servers."""

from __future__ import annotations

import socket


def closed_url() -> str:
    """The URL of a local port nobody listens on (bound on port 0, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
