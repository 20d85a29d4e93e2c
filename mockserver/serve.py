"""Runs the mock under granian: the worker-side app factory, the access log, the port, the server's life.

Granian workers are separate processes that import `TARGET` and call it, so the config travels in the
environment variable CONFIG_ENV (JSON), set by `serve` before the workers start.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import FrameType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mockserver.app import EXTENSION, MockState, close_app, create_app
from mockserver.control.faults import FAULT_HEADER
from mockserver.errors import ConfigError
from mockserver.request_rules import WARNING_HEADER

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment
    from flask import Flask

__all__ = [
    "CONFIG_ENV",
    "TARGET",
    "AccessLog",
    "ServeOptions",
    "Started",
    "reserve_port",
    "serve",
    "worker_app",
    "wsgi_app",
]

CONFIG_ENV = "SENDSTAT_MOCK_CONFIG"
TARGET = "mockserver.serve:worker_app"
ACCESS_LOGGER = "sendstat.mock"
# Characters left as they are in a logged path or query; anything else (controls, spaces, non-ASCII)
# is percent-encoded, so one request is always one printable line.
_LOG_SAFE = "/?&=%:@!$'()*+,;[]~-._\"{}<>|^`\\#"
_LOG_MAX = 300


def wsgi_app() -> WSGIApplication:
    """Build the app in a granian worker from CONFIG_ENV, wrapped in the access log."""
    config = json.loads(os.environ.get(CONFIG_ENV) or "{}")
    if not isinstance(config, dict):
        raise ConfigError(f"{CONFIG_ENV} must hold a JSON object of SENDSTAT_* keys")
    return AccessLog(create_app(config), access_logger())


def worker_app() -> WSGIApplication:
    """Build the app in a granian worker, deaf to Ctrl-C until granian takes over the signals.

    A terminal's Ctrl-C reaches every process of the group; a worker still building its app would die
    with a traceback. The main process stops the workers itself (SIGTERM) once it has the signal.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return wsgi_app()


def access_logger() -> logging.Logger:
    """Return the logger of request lines: plain lines on stderr."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger


class AccessLog:
    """WSGI middleware logging one line per request: method, path and query, status, ms, fault, warnings."""

    def __init__(self, app: WSGIApplication, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer the request and log it."""
        started = time.perf_counter()
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
            seen.append((status, headers))
            return start_response(status, headers, exc_info)

        body = self.app(environ, capture)
        status, headers = seen[-1] if seen else ("-", [])
        elapsed = (time.perf_counter() - started) * 1000
        warnings = [value for name, value in headers if name.lower() == WARNING_HEADER.lower()]
        fault = [f" | fault: {value}" for name, value in headers if name.lower() == FAULT_HEADER.lower()]
        line = f"{environ.get('REQUEST_METHOD', '-')} {_target(environ)} {status.split(' ')[0]} {elapsed:.1f} ms"
        self.logger.info(line + "".join(fault) + "".join(f" | warning: {warning}" for warning in warnings))
        return body


def _target(environ: WSGIEnvironment) -> str:
    """Return the request's path and query as one printable, bounded string."""
    # PEP 3333: PATH_INFO holds the raw bytes as latin-1 text.
    path = quote(environ.get("PATH_INFO", "").encode("latin-1", "replace"), safe=_LOG_SAFE)
    query = environ.get("QUERY_STRING", "")
    target = path + ("?" + quote(query.encode("latin-1", "replace"), safe=_LOG_SAFE) if query else "")
    return target if len(target) <= _LOG_MAX else f"{target[:_LOG_MAX]}... ({len(target)} chars)"


def reserve_port(host: str, port: int) -> socket.socket:
    """Bind host:port (0: a free port) and hold it, refusing a port another server listens on.

    Granian binds its own sockets with SO_REUSEPORT, so the held socket (bound, never listening, so it
    receives no connection) turns that option on after binding: the workers can join it, while any
    other program is kept off the port, including the one chosen for port 0, until the server stops.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    held = socket.socket(family, socket.SOCK_STREAM)
    try:
        held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        held.bind((host, port))
        if hasattr(socket, "SO_REUSEPORT"):
            held.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    except OSError as exc:
        held.close()
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return held


@dataclass(frozen=True)
class ServeOptions:
    """How to run the mock: where to listen, how many worker processes, the app's config (JSON-able)."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    config: Mapping[str, Any] = field(default_factory=dict)


def url_of(host: str, port: int) -> str:
    """Return the base URL of a listening address (IPv6 in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True)
class Started:
    """What a starting server announces: its port and the start scenario (name, seed)."""

    port: int
    scenario: str
    seed: int


def serve(options: ServeOptions, announce: Callable[[Started], None]) -> int:
    """Run the mock under granian until Ctrl-C or SIGTERM (exit status 0); announce() once the port is known."""
    previous = signal.signal(signal.SIGTERM, _interrupt)  # Until granian installs its own handlers.
    try:
        return _serve(options, announce)
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve(options: ServeOptions, announce: Callable[[Started], None]) -> int:
    """Check the config, hold the port, start granian with a fresh shared state, and block until it stops."""
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    # The app is CPU-bound Python under the GIL: a few threads per worker (granian's default is
    # hundreds, and it warns about that); timeout faults may hold at most half of them.
    threads = min(2 * (os.cpu_count() or 1) + 1, 16)
    with tempfile.TemporaryDirectory(prefix="sendstat-mock-") as scratch:
        config = {"SENDSTAT_STATE_DIR": scratch, "SENDSTAT_HOLD_SLOTS": max(1, threads // 2), **options.config}
        app = create_app(config)  # Fail here, with one line, rather than in every worker.
        start = mock_state_of(app).control.start.scenario
        close_app(app)  # The workers open the state themselves; no connection crosses a fork.
        held = reserve_port(options.host, options.port)
        port: int = held.getsockname()[1]
        os.environ[CONFIG_ENV] = json.dumps(config)
        server = Server(
            TARGET,
            address=options.host,
            port=port,
            interface=Interfaces.WSGI,
            workers=options.workers,
            blocking_threads=threads,
            factory=True,
            websockets=False,
            log_level=LogLevels.warning,
        )
        try:
            announce(Started(port, start.name, start.seed))
            server.serve()
        finally:
            held.close()
    return 0


def mock_state_of(app: Flask) -> MockState:
    """Return an app's mock state outside a request."""
    state = app.extensions[EXTENSION]
    assert isinstance(state, MockState)
    return state


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Turn an early SIGTERM into the same clean stop as Ctrl-C."""
    raise KeyboardInterrupt
