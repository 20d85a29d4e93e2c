"""Sends one HTTP/1.1 request as raw bytes over a socket, so nothing normalises it, and reads the reply."""

from __future__ import annotations

import contextlib
import http.client
import socket
from dataclasses import dataclass

__all__ = ["Reply", "exchange", "request_bytes"]


@dataclass(frozen=True)
class Reply:
    """A parsed HTTP answer: status, headers in order, body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """Return the first header of that name (case-insensitive), or None."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)


def request_bytes(method: bytes, target: bytes, headers: bytes = b"", body: bytes = b"") -> bytes:
    """Build a request with Host and Connection: close, plus the given raw header lines and body."""
    return b"%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%sConnection: close\r\n\r\n%s" % (method, target, headers, body)


def exchange(host: str, port: int, request: bytes, *, head: bool = False, timeout: float = 15.0) -> Reply:
    """Send request and read the answer; a server that is silent for timeout seconds raises TimeoutError."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        # A server may answer an oversized request (414, 431) and close before reading all of it.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)
        response = http.client.HTTPResponse(sock, method="HEAD" if head else "GET")
        response.begin()
        body = response.read()
        return Reply(response.status, tuple(response.getheaders()), body)
