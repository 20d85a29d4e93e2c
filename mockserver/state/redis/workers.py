"""The registry of live workers in Redis: what each has seen and answered, and waiting until all have.

Each worker process keeps a key of its own (the version it serves, the journal flush request it answered,
its pid and host) that expires unless the worker beats; the set of ids lists them. A control change waits
until every live worker serves it, and a journal read until every live worker wrote its buffer: a worker
that stopped, or stopped beating, drops out and is not waited for.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time

import redis

from mockserver.state.redis.layout import KEYS, script
from mockserver.state.redis.link import Link

__all__ = ["BEAT_SECONDS", "TTL_MS", "Workers"]

# A worker beats this often; its key lives TTL_MS without a beat: a worker gone is waited for no longer.
BEAT_SECONDS = 0.5
TTL_MS = 3000
_POLL = 0.002
logger = logging.getLogger(__name__)


class Workers:
    """This worker's entry in the registry (seen, ack), and waits on every live worker's."""

    def __init__(self, link: Link) -> None:
        self.link = link
        self.host = socket.gethostname()[:64]
        self.id = f"{self.host}-{os.getpid()}-{secrets.token_hex(3)}"
        self.key = KEYS.worker_key(self.id)
        self.seen = 0
        self.ack = 0
        self._waiting = link.client.register_script(script("waiting"))

    def beat(self) -> None:
        """Write this worker's entry anew (joining the registry if it had dropped out); StateUnavailable if down."""

        def write(client: redis.Redis) -> None:
            pipe = client.pipeline(transaction=True)
            pipe.sadd(KEYS.workers, self.id)
            pipe.hset(self.key, mapping={"seen": self.seen, "ack": self.ack, "pid": os.getpid(), "host": self.host})
            pipe.pexpire(self.key, TTL_MS)
            pipe.execute()

        self.link.run(write)

    def note_seen(self, version: int) -> None:
        """Note that this worker serves a version now."""
        self.seen = max(self.seen, version)
        self.beat()

    def note_ack(self, number: int) -> None:
        """Note that this worker has written its journal buffer up to a flush request (the write said so too)."""
        self.ack = max(self.ack, number)

    def wait(self, field: str, number: int, seconds: float) -> int:
        """Wait (bounded) until every live worker's field (seen, ack) reaches number; return how many did not."""
        deadline = time.monotonic() + seconds
        while True:
            waiting = int(
                self.link.run(lambda client: self._waiting(keys=[KEYS.workers], args=[KEYS.worker, field, number]))
            )
            if waiting == 0 or time.monotonic() > deadline:
                return waiting
            time.sleep(_POLL)

    def leave(self) -> None:
        """Leave the registry (a clean stop); nothing when Redis does not answer (the key expires by itself)."""
        try:
            self.link.run(lambda client: client.srem(KEYS.workers, self.id) + client.delete(self.key))
        except Exception:  # noqa: BLE001 - leaving is a courtesy: the key expires anyway
            logger.debug("worker %s left without telling Redis", self.id)
