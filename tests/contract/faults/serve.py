"""One real HTTP server on port 0 in a daemon thread, every server of the matrix mounted under its own prefix.

`http://127.0.0.1:PORT/<case>/mailer/sendstatistics` is the reference server with the case's flags; a base
URL with a path prefix is also what many real deployments have. `/mock` mounts mockserver's app.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import requests
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from tests.contract.faults.catalogue import CASES, Case
from tests.contract.faults.reference import create_app

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

AUTH = {"X-Estis-Auth": "test-key-do-not-print"}
READY_ATTEMPTS = 100


class QuietHandler(WSGIRequestHandler):
    """A request handler that does not log every request to stderr."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """Skip the access log."""


@dataclass
class Methods:
    """A WSGI middleware counting the HTTP methods the server received, and the first segment of each path."""

    app: WSGIApplication
    seen: Counter[str] = field(default_factory=Counter)
    prefixes: Counter[str] = field(default_factory=Counter)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Count the method and the path's first segment, and pass the request on."""
        self.seen[environ["REQUEST_METHOD"]] += 1
        self.prefixes[environ.get("PATH_INFO", "/").lstrip("/").split("/", 1)[0]] += 1
        return self.app(environ, start_response)


@dataclass(frozen=True)
class Running:
    """A running matrix server: its root URL and the methods it received."""

    root: str
    methods: Methods

    def url(self, name: str) -> str:
        """The base URL of one mounted server."""
        return f"{self.root}/{name}"


def build(cases: Iterable[Case] = CASES, extra: Mapping[str, Any] | None = None) -> Methods:
    """The WSGI app of the matrix: each case under /<name>, plus any extra apps by prefix."""
    mounts: dict[str, Any] = {f"/{case.name}": create_app(case.flags) for case in cases}
    for name, app in (extra or {}).items():
        mounts[f"/{name}"] = app
    return Methods(DispatcherMiddleware(create_app(), mounts))


@contextmanager
def serving(app: Methods) -> Iterator[Running]:
    """Serve the app on a free port in a daemon thread until the block ends."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="matrix-server", daemon=True)
    thread.start()
    running = Running(f"http://127.0.0.1:{server.server_port}", app)
    try:
        wait_until_ready(running.root)
        yield running
    finally:
        server.shutdown()
        thread.join()


def wait_until_ready(base_url: str) -> None:
    """Poll the index until it answers; the listening socket queues requests until the thread serves."""
    for _ in range(READY_ATTEMPTS):
        try:
            if requests.get(f"{base_url}/mailer/sendstatistics", headers=AUTH, timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            continue
    raise RuntimeError(f"{base_url} never answered")
