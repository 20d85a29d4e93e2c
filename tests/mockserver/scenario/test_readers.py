"""Tests of mockserver.scenario.readers: times, latency, faults, forced answers and flags, each problem reported."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.scenario.readers import LATEST, read_faults, read_flags, read_forced, read_latency, read_time
from mockserver.scenario.spec import Fault, ForcedResponse, Latency
from mockserver.scenario.yamlfile import FieldPath


class Problems(list[tuple[FieldPath, str]]):
    """Collects what a reader reports through its fail callback."""

    def __call__(self, where: FieldPath, message: str) -> None:
        self.append((where, message))


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (None, None),
        (0, 0),
        ("1733400000", 1733400000),
        ("2024-12-05T12:00:00Z", 1733400000),
        ("2024-12-05T12:00:00.9Z", 1733400000),
        ("2024-12-05T13:00:00+01:00", 1733400000),
        ("1970-01-01", 0),
        ("9999-12-31T23:59:59Z", LATEST),
    ],
)
def test_times_read(value: Any, seconds: int | None) -> None:
    """Unix seconds and ISO 8601 (UTC unless an offset is given, fractions dropped) read as unix seconds."""
    problems = Problems()
    assert read_time(value, ("now",), problems) == seconds
    assert problems == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "tomorrow",
            "expected a unix time in seconds or an ISO 8601 date-time such as 2024-12-05T12:00:00Z, got 'tomorrow'",
        ),
        ("1969-12-31T23:59:59Z", "expected a time from 1970 to 9999, got '1969-12-31T23:59:59Z'"),
        ("9" * 30, f"expected a time from 1970 to 9999, got '{'9' * 30}'"),
        ("١٢٣", "expected a unix time in seconds or an ISO 8601 date-time such as 2024-12-05T12:00:00Z, got '١٢٣'"),
    ],
    ids=["words", "before-1970", "beyond-9999", "arabic-digits"],
)
def test_bad_times_are_reported(value: str, message: str) -> None:
    """A time that is not one, or lies outside 1970-9999, is reported at its field and read as None."""
    problems = Problems()
    assert read_time(value, ("now",), problems) is None
    assert problems == [(("now",), message)]


def test_latency_defaults_jitter() -> None:
    """A latency without jitter has none."""
    assert read_latency({"view": {"fixed_ms": 5}}) == {"view": Latency(5, 0)}


def test_faults_read_and_add_up() -> None:
    """Fault kinds written as numbers are the kinds' names; rates of one endpoint may add up to exactly 1."""
    problems = Problems()
    raw = {"view": [{"kind": 500, "rate": 0.5}, {"kind": "timeout", "rate": 0.5, "hold_ms": 10}]}
    assert read_faults(raw, problems) == {"view": (Fault("500", 0.5), Fault("timeout", 0.5, 10))}
    assert problems == []


def test_forced_keys_become_ids() -> None:
    """Forced answers are keyed by int ids, with their defaults."""
    assert read_forced({"5": {"status": 404}}, Problems()) == {5: ForcedResponse(404)}


def test_flags_take_any_case() -> None:
    """Flag names are read in any case and given in PHP's spelling."""
    assert read_flags(["json_unescaped_slashes"], Problems()) == ("JSON_UNESCAPED_SLASHES",)
