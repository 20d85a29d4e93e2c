"""How a request's cost grows with the account: index and view, each answer new, at 10, 1,000 and 100,000 mailings.

Each size is a scenario shaped like `large` (bench/_loads.py: size_scenarios) on a fresh mock. Requests go
one at a time over one keep-alive connection; every answer is new to the mock (index: a distinct unknown
query parameter, so the answer cache misses; view: a mailing not asked before, all six sections).
"""

from __future__ import annotations

import http.client
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._loads import INDEX, account_ids, size_scenarios, view_targets
from bench._servers import start_process
from bench._startup import mock_command

__all__ = ["SIZES", "Scaled", "scaling", "table"]

SIZES = (10, 1000, 100_000)
# The server's CPU time comes from /proc in clock ticks (10 ms): below this much it is only a rough figure.
_PRECISE_CPU = 0.2


@dataclass(frozen=True)
class Scaled:
    """One size and kind of request: how many were sent, bytes per answer, client time and server CPU per request."""

    mailings: int
    kind: str
    requests: int
    bytes: int
    wall_ms: float
    cpu_us: float
    cpu_precise: bool


def scaling(pin: Sequence[str], directory: Path, *, quick: bool) -> list[Scaled]:
    """Measure index and view at every size on a fresh mock each."""
    names = size_scenarios(directory, SIZES)
    found = []
    for mailings in SIZES:
        ids = account_ids(names[mailings], [directory])
        command = mock_command(pin, names[mailings], [directory])
        running = start_process(f"mock-{names[mailings]}", command, ready_path="/health")
        try:
            host, _, port = running.url.removeprefix("http://").partition(":")
            indexes = {10: 1000, 1000: 100, 100_000: 3}[mailings] // (5 if quick else 1) or 1
            views = min(len(ids), 200 if quick else 1000)
            for kind, targets in (
                ("index", [f"{INDEX}?_={n}" for n in range(indexes)]),
                ("view", view_targets(ids, seed=5)[:views]),
            ):
                before = running.cpu()
                walls, size = _send(host, int(port), targets)
                cpu = running.cpu() - before
                found.append(
                    Scaled(
                        mailings,
                        kind,
                        len(targets),
                        size,
                        statistics.median(walls) * 1000,
                        cpu / len(targets) * 1e6,
                        cpu >= _PRECISE_CPU,
                    )
                )
        finally:
            running.stop()
    return found


def _send(host: str, port: int, targets: Sequence[str]) -> tuple[list[float], int]:
    """Send the targets one by one; return each request's seconds and the last answer's size."""
    connection = http.client.HTTPConnection(host, port, timeout=600)
    walls, size = [], 0
    for target in targets:
        began = time.perf_counter()
        connection.request("GET", target)
        response = connection.getresponse()
        body = response.read()
        walls.append(time.perf_counter() - began)
        if response.status != 200:
            raise RuntimeError(f"GET {target}: {response.status}")
        size = len(body)
    connection.close()
    return walls, size


def table(found: Sequence[Scaled]) -> str:
    """The scaling table in Markdown."""
    lines = [
        "| mailings | request | requests | bytes per answer | ms per request (median) | server CPU µs per request |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for row in found:
        cpu = f"{row.cpu_us:,.0f}" if row.cpu_precise else f"~{row.cpu_us:,.0f} (under {_PRECISE_CPU:.1f} s in all)"
        lines.append(
            f"| {row.mailings:,} | {row.kind} | {row.requests:,} | {row.bytes:,} | {row.wall_ms:.2f} | {cpu} |"
        )
    return "\n".join(lines)
