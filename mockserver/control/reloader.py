"""Hot reload: notices changed scenario files by name, size and mtime, polled at most once per interval."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

__all__ = ["Reloader"]

Fingerprint = tuple[tuple[str, int, int], ...]
_SUFFIXES = (".yaml", ".yml")


class Reloader:
    """Polls the scenario directories' listings (no file is read) when a request comes and the interval passed."""

    def __init__(
        self, dirs: Sequence[Path], interval: float | None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.dirs = tuple(dirs)
        self.interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._next = clock() + (interval or 0.0)
        self._seen = self.fingerprint()

    def changed(self) -> bool:
        """Return True once after a file was added, removed or modified, if a poll is due; never blocks."""
        if self.interval is None or self._clock() < self._next or not self._lock.acquire(blocking=False):
            return False
        try:
            self._next = self._clock() + self.interval
            seen = self.fingerprint()
            if seen == self._seen:
                return False
            self._seen = seen
            return True
        finally:
            self._lock.release()

    def fingerprint(self) -> Fingerprint:
        """Return (path, size, mtime in ns) of every scenario file, sorted."""
        found = []
        for directory in self.dirs:
            try:
                entries = list(os.scandir(directory))
            except OSError:
                continue
            for entry in entries:
                if not entry.name.endswith(_SUFFIXES):
                    continue
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                found.append((entry.path, stat.st_size, stat.st_mtime_ns))
        return tuple(sorted(found))

    def mark(self) -> None:
        """Take the files as they are now as seen (after an explicit reload)."""
        with self._lock:
            self._seen = self.fingerprint()
