"""Progress of a run on stderr: one line per stage and a running count of requests."""

from __future__ import annotations

import sys
import time
from typing import TextIO

EVERY = 100


class Progress:
    """Writes short progress lines to a stream (stderr by default); silent when disabled."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.requests = 0
        self.started = time.monotonic()

    def stage(self, text: str) -> None:
        """Announce a stage of the run."""
        self._write(f"[sendstat {time.monotonic() - self.started:5.1f}s] {text}")

    def request(self) -> None:
        """Count one request; every hundredth is announced."""
        self.requests += 1
        if self.requests % EVERY == 0:
            self.stage(f"{self.requests} requests")

    def _write(self, line: str) -> None:
        if self.enabled:
            print(line, file=self.stream, flush=True)
