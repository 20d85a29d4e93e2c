"""Tests of the lazy id sequence base (mockserver/model/lazyids.py)."""

from __future__ import annotations

import pytest

from mockserver.model.lazyids import LazyIds


class Evens(LazyIds):
    """The even ids 2, 4, ..., 2n, computed on demand, counting the computations."""

    def __init__(self, length: int) -> None:
        self.length = length
        self.computed = 0

    def _at(self, index: int) -> int:
        self.computed += 1
        return 2 * (index + 1)

    def __len__(self) -> int:
        return self.length


@pytest.mark.parametrize(("index", "expected"), [(0, 2), (4, 10), (-1, 2_000_000), (-1_000_000, 2)])
def test_indexing_computes_one_id(index: int, expected: int) -> None:
    """An index, negative ones included, computes exactly the one id it names."""
    ids = Evens(1_000_000)
    assert ids[index] == expected
    assert ids.computed == 1


@pytest.mark.parametrize("index", [1_000_000, -1_000_001])
def test_out_of_range_is_an_index_error(index: int) -> None:
    """An index past either end raises IndexError, as a list would."""
    with pytest.raises(IndexError):
        Evens(1_000_000)[index]


def test_slices_compute_only_their_ids() -> None:
    """A slice returns the ids it covers, steps included, and computes no others."""
    ids = Evens(1_000_000)
    assert ids[10:16:2] == [22, 26, 30]
    assert ids.computed == 3


def test_sequence_mixins_work() -> None:
    """Iteration, membership and bisect-friendly order come from Sequence over the same _at."""
    ids = Evens(5)
    assert list(ids) == [2, 4, 6, 8, 10]
    assert 8 in ids
    assert 7 not in ids
