"""A small LRU shared by threads: a scenario's sources by clock, its generated mailings by (clock, id)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Kept"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Kept(Generic[K, V]):
    """Values by key, at most `size`, least recently used first out; one lock, so threads can share it.

    None is never kept (a miss each time): for a mailing, it means the id has none, which is cheap to find.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._values: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K, make: Callable[[K], V]) -> V:
        """Return the value kept under key, making it with make(key) on a miss (outside the lock)."""
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
                return value
        made = make(key)
        if made is None:
            return made
        with self._lock:
            self._values[key] = made
            while len(self._values) > self.size:
                self._values.popitem(last=False)
        return made

    def __len__(self) -> int:
        return len(self._values)
