"""Reading and showing the mock's clock."""

from __future__ import annotations

import pytest

from mockserver.errors import ControlError
from mockserver.state.clock import advance, iso, parse_seconds, parse_time


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1733356800, 1733356800),
        ("1733356800", 1733356800),
        (1733356800.0, 1733356800),
        ("2024-12-05T00:00:00Z", 1733356800),
        ("2024-12-05T03:00:00+03:00", 1733356800),
        ("2024-12-05T00:00:00", 1733356800),
        ("2024-12-05", 1733356800),
        (" 2024-12-05 ", 1733356800),
        (0, 0),
        (None, None),
        ("finished", None),
    ],
)
def test_times_are_unix_seconds_iso_text_or_finished(value: object, expected: int | None) -> None:
    """Unix seconds (number or digits), ISO 8601 (UTC unless an offset is given), null or "finished"."""
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", ["tomorrow", "", True, -1, 1.5, "1969-12-31T23:59:59Z", 10**12, [], float("nan")])
def test_other_times_are_refused(value: object) -> None:
    """Text that is no time, booleans, times before 1970 or after 9999 and fractions raise ControlError (400)."""
    with pytest.raises(ControlError) as info:
        parse_time(value)
    assert info.value.status == 400


def test_times_are_shown_in_iso_utc() -> None:
    """iso() writes whole seconds with a Z; no time is None."""
    assert (iso(1733356800), iso(None)) == ("2024-12-05T00:00:00Z", None)


@pytest.mark.parametrize(("value", "expected"), [(60, 60), (-3600, -3600), (2.0, 2)])
def test_seconds_are_whole_numbers(value: object, expected: int) -> None:
    """parse_seconds takes whole numbers, negative ones too."""
    assert parse_seconds(value) == expected


@pytest.mark.parametrize("value", ["60", 1.5, True, None, float("inf")])
def test_other_seconds_are_refused(value: object) -> None:
    """Text, fractions, booleans, null and infinity are refused."""
    with pytest.raises(ControlError):
        parse_seconds(value)


def test_advance_moves_a_time_and_refuses_finished() -> None:
    """advance adds seconds; a clock with no time is 409."""
    assert advance(100, -40) == 60
    with pytest.raises(ControlError) as info:
        advance(None, 60)
    assert info.value.status == 409
    with pytest.raises(ControlError):
        advance(10, -20)
