"""Answers new to the mock: views of `large` at random ids never asked before, and the realistic mix.

Each round starts a fresh mock (so no answer and no mailing is kept from an earlier round), warms it up
on the first part of a target list, then runs wrk on the rest (bench/paths.lua sends each target once,
in order). A run that sends more requests than its list holds repeats targets: the row says so.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._loads import write_targets
from bench._servers import start_process
from bench._startup import mock_env
from bench._wrk import WrkResult, run_wrk

__all__ = ["CONNECTIONS", "FreshRow", "FreshRun", "fresh_rounds", "summary"]

CONNECTIONS = 16
WARMUP_SECONDS = 1.0
Say = Callable[[str], None]


@dataclass(frozen=True)
class FreshRun:
    """One round: the wrk result, the server's CPU seconds, and how many distinct targets the run could send."""

    result: WrkResult
    cpu_seconds: float
    targets: int

    @property
    def cpu_us(self) -> float:
        """The server's CPU microseconds per request."""
        return self.cpu_seconds / max(self.result.requests, 1) * 1e6


@dataclass(frozen=True)
class FreshRow:
    """Medians over the rounds, the spread of req/s and CPU, and whether any round repeated a target."""

    name: str
    rounds: int
    rps: float
    rps_min: float
    rps_max: float
    p50_ms: float
    p99_ms: float
    cpu_us: float
    cpu_us_min: float
    cpu_us_max: float
    requests: int
    repeated: int
    errors: int


def fresh_rounds(
    name: str,
    command: Sequence[str],
    targets: Callable[[int], Sequence[str]],
    scratch: Path,
    wrk: str,
    pin: Sequence[str],
    seconds: float,
    rounds: int,
    say: Say,
    checkout: Path | None = None,
) -> list[FreshRun]:
    """Run `rounds` rounds on fresh mocks; targets(round) gives each round's list (warm-up first).

    checkout: another checkout whose mock runs instead of this one's (the code before a change).
    """
    found = []
    for number in range(rounds):
        listed = list(targets(number))
        warmup = max(1, len(listed) // 6)
        warm = write_targets(listed[:warmup], scratch / f"{name}-{number}-warmup.txt")
        measured = write_targets(listed[warmup:], scratch / f"{name}-{number}.txt")
        running = start_process(f"mock-{name}", command, ready_path="/health", env=mock_env(checkout), cwd=checkout)
        try:
            url = running.url + "/"
            run_wrk(wrk, url, WARMUP_SECONDS, connections=CONNECTIONS, pin=pin, targets=warm)
            before = running.cpu()
            result = run_wrk(wrk, url, seconds, connections=CONNECTIONS, pin=pin, targets=measured)
            run = FreshRun(result, running.cpu() - before, len(listed) - warmup)
        finally:
            running.stop()
        found.append(run)
        say(f"{name}, round {number + 1}/{rounds}: {result.rps:9.0f} req/s, {run.cpu_us:,.0f} µs CPU per request")
    return found


def summary(name: str, runs: Sequence[FreshRun]) -> FreshRow:
    """Medians and spreads of a name's rounds."""
    return FreshRow(
        name=name,
        rounds=len(runs),
        rps=statistics.median(run.result.rps for run in runs),
        rps_min=min(run.result.rps for run in runs),
        rps_max=max(run.result.rps for run in runs),
        p50_ms=statistics.median(run.result.p50_ms for run in runs),
        p99_ms=statistics.median(run.result.p99_ms for run in runs),
        cpu_us=statistics.median(run.cpu_us for run in runs),
        cpu_us_min=min(run.cpu_us for run in runs),
        cpu_us_max=max(run.cpu_us for run in runs),
        requests=sum(run.result.requests for run in runs),
        repeated=sum(max(0, run.result.requests - run.targets) for run in runs),
        errors=sum(run.result.errors for run in runs),
    )
