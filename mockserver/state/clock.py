"""The mock's clock: reading a time (ISO 8601 or unix seconds), showing it, and the setting that pins it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from mockserver.errors import ControlError

__all__ = ["FINISHED", "Pin", "advance", "iso", "parse_seconds", "parse_time"]

# How a client writes "no clock: every mailing finished" (a scenario's `now` left out).
FINISHED = "finished"
_MAX = int(datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp())


@dataclass(frozen=True)
class Pin:
    """A clock set through the control API: a unix time, or None for "every mailing finished"."""

    now: int | None


def parse_time(value: object) -> int | None:
    """Read a time: unix seconds (int), ISO 8601 text (UTC unless it says otherwise), or null/"finished"."""
    if value is None or value == FINISHED:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _checked(value)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return _checked(int(text))
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            example = "send unix seconds or ISO 8601, e.g. 2024-12-05T10:00:00Z"
            raise ControlError(f"not a time: {value[:60]!r} ({example})") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return _checked(moment.timestamp())
    raise ControlError(f"not a time: {value!r} (send unix seconds, ISO 8601 text, or null)")


def parse_seconds(value: object) -> int:
    """Read a number of seconds to advance the clock by: an integer, possibly negative."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ControlError(f"seconds must be a number, not {value!r}")
    if value != int(value):
        raise ControlError(f"seconds must be whole, not {value!r}")
    return int(value)


def advance(now: int | None, seconds: int) -> int:
    """Return now moved by seconds; a clock showing "finished" has no time to move from."""
    if now is None:
        raise ControlError(
            "the clock shows every mailing finished (no time): set a time first with PUT .../clock", status=409
        )
    return _checked(now + seconds)


def iso(now: int | None) -> str | None:
    """Return a unix time as ISO 8601 UTC text (2024-12-05T10:00:00Z), None for no time."""
    if now is None:
        return None
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _checked(value: float) -> int:
    """Return whole unix seconds within 1970..9999, refusing others."""
    if not math.isfinite(value) or value != int(value):
        raise ControlError(f"a time must be whole unix seconds, not {value!r}")
    if not 0 <= value <= _MAX:
        raise ControlError(f"a time must lie between 1970 and 9999, not {int(value)}")
    return int(value)
