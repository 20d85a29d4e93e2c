"""The local store: one SQLite file shared by stores of a directory (memory by none), transactions, the cells.

What every backend does alike (changes, counters, sessions, reset) is tested in tests/mockserver/state/test_backend.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mockserver.state.local.store import LocalStore


@pytest.fixture
def store() -> Iterator[LocalStore]:
    """An in-memory store."""
    opened = LocalStore(None)
    yield opened
    opened.close()


def test_stores_on_one_directory_share_the_state(tmp_path: Path) -> None:
    """Two stores on one directory (two workers) see each other's changes and counters; memory stores do not."""
    first, second = LocalStore(tmp_path), LocalStore(tmp_path)
    try:
        first.set_active("empty")
        assert (second.stamp(), second.snapshot().active) == (1, "empty")
        assert [first.next_count("x"), second.next_count("x")] == [1, 2]
        assert (tmp_path / "state.sqlite3").is_file()
    finally:
        first.close()
        second.close()
    memory = LocalStore(None)
    assert memory.snapshot().active is None
    memory.close()


def test_a_failed_transaction_changes_nothing(store: LocalStore) -> None:
    """An error inside a transaction rolls it back, version included."""

    def fail() -> None:
        with store.transaction() as db:
            db.execute("UPDATE meta SET value = '\"x\"' WHERE key = 'active'")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        fail()
    assert (store.stamp(), store.snapshot().active) == (0, None)


def test_the_version_cell_mirrors_the_stored_version(tmp_path: Path) -> None:
    """A change through one store is read by another store of the directory without a query."""
    first, second = LocalStore(tmp_path), LocalStore(tmp_path)
    first.set_active("empty")
    assert second.stamp() == first.snapshot().version == second.snapshot().version
    first.close()
    second.close()


def test_a_store_opened_later_starts_from_the_stored_counters(tmp_path: Path) -> None:
    """A worker that opens the directory after changes reads the same version and flush request."""
    first = LocalStore(tmp_path)
    first.set_clock(None)
    number = first.request_flush()
    second = LocalStore(tmp_path)
    assert (second.stamp(), second.flush_request()) == (first.stamp(), number)
    first.close()
    second.close()
