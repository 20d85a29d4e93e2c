"""Runs the mock under granian: the worker-side app factory, the port, the server's life.

Granian workers are separate processes. Where they are forked (Linux), each inherits the app the main
process built to check the config and only opens the shared state anew (forked_app): no second start-up.
Elsewhere they import `TARGET` and call it, and the config travels in the environment variable
CONFIG_ENV (JSON), set by `serve` before the workers start.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import socket
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from types import FrameType
from typing import TYPE_CHECKING, Any

from mockserver.errors import ConfigError
from mockserver.http.app import close_app, create_app
from mockserver.http.context import state_of
from mockserver.serving.access_log import AccessLog, access_logger
from mockserver.state.batching import BatchSettings

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from flask import Flask

__all__ = [
    "CONFIG_ENV",
    "TARGET",
    "ServeOptions",
    "Started",
    "forked_app",
    "reserve_port",
    "serve",
    "worker_app",
    "wsgi_app",
]

CONFIG_ENV = "SENDSTAT_MOCK_CONFIG"
TARGET = "mockserver.serving.server:worker_app"
# Access-log lines go out every 50 ms; nothing asks for them sooner, so the writer wakes no more often.
ACCESS_LOG_BATCHES = BatchSettings(interval=0.05, tick=0.05)


def wsgi_app() -> WSGIApplication:
    """Build the app in a granian worker from CONFIG_ENV, in a batched access log."""
    config = json.loads(os.environ.get(CONFIG_ENV) or "{}")
    if not isinstance(config, dict):
        raise ConfigError(f"{CONFIG_ENV} must hold a JSON object of SENDSTAT_* keys")
    return AccessLog(create_app(config), access_logger(), ACCESS_LOG_BATCHES)


def worker_app() -> WSGIApplication:
    """Build the app in a granian worker, deaf to Ctrl-C until granian takes over the signals.

    A terminal's Ctrl-C reaches every process of the group; a worker still building its app would die
    with a traceback. The main process stops the workers itself (SIGTERM) once it has the signal.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return wsgi_app()


def forked_app(app: Flask) -> WSGIApplication:
    """Serve, in a forked granian worker, the app the main process built: only the shared state is opened anew."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    state_of(app.extensions).control.reopen()
    return AccessLog(app, access_logger(), ACCESS_LOG_BATCHES)


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
        state = state_of(app.extensions)
        start = state.control.start.scenario
        close_app(app)  # The workers open the state themselves; no connection crosses a fork.
        # Where granian forks its workers (its start method is multiprocessing's), each serves this app.
        loader = partial(forked_app, app) if multiprocessing.get_start_method() == "fork" else None
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
            if loader is None:
                server.serve()
            else:
                server.serve(target_loader=loader, wrap_loader=False)
        finally:
            held.close()
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Turn an early SIGTERM into the same clean stop as Ctrl-C."""
    raise KeyboardInterrupt
