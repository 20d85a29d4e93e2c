"""Counters every worker process reads in nanoseconds: a few 64-bit integers in a shared memory map.

The shared SQLite store stays the truth; a cell mirrors one of its counters (the state's version, the
journal's flush request) so that the request path can tell whether anything moved without a query.
Writers update a cell inside the store's write transaction, so the cell never runs backwards.
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path

__all__ = ["FLUSH", "SLOTS", "VERSION", "Cells"]

VERSION, FLUSH = 0, 1
SLOTS = 2
_SIZE = SLOTS * 8


class Cells:
    """SLOTS shared integers: mapped from a file (shared by processes) or anonymous memory (one process)."""

    def __init__(self, path: Path | None) -> None:
        if path is None:
            self._map = mmap.mmap(-1, _SIZE)
        else:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if os.fstat(fd).st_size < _SIZE:
                    os.ftruncate(fd, _SIZE)
                self._map = mmap.mmap(fd, _SIZE)
            finally:
                os.close(fd)
        # An aligned 8-byte store through a cast view is one machine write: readers never see half of it.
        self._view = memoryview(self._map).cast("q")

    def __getitem__(self, slot: int) -> int:
        """Read a cell."""
        try:
            return self._view[slot]
        except ValueError:
            raise ValueError("the shared cells are closed") from None

    def __setitem__(self, slot: int, value: int) -> None:
        """Write a cell."""
        self._view[slot] = value

    def close(self) -> None:
        """Unmap the cells; reading them afterwards raises ValueError."""
        self._view.release()
        self._map.close()
