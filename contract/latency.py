"""Latency per operation: p50, p95 and max over the answered requests, and the finding for a slow operation."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from contract.errors import RuleViolation
from contract.exchange import Exchange

OPERATIONS = ("index", "view")
SLOW_WHY = (
    "The document gives no latency; a client waits for every answer, and the threshold (--max-latency, per "
    "profile) is our judgement of what keeps a frontend usable."
)


@dataclass(frozen=True)
class Latency:
    """Seconds from sending a request to the last byte of its answer, over the answered requests of an operation."""

    count: int
    p50: float
    p95: float
    max: float


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of values sorted ascending (the smallest value with `fraction` at or below it)."""
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def latencies(exchanges: Iterable[Exchange]) -> dict[str, Latency]:
    """Latency figures of each documented operation that got at least one answer."""
    seconds: dict[str, list[float]] = {operation: [] for operation in OPERATIONS}
    for exchange in exchanges:
        if exchange.answered and exchange.operation in seconds:
            seconds[exchange.operation].append(exchange.elapsed)
    found: dict[str, Latency] = {}
    for operation, values in seconds.items():
        if values:
            ordered = sorted(values)
            found[operation] = Latency(len(ordered), percentile(ordered, 0.5), percentile(ordered, 0.95), ordered[-1])
    return found


def slow_operations(figures: Mapping[str, Latency], threshold: float) -> list[RuleViolation]:
    """A `latency` violation (inferred: a warning) for each operation whose p95 passes the threshold."""
    return [
        RuleViolation(
            "latency",
            f"{operation} p95 latency is over {threshold:g} s",
            f"Received: p50 {figure.p50:.2f} s, p95 {figure.p95:.2f} s, max {figure.max:.2f} s over "
            f"{figure.count} answered {operation} requests. Documented (inferred): p95 at most {threshold:g} s "
            "(--max-latency).",
            inferred=SLOW_WHY,
        )
        for operation, figure in figures.items()
        if figure.p95 > threshold
    ]


def describe(figures: Mapping[str, Latency], threshold: float) -> str:
    """`index p50 0.01 s, p95 0.02 s, max 0.03 s (40); view ...; p95 threshold 1 s`, or that nothing was answered."""
    if not figures:
        return "no answered request"
    parts = [
        f"{operation} p50 {figure.p50:.2f} s, p95 {figure.p95:.2f} s, max {figure.max:.2f} s ({figure.count})"
        for operation, figure in figures.items()
    ]
    return "; ".join(parts) + f"; p95 threshold {threshold:g} s"
