"""The control state's records, the same whichever backend holds them: a session, a snapshot, the link's health."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from mockserver.errors import StateUnavailable
from mockserver.state.clock import Pin, iso

__all__ = ["MAX_SESSIONS", "SESSION_ID", "Health", "Session", "Snapshot", "pin_json", "read_pin"]

MAX_SESSIONS = 1000
# Starts with a letter or digit, so that no session id is the server's counter scope "-".
SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Session:
    """A client session: its own scenario and clock (None: inherit the server's), when made, when it expires.

    expires is None when sessions have no time to live (SENDSTAT_SESSION_TTL unset).
    """

    id: str
    scenario: str | None
    clock: Pin | None
    created: float
    expires: float | None = None


def _no_sessions() -> Mapping[str, Session]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Snapshot:
    """The shared state at one version: what selection reads on every request.

    version is the shared state's (it grows with every change, in every process alike); stamp is this
    process's number for what it serves: it moves whenever the snapshot does and never repeats in a process
    (the local store's stamp is its version; Redis's counts what a worker installed). next_expiry is the
    earliest time a session expires (None: none does).
    """

    version: int
    active: str | None = None
    clock: Pin | None = None
    reloads: int = 0
    sessions: Mapping[str, Session] = field(default_factory=_no_sessions)
    stamp: int = 0
    next_expiry: float | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        expiries = [s.expires for s in self.sessions.values() if s.expires is not None]
        object.__setattr__(self, "next_expiry", min(expiries) if expiries else None)


@dataclass(frozen=True)
class Health:
    """How the shared state is reached: the backend, where (no password), and since when it is not, and why."""

    backend: str
    where: str | None = None
    connected: bool = True
    reason: str | None = None
    since: float | None = None

    def unavailable(self) -> StateUnavailable:
        """Return the error (503) a control call gets while the state cannot be reached."""
        return StateUnavailable(
            f"the shared state ({self.where or self.backend}) does not answer: {self.reason or 'unknown'}; API "
            "requests are answered from the last state seen; control calls work again once /health says connected"
        )

    def to_json(self) -> dict[str, Any]:
        """Return the health as /health shows it under "state"."""
        shown: dict[str, Any] = {"backend": self.backend}
        if self.where is not None:
            shown["url"] = self.where
        shown["connected"] = self.connected
        if not self.connected:
            shown["reason"] = self.reason
            shown["since"] = iso(None if self.since is None else int(self.since))
        return shown


def read_pin(value: Any) -> Pin | None:
    """Read a stored pin: null is no pin, {"now": ...} a pinned time (its now may be null: finished)."""
    return None if value is None else Pin(value["now"])


def pin_json(pin: Pin | None) -> dict[str, int | None] | None:
    """Return a pin as stored: null, or {"now": ...}."""
    return None if pin is None else {"now": pin.now}
