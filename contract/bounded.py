"""Every answer read within bounds: one deadline per request and at most --max-body decoded bytes of a body.

`BoundedAdapter` is mounted on every session of a run, the suite's own and schemathesis' (contract/
engine_sessions.py), so that no server can make the checker hang or fill its memory:

- the deadline of a request (contract/deadline.py) is its --timeout, or the end of the run's budget if that
  comes first; past the budget nothing is sent at all;
- the body is streamed and decoded (gzip, deflate) a chunk at a time, and abandoned once its decoded size
  passes the cap, so a decompression bomb is counted by what it decodes to;
- the timeout schemathesis passes is not used: it shortens the timeout of an operation that keeps hanging to
  four times its slowest answer, a measured time, which would make a run depend on the machine's load.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.client import HTTPException, RemoteDisconnected
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import DecodeError, HTTPError, NewConnectionError
from urllib3.poolmanager import PoolManager

from contract.budget import BudgetExhausted, Clock
from contract.deadline import Guard, Guards, watch_pools

CHUNK = 64 * 1024
MiB = 1024 * 1024
# Bodies from this size on are shared when equal to one of the last SHARED_BODIES such bodies.
SHARED_FROM = MiB
SHARED_BODIES = 4


class NoAnswer(requests.exceptions.ChunkedEncodingError):
    """The server took the request but gave no usable answer: none in time, a cut or unreadable one, or a too large one.

    One type for all of them, raised in one place, so that what schemathesis and Hypothesis do next does not
    depend on whether the server closed the connection a moment before the deadline or a moment after it.
    `check` is the suite's check that reports it: `no-answer`, or `body-size` for a body over the cap.
    """

    def __init__(self, reason: str, *, check: str = "no-answer", request: requests.PreparedRequest | None = None):
        super().__init__(reason, request=request)
        self.reason = reason
        self.check = check


@dataclass(frozen=True)
class Limits:
    """What one request may take: seconds (connect, head and body together) and decoded body bytes."""

    timeout: float
    max_body: int


# Called for every request that got no usable answer: the request, the error and the seconds it took.
OnFailure = Callable[[requests.PreparedRequest, Exception, float], None]


class BoundedAdapter(HTTPAdapter):
    """An HTTPAdapter that ends each request at its deadline and stops reading a body at the cap."""

    def __init__(self, limits: Limits, clock: Clock, *, on_failure: OnFailure | None = None) -> None:
        self.limits = limits
        self.clock = clock
        self.on_failure = on_failure
        self.guards = Guards()
        self.sent = 0
        self._recent: dict[bytes, bytes] = {}
        super().__init__(max_retries=0)

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        """Build the pool manager with connections that report their sockets to the request's guard."""
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        watch_pools(self.poolmanager, self.guards)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """A proxy's pool manager, watched like the direct one."""
        known = proxy in self.proxy_manager
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not known and isinstance(manager, PoolManager):
            watch_pools(manager, self.guards)
        return manager

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        """Send one request within its deadline and read its whole body within the cap (`timeout` is not used)."""
        seconds, by_budget = self.clock.window(self.limits.timeout)
        guard = Guard(seconds, "budget" if by_budget else "timeout")
        self.guards.current = guard
        started = time.monotonic()
        self.sent += 1
        guard.start()
        try:
            response = super().send(request, stream=True, timeout=seconds, verify=verify, cert=cert, proxies=proxies)
            response._content = self._read_body(response, guard)
            # requests' own flag that the body was read (Response.content then returns _content).
            response._content_consumed = True  # type: ignore[attr-defined]
        except Exception as exc:
            error = self._failure(exc, guard, request)
            if self.on_failure is not None and isinstance(error, (NoAnswer, requests.ConnectionError)):
                self.on_failure(request, error, time.monotonic() - started)
            if error is exc:
                raise
            raise error from exc
        finally:
            guard.cancel()
            self.guards.current = None
        return response

    def _read_body(self, response: requests.Response, guard: Guard) -> bytes:
        """The decoded body, read a chunk at a time; NoAnswer past the cap (the watchdog ends reads at the deadline)."""
        raw = response.raw
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in raw.stream(CHUNK, decode_content=True):
                size += len(chunk)
                if size > self.limits.max_body:
                    raise NoAnswer(
                        f"the answer ({response.status_code}) passed --max-body {size_text(self.limits.max_body)} "
                        "(decoded bytes); the rest was not read",
                        check="body-size",
                    )
                parts.append(chunk)
        except BaseException:
            # The error's traceback keeps this frame alive until a garbage collection (the adapter's frame and
            # the error refer to each other): let go of up to --max-body bytes now.
            parts.clear()
            raw.close()  # never hand a half-read connection back to the pool
            raise
        if guard.fired:
            raw.close()  # the watchdog shut this connection down as the body ended
        else:
            raw.release_conn()
        return self._shared(b"".join(parts))

    def _shared(self, body: bytes) -> bytes:
        """The same bytes object for a large body equal to a recent one (an index sent again and again).

        schemathesis keeps every answer of a scenario until it ends: 15 copies of a 29 MB index are 435 MB,
        one shared copy 29 MB.
        """
        if len(body) < SHARED_FROM:
            return body
        key = hashlib.blake2b(body, digest_size=16).digest()
        known = self._recent.pop(key, None)
        self._recent[key] = known if known is not None else body
        while len(self._recent) > SHARED_BODIES:
            del self._recent[next(iter(self._recent))]
        return self._recent[key]

    def _failure(self, exc: Exception, guard: Guard, request: requests.PreparedRequest) -> Exception:
        """The error to raise for a request that failed: what the guard did decides first, then the kind."""
        if guard.fired:
            if guard.cause == "budget":
                return BudgetExhausted(f"the time budget of {self.clock.seconds:g} s ran out during a request")
            if not guard.unconnected:
                return NoAnswer(f"no answer within {guard.seconds:g} s", request=request)
            # No connection by the deadline (a hung name lookup): the server cannot be reached, as when refused.
        if isinstance(exc, NoAnswer):
            exc.request = request
            return exc
        if isinstance(exc, requests.ConnectTimeout) or _before_connecting(exc) or _closed_unanswered(exc):
            return exc  # no connection, or closed before any answer: the server cannot be reached
        if isinstance(exc, requests.Timeout):
            return NoAnswer(f"no answer within {guard.seconds:g} s", request=request)
        if isinstance(exc, (requests.exceptions.ContentDecodingError, DecodeError)):
            return NoAnswer(f"body not decodable: {_cause(exc)}", request=request)
        cut = (requests.ConnectionError, requests.exceptions.ChunkedEncodingError, HTTPError, HTTPException, OSError)
        if isinstance(exc, cut):
            return NoAnswer(f"answer cut off or unreadable: {_cause(exc)}", request=request)
        return exc


