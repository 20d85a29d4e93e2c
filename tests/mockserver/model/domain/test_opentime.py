"""Tests of mockserver.model.domain.opentime: the hourly shape of opens and the clock of a mailing."""

from __future__ import annotations

import random

import pytest

from mockserver.model.domain.data import ModelData
from mockserver.model.domain.opentime import HOUR, elapsed_fractions, hourly_opens, open_time, progress

SENT = 1_700_035_200 + 20 * 60  # 08:20 Moscow time


def test_shapes_are_distributions(data: ModelData) -> None:
    """Each of the 24 shapes has 48 non-negative shares summing to 1."""
    for shape in data.opens.shapes:
        assert len(shape) == 48
        assert min(shape) >= 0
        assert sum(shape) == pytest.approx(1.0)


def test_hourly_opens_are_exact(data: ModelData) -> None:
    """Opens split over 48 hours add up to the openers."""
    assert sum(hourly_opens(random.Random(1), data.opens, 12_345, SENT)) == 12_345


def test_first_bucket_is_the_send_hour(data: ModelData) -> None:
    """open_time's first key is the whole hour of the send."""
    hours = open_time(hourly_opens(random.Random(1), data.opens, 5000, SENT), SENT, None)
    assert min(hours) == SENT - SENT % HOUR


@pytest.mark.parametrize(("now", "expected"), [(SENT - 1, 0.0), (SENT + 20 * 60, 0.5), (SENT + 100 * HOUR, 1.0)])
def test_first_bucket_elapses_from_the_send(now: int, expected: float) -> None:
    """The first hour's elapsed fraction counts from the send, not from the whole hour."""
    assert elapsed_fractions(SENT, now)[0] == pytest.approx(expected)


def test_progress_grows_to_one(data: ModelData) -> None:
    """A mailing's progress never falls as the clock advances and reaches 1 after 48 hours."""
    values = [progress(data.opens, SENT, SENT + minutes * 60) for minutes in range(-60, 49 * 60, 17)]
    assert values == sorted(values)
    assert values[0] == 0.0
    assert values[-1] == 1.0
