"""A worker's watch on Redis: reconnection after an outage, a state lost by Redis written back, flush requests."""

from __future__ import annotations

import time
from collections.abc import Callable

from bench._redis import RedisServer
from mockserver.state.clock import Pin
from mockserver.state.journal import JournalFilter
from tests.mockserver.state.conftest import entry
from tests.mockserver.state.redis.conftest import OpenWorker

DEADLINE = 10.0


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll a condition until it holds (bounded)."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.005)


def test_an_emptied_redis_gets_the_last_state_back(own_redis: RedisServer, open_worker: OpenWorker) -> None:
    """Redis restarted without its data: the workers write back what they served, the version going on."""
    first, second = open_worker(own_redis.url()), open_worker(own_redis.url())
    first.store.set_active("flaky")
    first.store.put_session("qa", "empty", Pin(3))
    version = first.store.snapshot().version
    old = first.store.position()[0]
    own_redis.stop()
    own_redis.restart()

    def both_back() -> bool:
        epochs = {first.store.position()[0], second.store.position()[0]}
        return len(epochs) == 1 and old not in epochs

    wait_for(both_back, "both workers serve the state written back")
    for state in (first, second):
        snapshot = state.store.snapshot()
        assert (snapshot.active, snapshot.sessions["qa"].clock) == ("flaky", Pin(3))
        assert snapshot.version == version + 1
    second.store.set_clock(Pin(9))
    assert first.store.snapshot().clock == Pin(9)


def test_entries_of_an_outage_are_written_once_redis_answers(own_redis: RedisServer, open_worker: OpenWorker) -> None:
    """Requests journalled while Redis is gone wait in the worker and are written after it answers again."""
    state = open_worker(own_redis.url())
    state.journal.record(entry(path="/before"))
    state.journal.sync()
    own_redis.stop()
    for number in range(3):
        state.journal.record(entry(path=f"/during/{number}", time=2000.0 + number))
    state.journal.flush()
    own_redis.restart()
    wait_for(lambda: state.link.up, "the link is up")
    found, _ = state.journal.find(JournalFilter())
    assert [e.path for e in found] == ["/during/0", "/during/1", "/during/2"]  # /before went with Redis's data


def test_a_flush_request_is_answered_by_an_idle_worker(redis_url: str, open_worker: OpenWorker) -> None:
    """A worker with nothing buffered answers a read's flush request within a poll: the read does not wait long."""
    reader, _idle = open_worker(redis_url), open_worker(redis_url)
    started = time.monotonic()
    assert reader.journal.count(JournalFilter()) == 0
    assert time.monotonic() - started < 1.0
