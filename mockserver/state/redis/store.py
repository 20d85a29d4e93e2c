"""The control state in Redis: what a worker serves (installed by its watcher), and the changes made through it.

The request path never waits on Redis: stamp() and snapshot() read what this worker installed last (the
watcher installs each new version within a poll). A change runs one Lua script (layout.py) that moves the
shared version, installs the result here at once, and returns once every live worker of every instance
serves it (bounded by SEEN_SECONDS): the next request through any instance sees it. While Redis does not
answer, changes raise StateUnavailable and request counters go on in this worker alone.
"""

from __future__ import annotations

import json
import logging
import math
import secrets
import threading
import time
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import redis

from mockserver.errors import ControlError, StateUnavailable
from mockserver.state.clock import Pin
from mockserver.state.records import MAX_SESSIONS, Health, Session, Snapshot, pin_json, read_pin
from mockserver.state.redis.layout import CONTROL_KEYS, KEYS, as_bytes, script
from mockserver.state.redis.link import Link
from mockserver.state.redis.workers import Workers

__all__ = ["SEEN_SECONDS", "RedisStore"]

# How long a change waits for every live worker to serve it: a worker polls every few tens of ms, so
# more means it is stuck (the change is made all the same, and logged).
SEEN_SECONDS = 1.0
logger = logging.getLogger(__name__)


