"""Every backend of the shared state (local, Redis) behaves the same through one interface, as workers use it."""

from __future__ import annotations

import time

import pytest

from mockserver.errors import ControlError
from mockserver.state.clock import Pin
from mockserver.state.config import StateSettings
from mockserver.state.journal import JournalFilter
from mockserver.state.local.state import LocalState
from mockserver.state.records import MAX_SESSIONS, Health
from tests.mockserver.state.conftest import Backend, entry


def test_a_new_state_holds_the_start_state(backend: Backend) -> None:
    """Version 0, no active scenario, no clock, no sessions, nothing reloaded."""
    snapshot = backend.open().store.snapshot()
    assert (snapshot.version, snapshot.active, snapshot.clock, snapshot.reloads, dict(snapshot.sessions)) == (
        0,
        None,
        None,
        0,
        {},
    )


def test_every_control_change_moves_the_version_and_the_stamp(backend: Backend) -> None:
    """Setting the active scenario, the clock, a session, a reload or a reset each moves both by one."""
    store = backend.open().store
    changes = [
        lambda: store.set_active("empty"),
        lambda: store.set_clock(Pin(5)),
        lambda: store.put_session("qa", "single", Pin(None)),
        lambda: store.delete_session("qa"),
        store.note_reload,
        store.reset,
    ]
    for expected, change in enumerate(changes, start=1):
        stamp = store.stamp()
        change()
        assert store.snapshot().version == expected
        assert store.stamp() == store.snapshot().stamp > stamp


def test_counting_does_not_move_the_version(backend: Backend) -> None:
    """Request counters are not control state: a worker's cached answers stay valid."""
    store = backend.open().store
    stamp = store.stamp()
    assert [store.next_count("-|flaky|view") for _ in range(3)] == [1, 2, 3]
    assert (store.snapshot().version, store.stamp()) == (0, stamp)


def test_the_snapshot_reads_back_what_was_set(backend: Backend) -> None:
    """Active scenario, pinned clock (a time or finished) and sessions come back as set."""
    store = backend.open().store
    store.set_active("flaky")
    store.set_clock(Pin(None))
    session = store.put_session("qa", "empty", Pin(42))
    snapshot = store.snapshot()
    assert (snapshot.active, snapshot.clock) == ("flaky", Pin(None))
    assert snapshot.sessions["qa"] == session
    assert (session.scenario, session.clock, session.expires) == ("empty", Pin(42), None)


def test_counters_restart_with_their_scope(backend: Backend) -> None:
    """Re-selecting the server's scenario restarts its counters; re-putting a session restarts its own only."""
    store = backend.open().store
    for scope in ("-|flaky|view", "qa|flaky|view", "qa_x|flaky|view"):
        store.next_count(scope)
    store.put_session("qa", None, None)
    assert [store.next_count(s) for s in ("-|flaky|view", "qa|flaky|view", "qa_x|flaky|view")] == [2, 1, 2]
    store.put_session("qa", None, Pin(1), restart=False)
    assert store.next_count("qa|flaky|view") == 2
    store.set_active("flaky")
    assert store.next_count("-|flaky|view") == 1


def test_a_reset_clears_everything(backend: Backend) -> None:
    """reset(): no active scenario or clock, no sessions, counters start again, the journal is empty."""
    state = backend.open()
    store = state.store
    store.set_active("flaky")
    store.set_clock(Pin(1))
    store.put_session("qa", None, None)
    store.next_count("-|flaky|view")
    state.journal.append(entry())
    store.reset()
    snapshot = store.snapshot()
    assert (snapshot.active, snapshot.clock, len(snapshot.sessions)) == (None, None, 0)
    assert store.next_count("-|flaky|view") == 1
    assert state.journal.count(JournalFilter()) == 0


def test_sessions_are_bounded(backend: Backend) -> None:
    """A session past MAX_SESSIONS is 409; replacing one is allowed."""
    store = backend.open().store
    for number in range(MAX_SESSIONS):
        store.put_session(f"s{number}", None, None)
    with pytest.raises(ControlError) as info:
        store.put_session("another", None, None)
    assert info.value.status == 409
    store.put_session("s1", "empty", None)


def test_deleting_says_whether_the_session_existed(backend: Backend) -> None:
    """delete_session is True once, then False."""
    store = backend.open().store
    store.put_session("qa", None, None)
    assert (store.delete_session("qa"), store.delete_session("qa")) == (True, False)


def test_a_replaced_session_keeps_its_creation_time(backend: Backend) -> None:
    """PUT over an existing session changes its scenario and clock, not when it was made."""
    store = backend.open().store
    first = store.put_session("qa", None, None)
    second = store.put_session("qa", "empty", Pin(3))
    assert (second.created, second.scenario) == (first.created, "empty")


def test_sessions_expire_after_their_time_to_live(backend: Backend) -> None:
    """With a session TTL a session says when it goes; expiring after then deletes it and its counters."""
    store = backend.open(session_ttl=0.05).store
    before = time.time()
    session = store.put_session("qa", "empty", None)
    assert session.expires is not None
    assert before - 0.001 <= session.created <= time.time() + 0.001  # Redis keeps times to the millisecond
    assert session.expires == pytest.approx(session.created + 0.05, abs=0.001)
    store.next_count("qa|flaky|view")
    store.expire_sessions()  # too early: nothing goes
    assert "qa" in store.snapshot().sessions
    assert store.snapshot().next_expiry == session.expires
    while time.time() < session.expires:  # wait out the TTL (the clock, not a synchronisation)
        time.sleep(session.expires - time.time())
    version = store.snapshot().version
    store.expire_sessions()
    assert "qa" not in store.snapshot().sessions
    assert store.snapshot().version == version + 1
    assert store.next_count("qa|flaky|view") == 1


def test_workers_on_one_state_share_it(backend: Backend) -> None:
    """Once a change returns, the other worker serves it; both count on one counter."""
    first, second = backend.open().store, backend.open().store
    first.set_active("empty")
    assert second.snapshot().active == "empty"
    assert second.stamp() == second.snapshot().stamp
    assert [first.next_count("x"), second.next_count("x")] == [1, 2]


def test_the_health_names_the_backend(backend: Backend) -> None:
    """A local state is always reached; a Redis one names where, without a password."""
    health = backend.open().store.health()
    assert health.connected
    assert health.backend == backend.name
    assert (health.where is None) == (backend.name == "local")


def test_a_memory_state_is_one_process_own() -> None:
    """The local state without a directory lives in memory: another one sees nothing of it."""
    first, second = LocalState(StateSettings()), LocalState(StateSettings())
    first.store.set_active("empty")
    assert second.store.snapshot().active is None
    assert first.store.health() == Health("local")
    first.close()
    second.close()
