"""Hostile HTTP servers on one port-0 socket, one behaviour per path prefix: what no checker may hang or swell on.

`http://127.0.0.1:PORT/<kind>/...` answers every request (any path under the prefix) as `kind` says:

- `huge`: 200 with a Content-Length of 2 GiB and bytes as fast as the client reads them;
- `bomb`: 200, `Content-Encoding: gzip`, 1 MiB on the wire that decodes to 1 GiB;
- `trickle`: the answer, status line first, one byte every half second;
- `silence`: the request is read and nothing ever comes back;
- `big-header`: a 1 MB header line before a small body;
- `ready`: 200 `{}` at once (the readiness poll).
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

KINDS = ("huge", "bomb", "trickle", "silence", "big-header")
GiB = 1024**3
TRICKLE_SECONDS = 0.5
READY_ATTEMPTS = 100
HEAD_LIMIT = 65536
JSON_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"


@dataclass(frozen=True)
class Hostile:
    """The running hostile server: its root URL."""

    root: str

    def url(self, kind: str) -> str:
        """The base URL of one behaviour."""
        return f"{self.root}/{kind}"


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()
        # 16 MiB of spaces compress to about 16 KiB; 64 gzip members in a row decode to 1 GiB.
        self.bomb_member = gzip.compress(b" " * (16 * 1024 * 1024), compresslevel=9)


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        """Read the request head and answer as the path's first segment says."""
        head = b""
        while b"\r\n\r\n" not in head and len(head) < HEAD_LIMIT:
            data = self.request.recv(4096)
            if not data:
                return
            head += data
        path = head.split(b" ", 2)[1].decode("ascii", "replace") if head.count(b" ") >= 2 else "/"
        kind = path.lstrip("/").split("/", 1)[0]
        try:
            getattr(self, "_" + kind.replace("-", "_"), self._ready)()
        except OSError:
            return  # the client hung up: that is how every hostile answer ends

    def _ready(self) -> None:
        self.request.sendall(JSON_HEAD + b"Content-Length: 2\r\n\r\n{}")

    def _huge(self) -> None:
        self.request.sendall(JSON_HEAD + f"Content-Length: {2 * GiB}\r\n\r\n".encode())
        block = b"[" + b"0," * (512 * 1024 - 1)
        for _ in range(2 * GiB // len(block)):
            if self.server.stopping.is_set():
                return
            self.request.sendall(block)

    def _bomb(self) -> None:
        self.request.sendall(JSON_HEAD + b"Content-Encoding: gzip\r\nConnection: close\r\n\r\n")
        for _ in range(64):
            if self.server.stopping.is_set():
                return
            self.request.sendall(self.server.bomb_member)

    def _trickle(self) -> None:
        answer = JSON_HEAD + b"Content-Length: 2\r\n\r\n{}"
        for index in range(len(answer)):
            self.request.sendall(answer[index : index + 1])
            # The server's pace, not a test's synchronisation; it also ends the thread when the server stops.
            if self.server.stopping.wait(TRICKLE_SECONDS):
                return

    def _silence(self) -> None:
        self.request.recv(1)  # returns when the client closes the connection, or at shutdown

    def _big_header(self) -> None:
        padding = b"a" * 1_000_000
        self.request.sendall(JSON_HEAD + b"X-Padding: " + padding + b"\r\nContent-Length: 2\r\n\r\n{}")


@contextmanager
def hostile_server() -> Iterator[Hostile]:
    """Serve every hostile behaviour on a free port until the block ends."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, name="hostile-server", daemon=True)
    thread.start()
    hostile = Hostile(f"http://127.0.0.1:{server.server_address[1]}")
    try:
        _wait_until_ready(server.server_address[1])
        yield hostile
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join()


def _wait_until_ready(port: int) -> None:
    """Poll /ready until it answers (the listening socket queues connections until the thread serves them)."""
    for _ in range(READY_ATTEMPTS):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /ready HTTP/1.1\r\nHost: x\r\n\r\n")
                if sock.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            continue
    raise RuntimeError(f"the hostile server on port {port} never answered")
