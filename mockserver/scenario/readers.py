"""Reading a scenario's times and behaviour (latency, faults, forced answers, JSON flags), reporting through fail."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, cast

from contract.php import INT_MAX, PhpJsonError, parse_flags
from mockserver.scenario.spec import Fault, FaultKind, ForcedResponse, Latency
from mockserver.scenario.yamlfile import FieldPath

__all__ = ["LATEST", "Fail", "read_faults", "read_flags", "read_forced", "read_latency", "read_time"]

Fail = Callable[[FieldPath, str], None]
LATEST = 253402300799  # 9999-12-31 23:59:59 UTC, the schema's bound on a unix time
_DIGITS = re.compile(r"^[0-9]+$")
_TIME_EXPECTED = "a unix time in seconds or an ISO 8601 date-time such as 2024-12-05T12:00:00Z"


def read_time(value: Any, where: FieldPath, fail: Fail) -> int | None:
    """Read unix seconds or ISO 8601 text (UTC unless an offset is given); None for null or a problem."""
    if value is None or isinstance(value, int):
        return value
    text = str(value).strip()
    if _DIGITS.match(text):
        seconds = int(text)
    else:
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            fail(where, f"expected {_TIME_EXPECTED}, got {text!r}")
            return None
        seconds = int((moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).timestamp())
    if not 0 <= seconds <= LATEST:
        fail(where, f"expected a time from 1970 to 9999, got {text!r}")
        return None
    return seconds


def read_latency(raw: Mapping[str, Any]) -> dict[str, Latency]:
    """Read the delays by endpoint."""
    return {endpoint: Latency(item["fixed_ms"], item.get("jitter_ms", 0)) for endpoint, item in raw.items()}


def read_faults(raw: Mapping[str, list[Mapping[str, Any]]], fail: Fail) -> dict[str, tuple[Fault, ...]]:
    """Read the faults by endpoint; their rates add up to at most 1 per endpoint, hold_ms is for timeouts."""
    found: dict[str, tuple[Fault, ...]] = {}
    for endpoint, items in raw.items():
        faults = []
        for index, item in enumerate(items):
            kind = cast(FaultKind, str(item["kind"]))  # the schema allows 500 and "500" alike
            if "hold_ms" in item and kind != "timeout":
                fail(("faults", endpoint, index, "hold_ms"), f"hold_ms applies to kind timeout only, not {kind}")
            faults.append(Fault(kind=kind, rate=float(item["rate"]), hold_ms=item.get("hold_ms", 30_000)))
        total = sum(fault.rate for fault in faults)
        if total > 1.0 + 1e-9:
            fail(("faults", endpoint), f"the rates add up to {total:g}: expected at most 1 (a request meets one fault)")
        found[endpoint] = tuple(faults)
    return found


def read_forced(raw: Mapping[str, Any], fail: Fail) -> dict[int, ForcedResponse]:
    """Read the forced answers by mailing id (keys are the schema's digit strings)."""
    forced = {}
    for key, item in raw.items():
        if int(key) > INT_MAX:
            fail(("forced", key), f"expected a mailing id up to {INT_MAX:,} (PHP's largest integer)")
            continue
        forced[int(key)] = ForcedResponse(status=item["status"], body=item.get("body"), fault=item.get("fault", False))
    return forced


def read_flags(names: list[str], fail: Fail) -> tuple[str, ...]:
    """Read json_encode flag names (any case) into PHP's own spelling."""
    found = []
    for index, name in enumerate(names):
        try:
            flag = parse_flags(name)
        except PhpJsonError as exc:
            fail(("json_flags", index), str(exc))
            continue
        found.append(flag.name or "")
    return tuple(found)
