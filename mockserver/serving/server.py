"""Runs the mock under granian: the worker-side app factory, the port, the server's life.

Granian workers are separate processes. Where they are forked (Linux), each inherits the app the main
process built to check the config and only opens the shared state anew (forked_app): no second start-up.
Elsewhere they import `TARGET` and call it, and the config travels in the environment variable
CONFIG_ENV (JSON), set by `serve` before the workers start.

The server's life, with granian's own supervision: a worker that dies is replaced (granian's
respawn_failed_workers; the shared state lives in files, so it is intact); SIGTERM or SIGINT stops
accepting at once and gives the answers in flight the grace period (granian's workers_kill_timeout), then
kills what remains and exits 0; a second signal kills the workers at once. Connections idle longer than
the idle timeout (never a byte sent, or between keep-alive requests) are closed: HTTP/1.1 only, where
hyper's header-read timer starts as soon as a connection is accepted (with HTTP/2 detection it does not).
"""

from __future__ import annotations

import json
import logging
import logging.config
import multiprocessing
import os
import signal
import socket
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from mockserver.errors import ConfigError
from mockserver.http.app import close_app, create_app
from mockserver.http.context import state_of
from mockserver.serving.access_log import AccessLog, access_logger
from mockserver.serving.logs import EVENTS_LOGGER, LogSettings, dict_config
from mockserver.state.batching import BatchSettings

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from flask import Flask

