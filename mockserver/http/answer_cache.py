"""Finished API answers kept in memory with the journal row each repeats: least recently used out first, in bytes."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from mockserver.state.journal import Row

__all__ = ["ENTRY_OVERHEAD", "AnswerCache", "Kept", "Sized", "Stored"]

# What an entry costs besides its bytes: the Python objects around them (key, headers, journal row,
# the LRU's node), measured at about 1.2 KiB with tracemalloc; counted against the budget.
ENTRY_OVERHEAD = 1536


@dataclass(frozen=True)
class Stored:
    """A finished answer: the status line, the headers and the body bytes, as start_response takes them."""

    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def size(self) -> int:
        """Return the bytes the answer holds, headers and overhead included."""
        return len(self.body) + sum(len(name) + len(value) for name, value in self.headers) + ENTRY_OVERHEAD


class Sized(Protocol):
    """Anything that says how many bytes it holds."""

    @property
    def size(self) -> int:
        """The bytes held."""
        ...


V = TypeVar("V", bound=Sized)


class AnswerCache(Generic[V]):
    """Values by key within a byte budget; one entry may take at most max_entry bytes. Threads share it."""

    def __init__(self, budget: int, max_entry: int | None = None) -> None:
        self.budget = budget
        self.max_entry = budget // 2 if max_entry is None else max_entry
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[V, int]] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> V | None:
        """Return the value kept under key (now the most recently used), or None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: Hashable, value: V, key_size: int = 0) -> bool:
        """Keep a value, evicting the least recently used ones; False when it is too large to keep."""
        size = value.size + key_size
        if size > self.max_entry or size > self.budget:
            return False
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._bytes -= previous[1]
            while self._entries and self._bytes + size > self.budget:
                _, (_, freed) = self._entries.popitem(last=False)
                self._bytes -= freed
            self._entries[key] = (value, size)
            self._bytes += size
        return True

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    @property
    def bytes(self) -> int:
        """The bytes held now."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def keys_by_use(self) -> Sequence[Hashable]:
        """Return the keys, least recently used first (for tests and diagnostics)."""
        with self._lock:
            return list(self._entries)


@dataclass(frozen=True)
class Kept:
    """A kept answer and the journal row of the request that built it, less time, duration and worker.

    sent: the journal's columns of the answer as sent (Answer.columns), shared by every hit.
    """

    answer: Stored
    row: Row
    worker: int
    sent: Row

    @property
    def size(self) -> int:
        """Return the bytes the answer holds."""
        return self.answer.size
