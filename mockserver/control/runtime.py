"""One worker's control plane: the scenario library, the shared state (store, journal), and what it caches of them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mockserver.control.faults import Decision, decide, needs_count
from mockserver.control.reloader import Reloader
from mockserver.control.scene import Behaviour, Overrides
from mockserver.control.selection import Asked, Selection, select
from mockserver.errors import ScenarioError
from mockserver.scenario.library import ScenarioLibrary
from mockserver.state.backend import ControlStore, SharedState
from mockserver.state.journal import Journal
from mockserver.state.records import Snapshot

__all__ = ["Limits", "Runtime"]

_CACHED_NAMES = 256


@dataclass(frozen=True)
class Limits:
    """Bounds of the request path: the longest timeout hold, how many holds at once, the reload poll."""

    max_hold_ms: int = 30_000
    hold_slots: int = 4
    reload_interval: float | None = 1.0


class Runtime:
    """What a worker needs to select and serve a scenario; the mutable parts live in the shared state."""

    def __init__(
        self,
        library: ScenarioLibrary,
        state: SharedState,
        start: str,
        overrides: Overrides,
        limits: Limits = Limits(),
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.library = library
        self.state = state
        self.overrides = overrides
        self.limits = limits
        self.sleep = sleep
        self.start_name = start
        self._lock = threading.Lock()
        self._behaviours: dict[str, Behaviour] = {}
        # Bumped whenever the scenario files are re-read: answers built before then may be stale.
        self.generation = 0
        self._initial = self.behaviour(start)  # raises ScenarioError: the CLI says which and exits
        self._holds = threading.BoundedSemaphore(max(1, limits.hold_slots))
        self.reloader = Reloader(library.dirs, limits.reload_interval)
        self._snapshot = state.store.snapshot()
        self._reloads_seen = self._snapshot.reloads

    @property
    def store(self) -> ControlStore:
        """The shared control store."""
        return self.state.store

    @property
    def journal(self) -> Journal:
        """The shared request journal."""
        return self.state.journal

    @property
    def start(self) -> Behaviour:
        """The start scenario as loaded now (its first good version if it no longer loads)."""
        try:
            return self.behaviour(self.start_name)
        except ScenarioError:
            return self._initial

    def refresh(self) -> Snapshot:
        """Return the shared state, re-read only when its stamp moved; expire sessions; reload files that changed."""
        snapshot = self._fresh()
        expiry = snapshot.next_expiry
        if expiry is not None and time.time() >= expiry:
            self.store.expire_sessions()
            snapshot = self._fresh()
        if self.reloader.changed():
            self._reload_library()
        return snapshot

    def _fresh(self) -> Snapshot:
        """Return the shared state as the store serves it, re-read only when its stamp moved (one read, no query)."""
        snapshot = self._snapshot
        if self.store.stamp() != snapshot.stamp:
            fresh = self.store.snapshot()
            if fresh.reloads != self._reloads_seen:
                self._reloads_seen = fresh.reloads
                self.reload()
            self._snapshot = snapshot = fresh
        return snapshot

    def require_state(self) -> None:
        """Raise StateUnavailable (503) while the shared state cannot be reached: a control call waits for it."""
        health = self.store.health()
        if not health.connected:
            raise health.unavailable()

    def health(self) -> dict[str, object]:
        """Return what /health shows: ok, or degraded with the shared state's problem."""
        health = self.state.store.health()
        status = "ok" if health.connected else "degraded"
        return {"status": status, "state": health.to_json()}

    def active(self) -> Behaviour:
        """Return the server's active scenario (the start one when none is set or it no longer loads)."""
        stored = self.refresh().active
        if stored is None:
            return self.start
        try:
            return self.behaviour(stored)
        except ScenarioError:
            return self.start

    def select(self, asked: Asked) -> Selection:
        """Select the scene of a request (see selection.py)."""
        return select(asked, self.refresh(), self.behaviour, self.start)

    def behaviour(self, name: str) -> Behaviour:
        """Return the behaviour of a scenario named (or pathed) so; ScenarioError when it does not load."""
        with self._lock:
            found = self._behaviours.get(name)
        if found is not None:
            return found
        built = Behaviour.build(self.library.get(name), self.overrides)
        with self._lock:
            if len(self._behaviours) >= _CACHED_NAMES:
                self._behaviours.clear()
            self._behaviours[name] = built
        return built

    def names(self) -> list[str]:
        """Return the names of the loadable scenarios."""
        return self.library.names()

    def errors(self) -> Sequence[ScenarioError]:
        """Return the problems of the last reload (a bad file keeps its last good version)."""
        self.library.complete()
        return tuple(self.library.errors)

    def reload(self) -> list[ScenarioError]:
        """Re-read the scenario files in this worker now; return the problems found."""
        errors = self._reload_library()
        self.reloader.mark()
        return errors

    def reload_everywhere(self) -> list[ScenarioError]:
        """Reload here now, and tell the other workers to reload at their next request."""
        errors = self.reload()
        self._reloads_seen = self.store.note_reload()
        return errors

    def decide(self, chosen: Selection, endpoint: str, *, faults_too: bool = True) -> Decision:
        """Decide a request's delay and fault; only scenarios with faults or jitter count requests.

        The counter's scope is (session or server, scenario, endpoint): each session has its own sequence.
        """
        scenario = chosen.scene.behaviour.scenario
        latency = scenario.latency.get(endpoint)
        found = scenario.faults.get(endpoint, ()) if faults_too else ()
        if not faults_too or not needs_count(latency, found):
            return Decision(latency.fixed_ms if latency is not None else 0.0, None)
        number = self.store.next_count(f"{chosen.session or '-'}|{scenario.name}|{endpoint}")
        return decide(scenario.seed, endpoint, number, latency, found)

    def wait(self, milliseconds: float) -> None:
        """Sleep for a latency (not at all for none)."""
        if milliseconds > 0:
            self.sleep(milliseconds / 1000)

    def hold(self, milliseconds: float) -> bool:
        """Stay silent for a timeout fault, bounded; False (at once) when every hold slot is taken."""
        if not self._holds.acquire(blocking=False):
            return False
        try:
            self.sleep(min(milliseconds, self.limits.max_hold_ms) / 1000)
        finally:
            self._holds.release()
        return True

    def close(self) -> None:
        """Write the journal's buffer and release the state (before a fork, or at exit)."""
        self.state.close()

    def reopen(self) -> None:
        """Open the shared state anew after close(): a forked worker's own connection to the same state."""
        self.state = self.state.reopen()
        self._snapshot = self.store.snapshot()

    def state_key(self) -> tuple[int, int]:
        """Return what the shared state and the scenario files are at now: (state stamp, library generation).

        Every answer is a pure function of this key and the request; it moves with every change of either.
        """
        stamp = self.refresh().stamp
        return stamp, self.generation

    def _reload_library(self) -> list[ScenarioError]:
        errors = self.library.reload()
        with self._lock:
            self._behaviours.clear()
            self.generation += 1
        return errors
