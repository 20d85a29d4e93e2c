"""The shared state: version, snapshot, sessions, counters, reset; one file shared by stores, memory by none."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mockserver.errors import ControlError
from mockserver.state.clock import Pin
from mockserver.state.local.store import LocalStore
from mockserver.state.records import MAX_SESSIONS, SESSION_ID


@pytest.fixture
def store() -> Iterator[LocalStore]:
    """An in-memory store."""
    opened = LocalStore(None)
    yield opened
    opened.close()


def test_a_new_store_holds_the_start_state(store: LocalStore) -> None:
    """Version 0, no active scenario, no clock, no sessions."""
    snapshot = store.snapshot()
    assert (snapshot.version, snapshot.active, snapshot.clock, snapshot.reloads, dict(snapshot.sessions)) == (
        0,
        None,
        None,
        0,
        {},
    )


def test_every_control_change_bumps_the_version(store: LocalStore) -> None:
    """Setting the active scenario, the clock, a session, a reload or a reset each moves the version by one."""
    changes = [
        lambda: store.set_active("empty"),
        lambda: store.set_clock(Pin(5)),
        lambda: store.put_session("qa", "single", Pin(None)),
        lambda: store.delete_session("qa"),
        store.note_reload,
        store.reset,
    ]
    for expected, change in enumerate(changes, start=1):
        change()
        assert store.stamp() == expected


def test_counting_does_not_bump_the_version(store: LocalStore) -> None:
    """Request counters are not control state: a worker's cache stays valid."""
    assert [store.next_count("-|flaky|view") for _ in range(3)] == [1, 2, 3]
    assert store.stamp() == 0


def test_the_snapshot_reads_back_what_was_set(store: LocalStore) -> None:
    """Active scenario, pinned clock (a time or finished) and sessions come back as set."""
    store.set_active("flaky")
    store.set_clock(Pin(None))
    session = store.put_session("qa", "empty", Pin(42))
    snapshot = store.snapshot()
    assert (snapshot.active, snapshot.clock) == ("flaky", Pin(None))
    assert snapshot.sessions["qa"] == session
    assert (session.scenario, session.clock) == ("empty", Pin(42))


def test_counters_restart_with_their_scope(store: LocalStore) -> None:
    """Re-selecting the server's scenario restarts its counters; re-putting a session restarts its own only."""
    for scope in ("-|flaky|view", "qa|flaky|view", "qa_x|flaky|view"):
        store.next_count(scope)
    store.put_session("qa", None, None)
    assert [store.next_count(s) for s in ("-|flaky|view", "qa|flaky|view", "qa_x|flaky|view")] == [2, 1, 2]
    store.put_session("qa", None, Pin(1), restart=False)
    assert store.next_count("qa|flaky|view") == 2
    store.set_active("flaky")
    assert store.next_count("-|flaky|view") == 1


def test_a_reset_clears_everything(store: LocalStore) -> None:
    """reset(): no active scenario or clock, no sessions, counters start again."""
    store.set_active("flaky")
    store.set_clock(Pin(1))
    store.put_session("qa", None, None)
    store.next_count("-|flaky|view")
    store.reset()
    snapshot = store.snapshot()
    assert (snapshot.active, snapshot.clock, len(snapshot.sessions)) == (None, None, 0)
    assert store.next_count("-|flaky|view") == 1


def test_sessions_are_bounded(store: LocalStore) -> None:
    """A session past MAX_SESSIONS is 409; replacing one is allowed."""
    for number in range(MAX_SESSIONS):
        store.put_session(f"s{number}", None, None)
    with pytest.raises(ControlError) as info:
        store.put_session("another", None, None)
    assert info.value.status == 409
    store.put_session("s1", "empty", None)


def test_deleting_says_whether_the_session_existed(store: LocalStore) -> None:
    """delete_session is True once, then False."""
    store.put_session("qa", None, None)
    assert (store.delete_session("qa"), store.delete_session("qa")) == (True, False)


@pytest.mark.parametrize(("text", "valid"), [("qa-run.1_b", True), ("-", False), (".x", False), ("a b", False)])
def test_session_ids(text: str, valid: bool) -> None:
    """An id starts with a letter or digit, so none is the server's counter scope "-"."""
    assert bool(SESSION_ID.match(text)) is valid


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
