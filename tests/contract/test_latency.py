"""Latency per operation (contract/latency.py): nearest-rank percentiles and the inferred finding for a slow one."""

from __future__ import annotations

import dataclasses

import pytest

from contract.findings import FindingSet
from contract.latency import Latency, describe, latencies, percentile, slow_operations
from contract.spec import Contract
from tests.contract.exchanges import make


@pytest.mark.parametrize(("fraction", "value"), [(0.5, 5.0), (0.95, 10.0), (0.9, 9.0), (0.01, 1.0)])
def test_percentile_is_nearest_rank(fraction: float, value: float) -> None:
    """The p-th percentile of 1..10 is the smallest value with p of the values at or below it."""
    assert percentile([float(n) for n in range(1, 11)], fraction) == value


def test_latencies_are_per_operation_over_answered_requests() -> None:
    """Index and view get their own figures; a request without an answer does not count."""
    exchanges = [
        dataclasses.replace(make("/mailer/sendstatistics"), elapsed=0.2),
        dataclasses.replace(make("/mailer/sendstatistics/1"), elapsed=0.1),
        dataclasses.replace(make("/mailer/sendstatistics/1"), elapsed=0.3),
        dataclasses.replace(make("/mailer/sendstatistics/1"), elapsed=9.0, status=0, error="no answer within 9 s"),
        dataclasses.replace(make("/elsewhere"), elapsed=5.0),
    ]
    figures = latencies(exchanges)
    assert figures == {"index": Latency(1, 0.2, 0.2, 0.2), "view": Latency(2, 0.1, 0.3, 0.3)}
    assert describe(figures, 1.0).endswith("; p95 threshold 1 s")


def test_a_slow_operation_is_an_inferred_warning(contract: Contract) -> None:
    """An operation whose p95 passes the threshold is a latency warning (an error with --strict)."""
    figures = {"index": Latency(20, 0.5, 2.5, 3.0), "view": Latency(20, 0.1, 0.2, 0.4)}
    (violation,) = slow_operations(figures, 1.0)
    assert violation.rule_id == "latency"
    assert "p95 2.50 s" in violation.message
    for strict, severity in ((False, "warning"), (True, "error")):
        findings = FindingSet(contract, strict=strict)
        assert findings.add(violation, None).severity == severity
