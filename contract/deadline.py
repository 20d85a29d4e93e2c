"""One deadline per HTTP request, covering name lookup, connect, head and body: a watchdog ends it when it passes.

requests' and urllib3's timeouts apply to each socket operation: a server that sends a byte every half
second never trips them. The watchdog is a timer per request; urllib3's connections report their sockets
to the request's guard (a new socket when it is made, a kept-alive one when a request goes out on it), and
when the deadline passes the guard shuts them down, which ends any blocking read at once. A new connection
is made in a helper thread that the request waits for until the deadline: the name lookup (getaddrinfo)
has no timeout of its own and no socket to shut, so a resolver that never answers is given up on instead.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from typing import Any, Literal

from urllib3.exceptions import NewConnectionError
from urllib3.poolmanager import PoolManager

Cause = Literal["timeout", "budget"]


class ConnectionDeadline(TimeoutError):
    """No connection was made by the request's deadline (a name lookup or a connect that hung)."""


class Guard:
    """The deadline of one request: shuts down every socket it watches when `seconds` have passed."""

    def __init__(self, seconds: float, cause: Cause) -> None:
        self.seconds = seconds
        self.cause = cause
        self.deadline = time.monotonic() + seconds
        self.fired = False
        self.unconnected = False  # fired while no connection was made yet
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def start(self) -> None:
        """Start the timer."""
        self._timer.start()

    def cancel(self) -> None:
        """Stop the timer (the request ended)."""
        self._timer.cancel()

    def watch(self, sock: socket.socket | None) -> None:
        """Shut this socket down at the deadline (at once if it has passed)."""
        if sock is None:
            return
        with self._lock:
            if self.fired:
                _shut(sock)
            else:
                self._sockets.append(sock)

    def connect(self, connect: Callable[[], socket.socket]) -> socket.socket:
        """Make a connection in a helper thread, given up at the deadline (ConnectionDeadline; the guard fires).

        A connection that comes after the request gave up on it is closed by the helper.
        """
        made: list[socket.socket] = []
        failed: list[BaseException] = []
        done = threading.Event()
        abandoned = threading.Event()

        def work() -> None:
            try:
                sock = connect()
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting request
                failed.append(exc)
            else:
                made.append(sock)
                if abandoned.is_set():
                    sock.close()
            done.set()

        threading.Thread(target=work, name="sendstat-connect", daemon=True).start()
        if not done.wait(max(0.0, self.deadline - time.monotonic())):
            abandoned.set()
            if made:  # made in the instant between the wait and the flag
                made[0].close()
            self.unconnected = True
            self._fire()
            raise ConnectionDeadline(f"no connection within {self.seconds:g} s (name lookup or connect)")
        if failed:
            raise failed[0]
        return made[0]

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


class Guards:
    """The guard of the request each thread is sending (an adapter is shared by a session's threads)."""

    def __init__(self) -> None:
        self._local = threading.local()

    @property
    def current(self) -> Guard | None:
        """The guard of this thread's request in flight, if any."""
        guard: Guard | None = getattr(self._local, "guard", None)
        return guard

    @current.setter
    def current(self, guard: Guard | None) -> None:
        self._local.guard = guard


def watch_pools(manager: PoolManager, guards: Guards) -> None:
    """Make the manager's connection pools report their connections' sockets to the current guard."""
    manager.pool_classes_by_scheme = {
        scheme: _watched_pool(pool_class, guards) for scheme, pool_class in manager.pool_classes_by_scheme.items()
    }


def _watched_pool(pool_class: type[Any], guards: Guards) -> type[Any]:
    """A subclass of a urllib3 pool class whose connections report their sockets."""
    connection_class = pool_class.ConnectionCls

    class WatchedConnection(connection_class):  # type: ignore[misc,valid-type]
        """A urllib3 connection that hands its socket to the guard of the request in flight."""

        def _new_conn(self) -> Any:
            guard = guards.current
            connect = super()._new_conn
            try:
                sock = connect() if guard is None else guard.connect(connect)
            except ConnectionDeadline as exc:
                raise NewConnectionError(self, str(exc)) from exc
            _watch(guards, sock)
            return sock

        def request(self, *args: Any, **kwargs: Any) -> Any:
            _watch(guards, self.sock)  # a kept-alive connection: its socket is not new
            return super().request(*args, **kwargs)

    return type(f"Watched{pool_class.__name__}", (pool_class,), {"ConnectionCls": WatchedConnection})


def _watch(guards: Guards, sock: socket.socket | None) -> None:
    guard = guards.current
    if guard is not None:
        guard.watch(sock)


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: it ends the blocked read on the descriptor without
    # touching the TLS object another thread is reading through.
    # OSError: already closed by the other side, so nothing is blocked on it.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