class RedisStore:
    """A worker's view of the control state in Redis, and its changes; request counters with a local fallback."""

    def __init__(self, link: Link, workers: Workers, session_ttl: float | None, last: Snapshot | None) -> None:
        self.link = link
        self.workers = workers
        self.session_ttl = session_ttl
        self._control = link.client.register_script(script("control"))
        self._poll = link.client.register_script(script("poll"))
        self._lock = threading.Lock()
        self._snapshot = last if last is not None else Snapshot(0)
        self._epoch: str | None = None
        self._flush = 0
        self._counts: dict[str, int] = {}

    # What the request path reads: no network.

    def stamp(self) -> int:
        """Return the number of the snapshot this worker serves (it moves with every snapshot installed)."""
        return self._snapshot.stamp

    def snapshot(self) -> Snapshot:
        """Return the control state this worker serves now."""
        return self._snapshot

    def health(self) -> Health:
        """Return how Redis is reached, and why not when it is not."""
        return self.link.health()

    def position(self) -> tuple[str | None, int]:
        """Return the epoch and version of the state served (the watcher compares them with Redis's)."""
        return self._epoch, self._snapshot.version

    def flush_request(self) -> int:
        """Return the latest journal flush request this worker knows of."""
        return self._flush

    def note_flush(self, number: int) -> None:
        """Note a journal flush request seen in Redis."""
        self._flush = max(self._flush, number)

    def request_flush(self) -> int:
        """Ask every worker of every instance to write its journal buffer; return the request's number."""
        number = int(self.link.run(lambda client: client.hincrby(KEYS.state, "flush", 1)))
        self.note_flush(number)
        return number

    # Reading and installing the state.

    def load(self) -> Snapshot:
        """Read the state from Redis and serve it (writing it back first if Redis lost it); StateUnavailable if down."""

        def read(client: redis.Redis) -> list[Any]:
            pipe = client.pipeline(transaction=True)
            pipe.hgetall(KEYS.state)
            pipe.hgetall(KEYS.sessions)
            return list(pipe.execute())

        fields, sessions = self.link.run(read)
        if b"epoch" not in fields:
            self.seed()
            fields, sessions = self.link.run(read)
        return self._install(fields, sessions)

    def poll(self) -> None:
        """Look at Redis once (the watcher's poll): serve the state if it moved, note the flush request."""
        epoch, version = self.position()
        found = self.link.run(lambda client: self._poll(keys=[KEYS.state, KEYS.sessions], args=[epoch or "", version]))
        self.note_flush(int(as_bytes(found[0]) or b"0"))
        if len(found) == 1:
            return
        if not found[1]:
            self.load()  # Redis lost the state: write back the one served
            return
        self._install(_pairs(found[1]), _pairs(found[2]))

    def seed(self) -> None:
        """Write the state this worker last served into a Redis that has none (a new one, or one emptied).

        The version goes on from the one served, under a new epoch; the first worker to get there writes it,
        the others find it written.
        """
        last = self._snapshot
        sessions = [
            part
            for session in last.sessions.values()
            for part in (
                session.id,
                json.dumps(_session_json(session.scenario, session.clock, session.created, session.expires)),
            )
        ]
        version = last.version + 1 if self._epoch is not None or last.version else 0
        args = ["seed", secrets.token_hex(8), version, json.dumps(last.active), json.dumps(pin_json(last.clock))]
        args += [last.reloads, self._flush, *sessions]
        wrote = self._run(args)[1]
        if wrote and self._epoch is not None:
            logger.warning(
                "shared state: Redis at %s had lost the state; wrote back the one this worker served (version %d)",
                self.link.where,
                version,
            )

    def _install(self, fields: Mapping[bytes, bytes], raw_sessions: Mapping[bytes, bytes]) -> Snapshot:
        """Serve the state read from Redis, unless this worker already serves it or a later version."""
        epoch, version = fields[b"epoch"].decode(), int(fields[b"version"])
        self.note_flush(int(fields.get(b"flush", b"0")))
        with self._lock:
            current = self._snapshot
            if epoch == self._epoch and version <= current.version:
                return current
            sessions = {key.decode(): _session(key.decode(), json.loads(value)) for key, value in raw_sessions.items()}
            installed = Snapshot(
                version=version,
                active=json.loads(fields[b"active"]),
                clock=read_pin(json.loads(fields[b"clock"])),
                reloads=int(fields[b"reloads"]),
                sessions=MappingProxyType(sessions),
                stamp=current.stamp + 1,
            )
            self._snapshot, self._epoch = installed, epoch
        self.workers.note_seen(version)
        return installed

    # Changes: one script each; then served here, and waited for everywhere.

    def set_active(self, name: str | None) -> None:
        """Make a scenario the server's active one (its counters start again); None: the start scenario."""
        self._change("active", json.dumps(name))

    def set_clock(self, pin: Pin | None) -> None:
        """Pin the server's clock; None: back to the scenario's own clock."""
        self._change("clock", json.dumps(pin_json(pin)))

    def put_session(self, session_id: str, scenario: str | None, clock: Pin | None, *, restart: bool = True) -> Session:
        """Create or replace a session (restart: its counters start again); refuse past MAX_SESSIONS (409)."""
        ttl = "" if self.session_ttl is None else repr(float(self.session_ttl))
        stored = self._change(
            "put_session",
            session_id,
            json.dumps(scenario),
            json.dumps(pin_json(clock)),
            _now(),
            ttl,
            MAX_SESSIONS,
            "1" if restart else "0",
        )
        return _session(session_id, json.loads(stored))

    def delete_session(self, session_id: str) -> bool:
        """Delete a session and its counters; return whether it existed."""
        return bool(self._change("delete_session", session_id))

    def expire_sessions(self) -> None:
        """Delete the sessions whose time to live has passed (nothing while Redis does not answer).

        A request found them due: it waits for the script, not for the other workers (they see it within a poll).
        """
        if not self.link.up:
            return
        try:
            self._change("expire", _now(), wait=False)
        except StateUnavailable:
            return

    def note_reload(self) -> int:
        """Tell every worker of every instance to re-read its scenario files; return the new reload count."""
        return int(self._change("reload"))

    def reset(self) -> None:
        """Back to the start: no active scenario, clock, sessions, counters or journal entries."""
        self._change("reset")

    def next_count(self, scope: str) -> int:
        """Count one more request in scope; while Redis does not answer, this worker counts on alone."""
        if self.link.up:
            try:
                return int(self.link.run(lambda client: client.hincrby(KEYS.counters, scope, 1)))
            except StateUnavailable:
                pass
        with self._lock:
            number = self._counts[scope] = self._counts.get(scope, 0) + 1
        return number

    def close(self) -> None:
        """Nothing of its own to release (the link is the state's)."""

    def _change(self, *args: object, wait: bool = True) -> Any:
        """Run a change, serve its result here, and wait until every live worker serves it; return its result."""
        try:
            version, result = self._run(list(args))
        except redis.ResponseError as exc:
            if not str(exc).startswith("NOSTATE"):
                raise
            self.seed()
            version, result = self._run(list(args))
        self.load()
        if not wait:
            return result
        try:
            behind = self.workers.wait("seen", int(version), SEEN_SECONDS)
        except StateUnavailable:
            return result
        if behind:
            logger.warning(
                "shared state: %d worker(s) did not take version %d within %.1f s", behind, version, SEEN_SECONDS
            )
        return result

    def _run(self, args: list[Any]) -> list[Any]:
        """Run control.lua; its refusals become ControlErrors."""
        keys = [*CONTROL_KEYS, self.workers.key]
        try:
            return list(self.link.run(lambda client: self._control(keys=keys, args=args)))
        except redis.ResponseError as exc:
            if str(exc).startswith("TOOMANYSESSIONS"):
                raise ControlError(
                    f"too many sessions ({MAX_SESSIONS}): delete some or POST /__mock/reset", 409
                ) from None
            raise


def _pairs(flat: list[Any]) -> dict[bytes, bytes]:
    """Return a hash as HGETALL gives it inside a script (a flat list of fields and values) as a dict."""
    return {as_bytes(flat[i]): as_bytes(flat[i + 1]) for i in range(0, len(flat), 2)}


def _now() -> str:
    """Return the time now as the scripts take it: unix seconds to the next millisecond (Lua's JSON keeps 14 digits)."""
    return f"{math.ceil(time.time() * 1000) / 1000:.3f}"


def _session_json(scenario: str | None, clock: Pin | None, created: float, expires: float | None) -> dict[str, Any]:
    return {"scenario": scenario, "clock": pin_json(clock), "created": created, "expires": expires}


def _session(session_id: str, stored: Mapping[str, Any]) -> Session:
    """Read a session as stored (JSON)."""
    return Session(session_id, stored["scenario"], read_pin(stored["clock"]), stored["created"], stored["expires"])
