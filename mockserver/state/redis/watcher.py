"""A worker's watch on Redis, in a background thread: the version it serves, flush requests, beats, reconnection.

Every `poll` seconds one round trip (scripts/poll.lua) tells whether another worker or instance changed
the state, and brings the state along when it did. So the request path never waits on Redis, and a
change made anywhere is served here within about a poll. While Redis does
not answer, the watcher tries again every RETRY_SECONDS; once it answers, the state is read again (or
written back, if Redis lost it), the worker joins the registry again and its waiting journal entries go out.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from mockserver.errors import StateUnavailable
from mockserver.state.redis.link import Link
from mockserver.state.redis.store import RedisStore
from mockserver.state.redis.workers import BEAT_SECONDS, Workers

__all__ = ["RETRY_SECONDS", "Watcher"]

RETRY_SECONDS = 0.25
logger = logging.getLogger(__name__)


def _nothing() -> None:
    return None


class Watcher:
    """The background thread of one worker's Redis state (a daemon: it holds nothing that must be written)."""

    def __init__(
        self,
        link: Link,
        store: RedisStore,
        workers: Workers,
        poll: float,
        *,
        on_flush: Callable[[], None] = _nothing,
        on_up: Callable[[], None] = _nothing,
    ) -> None:
        self.link = link
        self.store = store
        self.workers = workers
        self.poll = poll
        self.on_flush = on_flush
        self.on_up = on_up
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._next_beat = 0.0
        self._next_probe = 0.0
        self._flush_seen = store.flush_request()

    def start(self) -> None:
        """Start watching."""
        self._thread = threading.Thread(target=self._run, name="sendstat-state-watch", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching and wait for the thread."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while not self._stop.wait(self.poll):
            try:
                self.tick()
            except StateUnavailable:
                continue  # the link is marked down (and said so): the next tick tries again
            except Exception:  # the watch must outlive any surprise: it is how this worker sees changes
                logger.exception("shared state: the watch on Redis failed; trying again")

    def tick(self) -> None:
        """Look once: reconnect when down; install a new version; answer a flush request; beat when due."""
        now = time.monotonic()
        if not self.link.up:
            if now < self._next_probe:
                return
            self._next_probe = now + RETRY_SECONDS
            if not self.link.probe():
                return
            self.store.load()
            self.workers.beat()
            self._next_beat = now + BEAT_SECONDS
            self.on_up()
            return
        self.store.poll()
        number = self.store.flush_request()
        if number > self._flush_seen:
            self._flush_seen = number
            self.on_flush()
        if now >= self._next_beat:
            self._next_beat = now + BEAT_SECONDS
            self.workers.beat()