def bounded_session(headers: Mapping[str, str], adapter: BoundedAdapter) -> requests.Session:
    """A session sending `headers` with every request through the adapter (for http and https)."""
    session = requests.Session()
    session.headers.update(headers)
    mount(session, adapter)
    return session


def mount(session: requests.Session, adapter: BoundedAdapter) -> None:
    """Send every request of the session through the adapter."""
    session.mount("http://", adapter)
    session.mount("https://", adapter)


def size_text(size: int) -> str:
    """A byte size as people write it: `64 MiB`, `512 KiB`, `300 B`."""
    for unit, factor in (("GiB", 1024 * MiB), ("MiB", MiB), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} B"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it wraps (args, cause, context), outermost first, without cycles."""
    seen: list[BaseException] = []
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if any(current is known for known in seen):
            continue
        seen.append(current)
        todo += [arg for arg in current.args if isinstance(arg, BaseException)]
        reason = getattr(current, "reason", None)
        todo += [item for item in (reason, current.__cause__, current.__context__) if isinstance(item, BaseException)]
    return seen


def _before_connecting(exc: Exception) -> bool:
    """Whether the request failed before a connection existed (refused, unresolvable, unroutable)."""
    return isinstance(exc, requests.ConnectionError) and any(isinstance(e, NewConnectionError) for e in _chain(exc))


def _closed_unanswered(exc: Exception) -> bool:
    """Whether the server closed the connection before a byte of an answer (schemathesis resends these once)."""
    dropped = (RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)
    return isinstance(exc, requests.ConnectionError) and any(isinstance(e, dropped) for e in _chain(exc))


def _cause(exc: BaseException) -> str:
    """The message of the innermost error a wrapped error carries (urllib3 and requests wrap several deep)."""
    current = exc
    for _ in range(10):
        inner = [arg for arg in current.args if isinstance(arg, BaseException)]
        reason = getattr(current, "reason", None)
        following = inner[-1] if inner else reason if isinstance(reason, BaseException) else current.__cause__
        if following is None:
            break
        current = following
    return str(current) or type(current).__name__
