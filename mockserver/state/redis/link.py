"""One worker's connection to Redis: the client, whether Redis answers now and why not, reconnection, logs.

Every call goes through run(): a refused or lost connection marks the link down (one warning line) and
raises StateUnavailable at once, without waiting on the network again, until the watcher (watcher.py)
finds Redis answering and marks it up (one line). A Redis that is wrong from the start is a ConfigError.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from mockserver.errors import ConfigError, StateUnavailable
from mockserver.state.records import Health

__all__ = ["MIN_VERSION", "SCHEMES", "Link", "shown_url"]

T = TypeVar("T")
SCHEMES = ("redis", "rediss", "unix")
# Lua scripts with effects replication and multi-field HSET: what the scripts need of Redis.
MIN_VERSION = (5, 0)
# The errors the mock's own scripts raise (scripts/control.lua): the caller handles them.
OWN_ERRORS = ("NOSTATE", "TOOMANYSESSIONS", "UNKNOWNOP")
# Seconds a connection or an answer may take: Redis on the same network answers in well under 1 ms; past
# this it is as good as down, and a worker stops waiting for it.
TIMEOUT = 1.0
logger = logging.getLogger(__name__)


def shown_url(url: str) -> str:
    """Return a Redis URL as it may be shown and logged: the password (and a user's name) left out."""
    parts = urlsplit(url)
    if parts.password is None and parts.username is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port is not None else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _reason(exc: BaseException) -> str:
    """Say in one line why Redis did not answer."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]


class Link:
    """The Redis client of one process, and the link's state: up, or down since when and why."""

    def __init__(self, url: str, timeout: float = TIMEOUT) -> None:
        scheme = urlsplit(url).scheme
        if scheme not in SCHEMES:
            raise ConfigError(f"--state: {shown_url(url)!r} is neither `local` nor a redis:// or rediss:// URL")
        self.url = url
        self.where = shown_url(url)
        try:
            self.client = redis.Redis.from_url(
                url,
                socket_timeout=timeout,
                socket_connect_timeout=timeout,
                # One retry on a fresh connection (a pooled one may have died with a restarted Redis), no wait.
                retry=Retry(NoBackoff(), 1),
                client_name=f"sendstat-mock-{socket.gethostname()[:40]}-{os.getpid()}",
            )
        except ValueError as exc:
            raise ConfigError(f"--state: {self.where}: {exc}") from None
        self._lock = threading.Lock()
        self._up = True
        self._reason: str | None = None
        self._since: float | None = None

    @property
    def up(self) -> bool:
        """Whether Redis answered the last call."""
        return self._up

    def check(self) -> None:
        """Connect now and check the server (start-up): ConfigError in one line when it cannot serve the state."""
        try:
            info = self.client.info("server")
        except redis.AuthenticationError as exc:
            raise ConfigError(f"--state {self.where}: Redis refused the credentials: {_reason(exc)}") from None
        except redis.RedisError as exc:
            raise ConfigError(f"--state {self.where}: cannot use Redis: {_reason(exc)}") from None
        version = str(info.get("redis_version", "0"))
        found = tuple(int(part) for part in version.split(".")[:2] if part.isdigit())
        if found < MIN_VERSION:
            wanted = ".".join(map(str, MIN_VERSION))
            raise ConfigError(f"--state {self.where}: Redis {version} is too old (the mock needs {wanted} or later)")

    def run(self, call: Callable[[redis.Redis], T]) -> T:
        """Run a call on the client; StateUnavailable at once while down, or when the call finds Redis gone."""
        if not self._up:
            raise self.unavailable()
        try:
            return call(self.client)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            self.down(_reason(exc))
            raise self.unavailable() from None
        except redis.ResponseError as exc:
            if str(exc).startswith(OWN_ERRORS):
                raise
            # Redis answers, but refuses (out of memory, a read-only replica): the call fails, the link stays up.
            logger.warning("shared state: Redis at %s refused a call: %s", self.where, _reason(exc))
            raise StateUnavailable(
                f"the shared state (Redis at {self.where}) refused the change: {_reason(exc)}"
            ) from None

    def probe(self) -> bool:
        """Ask Redis whether it answers (the watcher's reconnection attempt); mark the link up or down."""
        try:
            self.client.ping()
        except redis.RedisError as exc:
            self.down(_reason(exc))
            return False
        self.mark_up()
        return True

    def down(self, reason: str) -> None:
        """Note that Redis does not answer; the first time, say so."""
        with self._lock:
            if not self._up:
                return
            self._up, self._reason, self._since = False, reason, time.time()
        logger.warning(
            "shared state: worker %d: Redis at %s does not answer (%s); API requests are answered from the last "
            "state seen, control calls get 503; reconnecting",
            os.getpid(),
            self.where,
            reason,
        )

    def mark_up(self) -> None:
        """Note that Redis answers again; the first time, say so."""
        with self._lock:
            if self._up:
                return
            since = self._since or time.time()
            self._up, self._reason, self._since = True, None, None
        logger.info(
            "shared state: worker %d: Redis at %s answers again after %.1f s",
            os.getpid(),
            self.where,
            time.time() - since,
        )

    def unavailable(self) -> StateUnavailable:
        """Return the error a control call gets while Redis does not answer."""
        return self.health().unavailable()

    def health(self) -> Health:
        """Return the link's state for /health."""
        return Health("redis", self.where, self._up, self._reason, self._since)

    def close(self) -> None:
        """Close the client's connections."""
        self.client.close()
