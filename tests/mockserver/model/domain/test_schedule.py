"""Tests of mockserver.model.domain.schedule: send times and lazy mailing ids."""

from __future__ import annotations

from itertools import pairwise

import pytest

from mockserver.errors import ConfigError
from mockserver.model.domain.data import ModelData
from mockserver.model.domain.schedule import DAY, HOUR, MailingIds, send_time

START = 1_700_000_000


@pytest.mark.parametrize("length", [1, 600, 5 * HOUR, DAY, 3 * DAY, 30 * DAY])
def test_send_time_stays_in_its_slot(data: ModelData, length: int) -> None:
    """A send time lies inside its slot, whatever the slot's length."""
    for index in range(50):
        assert START <= send_time(data.sending, 1, index, START, START + length) < START + length


def test_sends_happen_in_working_hours(data: ModelData) -> None:
    """Given whole days, mailings go out between 07:00 and 22:00 Moscow time."""
    hours = {((send_time(data.sending, 1, i, START, START + 10 * DAY) // HOUR) + 3) % 24 for i in range(300)}
    assert hours <= set(range(7, 22))


@pytest.mark.parametrize("spacing", [1, 2, 5])
def test_ids_ascend_and_are_found(spacing: int) -> None:
    """Ids ascend strictly and each is found at its index; ids in between are not."""
    ids = MailingIds(7, 10, spacing, 200)
    listed = list(ids)
    assert all(a < b for a, b in pairwise(listed))
    assert all(ids.index(value) == index for index, value in enumerate(listed))
    assert all(value not in ids for value in range(listed[0], listed[-1]) if value not in listed)


@pytest.mark.parametrize("spacing", [1, 7])
def test_iterating_ids_gives_id_at_of_every_index(spacing: int) -> None:
    """Iteration (draws made in a row) lists exactly id_at(0), id_at(1), ..."""
    ids = MailingIds(3, 100, spacing, 300)
    assert list(ids) == [ids.id_at(index) for index in range(300)]
    assert list(MailingIds(3, 100, spacing, 0)) == []


def test_ids_behave_as_a_sequence() -> None:
    """Ids support len, negative indices, slices and reject indices past the end."""
    ids = MailingIds(7, 10, 3, 5)
    assert len(ids) == 5
    assert ids[-1] == list(ids)[-1]
    assert ids[1:3] == list(ids)[1:3]
    with pytest.raises(IndexError):
        ids[5]
    with pytest.raises(ValueError, match="not a mailing id"):
        ids.index(9)


def test_bad_ids_config() -> None:
    """Ids need a first id of at least 1 and a spacing of at least 1."""
    with pytest.raises(ConfigError):
        MailingIds(1, 0, 1, 5)
