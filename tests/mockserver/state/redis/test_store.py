"""The control state in Redis: the request path never calls Redis, a change is served everywhere when it returns."""

from __future__ import annotations

import pytest
import redis

from bench._redis import RedisServer
from mockserver.errors import StateUnavailable
from mockserver.state.clock import Pin
from mockserver.state.redis.layout import KEYS
from mockserver.state.redis.store import RedisStore
from tests.mockserver.state.redis.conftest import OpenWorker


def calls_of(store: RedisStore, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the calls a store makes to Redis (every call goes through its link)."""
    calls: list[int] = []
    run = store.link.run
    monkeypatch.setattr(store.link, "run", lambda call: calls.append(1) or run(call))
    return calls


def test_the_request_path_makes_no_call(
    redis_url: str, open_worker: OpenWorker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """stamp(), snapshot() and health() read what the worker installed: no call to Redis, however many requests."""
    store = open_worker(redis_url, poll=60.0).store  # the watcher sleeps through the test
    store.set_active("empty")
    calls = calls_of(store, monkeypatch)
    for _ in range(10_000):
        store.stamp()
        store.snapshot()
        store.health()
    assert calls == []


def test_a_change_is_served_by_every_worker_when_it_returns(redis_url: str, open_worker: OpenWorker) -> None:
    """After set_active, put_session and set_clock return through one worker, the others serve them."""
    first, *others = (open_worker(redis_url).store for _ in range(3))
    first.set_active("empty")
    first.put_session("qa", "single", Pin(7))
    first.set_clock(Pin(1_000))
    for other in others:
        snapshot = other.snapshot()
        assert (snapshot.active, snapshot.clock, snapshot.sessions["qa"].clock) == ("empty", Pin(1_000), Pin(7))
        assert snapshot.version == first.snapshot().version == 3


def test_a_change_made_behind_the_workers_back_is_served_within_a_poll(redis_url: str, open_worker: OpenWorker) -> None:
    """A change written into Redis without waiting (as another instance's script writes it) is installed by the
    watcher: the worker serves it and its stamp moved."""
    watching = open_worker(redis_url).store
    stamp = watching.stamp()
    with redis.Redis.from_url(redis_url) as client:
        pipe = client.pipeline(transaction=True)
        pipe.hset(KEYS.state, "active", '"flaky"')
        pipe.hincrby(KEYS.state, "version", 1)
        pipe.execute()
    assert watching.workers.wait("seen", 1, 5.0) == 0
    assert (watching.snapshot().active, watching.stamp()) == ("flaky", stamp + 1)


def test_a_stuck_worker_holds_a_change_only_so_long(
    redis_url: str, open_worker: OpenWorker, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A worker that beats but never installs makes a change wait SEEN_SECONDS at most, with a warning."""
    monkeypatch.setattr("mockserver.state.redis.store.SEEN_SECONDS", 0.1)
    stuck = open_worker(redis_url, poll=60.0)  # beats once, at start, and never looks again
    stuck.workers.beat()
    store = open_worker(redis_url).store
    with caplog.at_level("WARNING", logger="mockserver.state.redis.store"):
        store.set_active("empty")
    assert "1 worker(s) did not take version 1" in caplog.records[0].getMessage()


def test_while_redis_is_gone_changes_are_503_and_counting_goes_on(
    own_redis: RedisServer, open_worker: OpenWorker
) -> None:
    """Changes raise StateUnavailable; the snapshot stays the last one; counters go on in the worker alone."""
    store = open_worker(own_redis.url()).store
    store.set_active("flaky")
    assert [store.next_count("-|flaky|view") for _ in range(2)] == [1, 2]
    own_redis.stop()
    with pytest.raises(StateUnavailable):
        store.set_clock(Pin(5))
    assert not store.health().connected
    assert store.snapshot().active == "flaky"
    assert [store.next_count("-|flaky|view") for _ in range(2)] == [1, 2]
    with pytest.raises(StateUnavailable) as info:
        store.reset()
    assert info.value.status == 503
    store.expire_sessions()  # nothing to do while gone, and no error on the request path
