"""A progress bar on stderr, drawn only on a terminal (a log file or a CI job gets nothing)."""

from __future__ import annotations

import sys
from typing import TextIO

__all__ = ["Bar"]

WIDTH = 30


class Bar:
    """`recording  12/50 [#######-----------------------]  24%`, redrawn in place."""

    def __init__(self, total: int, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.done = 0

    def advance(self, done: int) -> None:
        """Show `done` of the total."""
        self.done = done
        if not self.enabled:
            return
        share = done / self.total if self.total else 1.0
        filled = round(WIDTH * share)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\rrecording {done:>{len(str(self.total))}}/{self.total} [{bar}] {share:4.0%}")
        self.stream.flush()

    def finish(self) -> None:
        """End the bar's line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()
