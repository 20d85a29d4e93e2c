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
_MAX_DIGITS = 20


@dataclass(frozen=True)
class Pin:
    """A clock set through the control API: a unix time, or None for "every mailing finished"."""

    now: int | None


def parse_time(value: object, field: str = "now") -> int | None:
    """Read a time: unix seconds (int), ISO 8601 text (UTC unless it says otherwise), or null/"finished".

    field names the value in the ControlError (a 400) that a value out of range or unreadable raises.
    """
    if value is None or value == FINISHED:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _checked(value, field)
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isascii() and text.lstrip("-").isdigit():
            if len(text) > _MAX_DIGITS:  # far out of range, and more than int() reads (4,300 digits)
                raise ControlError(f"{field}: a time must lie between 1970 and 9999, not a {len(text):,}-digit number")
            return _checked(int(text), field)
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            example = "send unix seconds or ISO 8601, e.g. 2024-12-05T10:00:00Z"
            raise ControlError(f"{field}: not a time: {value[:60]!r} ({example})") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return _checked(moment.timestamp(), field)
    raise ControlError(f"{field}: not a time: {_shown(value)} (send unix seconds, ISO 8601 text, or null)")


def parse_seconds(value: object, field: str = "seconds") -> int:
    """Read a number of seconds to advance the clock by: an integer, possibly negative, within the clock's span."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ControlError(f"{field} must be a number, not {_shown(value)}")
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        raise ControlError(f"{field} must be whole, not {value!r}")
    if not -_MAX <= value <= _MAX:
        raise ControlError(f"{field} must lie between {-_MAX} and {_MAX}, not {_shown(value)}")
    return int(value)


def advance(now: int | None, seconds: int) -> int:
    """Return now moved by seconds; a clock showing "finished" has no time to move from."""
    if now is None:
        raise ControlError(
            "the clock shows every mailing finished (no time): set a time first with PUT .../clock", status=409
        )
    return _checked(now + seconds, "seconds")


def iso(now: int | None) -> str | None:
    """Return a unix time as ISO 8601 UTC text (2024-12-05T10:00:00Z), None for no time."""
    if now is None:
        return None
    return datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _checked(value: float, field: str) -> int:
    """Return whole unix seconds within 1970..9999, refusing others with a ControlError naming the field."""
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        raise ControlError(f"{field}: a time must be whole unix seconds, not {value!r}")
    if not 0 <= value <= _MAX:  # compared as given: an int of 400 digits never becomes a float
        raise ControlError(f"{field}: a time must lie between 1970 and 9999, not {_shown(value)}")
    return int(value)


def _shown(value: object) -> str:
    """Render a client's value in an error, short: a huge number by its size, text cut."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**20:
        return f"a number of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
    if isinstance(value, float):
        return f"{value:.6g}"
    text = repr(value)
    return text if len(text) <= 60 else text[:60] + "..."