__all__ = [
    "CONFIG_ENV",
    "LOG_ENV",
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
# How a spawned (not forked) worker learns the log settings: {"format": "text"|"json", "quiet": bool}.
LOG_ENV = "SENDSTAT_MOCK_LOG"
TARGET = "mockserver.serving.server:worker_app"
# Access-log lines go out every 50 ms; nothing asks for them sooner, so the writer wakes no more often.
ACCESS_LOG_BATCHES = BatchSettings(interval=0.05, tick=0.05)


def wsgi_app(log: LogSettings | None = None) -> WSGIApplication:
    """Build the app in a granian worker from CONFIG_ENV, in a batched access log (none when quiet)."""
    config = json.loads(os.environ.get(CONFIG_ENV) or "{}")
    if not isinstance(config, dict):
        raise ConfigError(f"{CONFIG_ENV} must hold a JSON object of SENDSTAT_* keys")
    return _logged(create_app(config), log or _log_settings())


def worker_app() -> WSGIApplication:
    """Build the app in a granian worker, deaf to Ctrl-C until granian takes over the signals.

    A terminal's Ctrl-C reaches every process of the group; a worker still building its app would die
    with a traceback. The main process stops the workers itself (SIGTERM) once it has the signal.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    return wsgi_app()


def forked_app(app: Flask, log: LogSettings | None = None) -> WSGIApplication:
    """Serve, in a forked granian worker, the app the main process built: only the shared state is opened anew."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    state_of(app.extensions).control.reopen()
    return _logged(app, log or LogSettings())


def _logged(app: Flask, log: LogSettings) -> WSGIApplication:
    """Wrap an app in the access log, unless quiet."""
    if log.quiet:
        return app
    return AccessLog(app, access_logger(), ACCESS_LOG_BATCHES, log.format)


def _log_settings() -> LogSettings:
    """Read the log settings a spawned worker finds in LOG_ENV (text, not quiet, when unset)."""
    raw = json.loads(os.environ.get(LOG_ENV) or "{}")
    return LogSettings(format=raw.get("format", "text"), quiet=bool(raw.get("quiet", False)))


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
    """How to run the mock: where to listen, worker processes, the app's config (JSON-able), and its life.

    graceful_timeout: whole seconds (at least 1) answers in flight get after SIGTERM/SIGINT; idle_timeout: seconds a
    connection may stay silent (before its first request, or between keep-alive requests).
    """

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    config: Mapping[str, Any] = field(default_factory=dict)
    graceful_timeout: int = 5
    idle_timeout: float = 15.0
    log: LogSettings = field(default_factory=LogSettings)


def url_of(host: str, port: int) -> str:
    """Return the base URL of a listening address (IPv6 in brackets)."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@dataclass(frozen=True)
class Started:
    """What a starting server announces: its port, the start scenario (name, seed), where a shared state lives.

    state: the Redis URL (no password) of a state shared between instances; None for the local state.
    """

    port: int
    scenario: str
    seed: int
    state: str | None = None


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
    from granian.constants import HTTPModes, Interfaces
    from granian.http import HTTP1Settings
    from granian.log import LogLevels
    from granian.server import Server

    logging.config.dictConfig(dict_config(options.log))
    # The app is CPU-bound Python under the GIL: a few threads per worker (granian's default is
    # hundreds, and it warns about that); timeout faults may hold at most half of them.
    threads = min(2 * (os.cpu_count() or 1) + 1, 16)
    with tempfile.TemporaryDirectory(prefix="sendstat-mock-") as scratch:
        config = {"SENDSTAT_STATE_DIR": scratch, "SENDSTAT_HOLD_SLOTS": max(1, threads // 2), **options.config}
        app = create_app(config)  # Fail here, with one line, rather than in every worker.
        state = state_of(app.extensions)
        start = state.control.start.scenario
        health = state.control.store.health()
        shared = health.where if health.backend != "local" else None
        _report_broken_files(app, config)
        close_app(app)  # The workers open the state themselves; no connection crosses a fork.
        # Where granian forks its workers (its start method is multiprocessing's), each serves this app.
        fork = multiprocessing.get_start_method() == "fork"
        loader = partial(forked_app, app, options.log) if fork else None
        held = reserve_port(options.host, options.port)
        port: int = held.getsockname()[1]
        os.environ[CONFIG_ENV] = json.dumps(config)
        os.environ[LOG_ENV] = json.dumps({"format": options.log.format, "quiet": options.log.quiet})
        server = Server(
            TARGET,
            address=options.host,
            port=port,
            interface=Interfaces.WSGI,
            workers=options.workers,
            blocking_threads=threads,
            factory=True,
            websockets=False,
            # HTTP/1.1 only: with HTTP/2 detection, a connection that never sends a byte is never timed out.
            http=HTTPModes.http1,
            http1_settings=HTTP1Settings(header_read_timeout=max(1, round(options.idle_timeout * 1000))),
            respawn_failed_workers=True,
            workers_kill_timeout=options.graceful_timeout,
            log_level=LogLevels.info,
            log_dictconfig=dict_config(options.log),
        )
        server.on_startup(partial(_second_signal_kills, server))
        try:
            announce(Started(port, start.name, start.seed, shared))
            if loader is None:
                server.serve()
            else:
                server.serve(target_loader=loader, wrap_loader=False)
        finally:
            held.close()
    return 0


def _report_broken_files(app: Flask, config: Mapping[str, Any]) -> None:
    """Load the files of the operator's scenario directories now, and log each that does not load.

    The shipped scenarios are checked by the project's tests; loading them too would only slow the start.
    """
    library = state_of(app.extensions).control.library
    dirs = [Path(directory) for directory in config.get("SENDSTAT_SCENARIO_DIRS", ())]
    events = logging.getLogger(EVENTS_LOGGER)
    for problem in library.problems(dirs) if dirs else ():
        events.warning("scenario file not loaded (fix it; the mock picks it up then): %s", problem)


def _second_signal_kills(server: Any) -> None:
    """Install, once granian has set its handlers, ones that stop gracefully first and at once on a second signal.

    granian's own handler only flags the stop; its shutdown then waits up to workers_kill_timeout for each
    worker. A second SIGTERM or SIGINT (an impatient Ctrl-C) kills the workers, which ends that wait.
    """
    events = logging.getLogger(EVENTS_LOGGER)
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        if len(received) == 1:
            events.info(
                "%s: stopping; answers in flight have %gs to finish (a second signal stops at once)",
                signal.Signals(signum).name,
                server.workers_kill_timeout,
            )
            server.signal_handler_interrupt()
            return
        events.warning("%s again: stopping at once", signal.Signals(signum).name)
        for worker in list(server.wrks):
            worker.kill()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, handler)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    """Turn an early SIGTERM into the same clean stop as Ctrl-C."""
    raise KeyboardInterrupt
