"""The shared state's one interface: a control store and a journal, held locally (SQLite) or in Redis.

The rest of the mock uses a SharedState the same way whichever backend holds it (state/local,
state/redis). open_state picks the backend from where the state lives; the Redis client is imported only
when Redis holds the state, so the default start-up loads none of it.
"""

from __future__ import annotations

from typing import Protocol

from mockserver.state.clock import Pin
from mockserver.state.config import StateSettings
from mockserver.state.journal import Journal
from mockserver.state.local.state import LocalState
from mockserver.state.records import Health, Session, Snapshot

__all__ = ["ControlStore", "SharedState", "open_state"]


class ControlStore(Protocol):
    """The control state: active scenario, clock, sessions, request counters; every change moves the version.

    stamp() and snapshot() are what the request path reads: neither may wait on a network. A change that
    cannot be made raises ControlError (StateUnavailable, a 503, when the state cannot be reached).
    """

    def stamp(self) -> int:
        """Return this process's number for the snapshot it serves: it moves whenever the snapshot does."""
        ...

    def snapshot(self) -> Snapshot:
        """Return the control state as this process serves it now."""
        ...

    def health(self) -> Health:
        """Return how the state is reached, and why not when it cannot be."""
        ...

    def set_active(self, name: str | None) -> None:
        """Make a scenario the server's active one; None: back to the start scenario."""
        ...

    def set_clock(self, pin: Pin | None) -> None:
        """Pin the server's clock; None: back to the scenario's own clock."""
        ...

    def put_session(self, session_id: str, scenario: str | None, clock: Pin | None, *, restart: bool = True) -> Session:
        """Create or replace a session (restart: its fault counters start again)."""
        ...

    def delete_session(self, session_id: str) -> bool:
        """Delete a session and its counters; return whether it existed."""
        ...

    def expire_sessions(self) -> None:
        """Delete the sessions whose time to live has passed."""
        ...

    def note_reload(self) -> int:
        """Tell every worker to re-read the scenario files; return the new reload count."""
        ...

    def reset(self) -> None:
        """Back to the start: no active scenario, clock, sessions, counters or journal entries."""
        ...

    def next_count(self, scope: str) -> int:
        """Count one more request in scope (session|scenario|endpoint) and return its number, from 1."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class SharedState(Protocol):
    """A control store and the journal beside it, as one worker process holds them."""

    @property
    def store(self) -> ControlStore:
        """The control store."""
        ...

    @property
    def journal(self) -> Journal:
        """The request journal."""
        ...

    def reopen(self) -> SharedState:
        """Open the same state anew in a forked worker (after close), keeping what was last seen of it."""
        ...

    def close(self) -> None:
        """Write the journal's buffer and release the state (before a fork, or at exit)."""
        ...


def open_state(settings: StateSettings, last: Snapshot | None = None) -> SharedState:
    """Open the shared state the settings name; ConfigError (one line) when Redis is wrong from the start."""
    if settings.url is None:
        return LocalState(settings)
    # Lazy: the Redis client is loaded only when Redis holds the state (the mock's start-up time matters).
    from mockserver.state.redis.state import RedisState

    return RedisState(settings, last)
