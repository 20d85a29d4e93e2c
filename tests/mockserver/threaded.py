"""A WSGI app served on a free loopback port in a daemon thread, for tests whose point is the socket."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

READY_ATTEMPTS = 100


class QuietHandler(WSGIRequestHandler):
    """A request handler without an access log."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the access log."""


@dataclass
class Counted:
    """A WSGI middleware counting the paths (with their query) it passes on."""

    app: Any
    seen: Counter[str] = field(default_factory=Counter)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Count the request and pass it on."""
        query = environ.get("QUERY_STRING", "")
        self.seen[environ.get("PATH_INFO", "/") + (f"?{query}" if query else "")] += 1
        result: Iterable[bytes] = self.app(environ, start_response)
        return result


@contextmanager
def served(app: WSGIApplication, handler: type[WSGIRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve the app on 127.0.0.1, port 0, until the block ends; yield its base URL once it answers."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True, request_handler=handler)
    thread = threading.Thread(target=server.serve_forever, name="test-server", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        for _ in range(READY_ATTEMPTS):
            try:
                requests.get(f"{url}/health", timeout=1)
                break
            except requests.ConnectionError:
                continue
        yield url
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
