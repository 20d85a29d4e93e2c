"""The mock's control plane: which scenario answers, shared state across workers, faults, the /__mock/ API."""

from __future__ import annotations

from mockserver.control.behaviour import Behaviour, Overrides, Scene
from mockserver.control.errors import ControlError
from mockserver.control.journal import Entry, Journal, JournalFilter
from mockserver.control.runtime import Limits, Runtime
from mockserver.control.selection import Selection
from mockserver.control.store import Snapshot, StateStore

__all__ = [
    "Behaviour",
    "ControlError",
    "Entry",
    "Journal",
    "JournalFilter",
    "Limits",
    "Overrides",
    "Runtime",
    "Scene",
    "Selection",
    "Snapshot",
    "StateStore",
]
