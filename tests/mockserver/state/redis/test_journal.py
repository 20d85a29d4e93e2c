"""The journal in Redis: workers that stopped are not waited for, stuck ones only so long; the limit holds for all."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from bench._redis import RedisServer
from mockserver.state.journal import JournalFilter
from mockserver.state.redis.layout import KEYS
from tests.mockserver.state.conftest import entry
from tests.mockserver.state.redis.conftest import OpenWorker


def test_a_worker_gone_is_not_waited_for(redis_url: str, open_worker: OpenWorker) -> None:
    """A worker id whose key expired (it stopped beating) is dropped from the registry by the next read."""
    with redis.Redis.from_url(redis_url) as client:
        client.sadd(KEYS.workers, "gone-1-abc")
        journal = open_worker(redis_url).journal
        assert journal.count(JournalFilter()) == 0
        assert b"gone-1-abc" not in client.smembers(KEYS.workers)


def test_a_stuck_worker_holds_a_read_only_so_long(
    redis_url: str, open_worker: OpenWorker, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A live worker that never answers makes a read wait SYNC_SECONDS at most, with a warning."""
    monkeypatch.setattr("mockserver.state.journal.SYNC_SECONDS", 0.1)
    with redis.Redis.from_url(redis_url) as client:
        client.sadd(KEYS.workers, "stuck-1-abc")
        client.hset(KEYS.worker_key("stuck-1-abc"), mapping={"seen": 0, "ack": 0})
        journal = open_worker(redis_url).journal
        with caplog.at_level("WARNING", logger="mockserver.state.redis.journal"):
            assert journal.count(JournalFilter()) == 0
    assert "1 worker(s) did not write their entries in time" in caplog.records[0].getMessage()


def test_the_limit_holds_across_workers(redis_url: str, open_worker: OpenWorker) -> None:
    """Three workers recording at once past the limit leave exactly the limit, numbered without a gap or repeat."""
    journals = [open_worker(redis_url, journal_limit=50).journal for _ in range(3)]

    def record(index: int) -> None:
        for number in range(40):
            journals[index].record(entry(path=f"/{index}/{number}", time=1000.0 + number))

    with ThreadPoolExecutor(3) as pool:
        list(pool.map(record, range(3)))
    found, count = journals[0].find(JournalFilter(limit=1000))
    assert count == 50
    seqs = sorted(e.seq for e in found)
    assert seqs == list(range(71, 121))


def test_entries_that_waited_are_written_by_the_first_read_after_an_outage(
    own_redis: RedisServer, open_worker: OpenWorker
) -> None:
    """A read right after Redis answers again (before the watcher looked: it sleeps here) writes what waited."""
    state = open_worker(own_redis.url(), poll=60.0)
    state.journal.sync()  # flush request 1, answered
    own_redis.stop()
    state.journal.record(entry(path="/during"))
    state.journal.flush()  # Redis is gone: the entry waits in the worker, and the link is down
    assert not state.link.up
    own_redis.restart()  # empty: the next flush request is 1 again, one this worker already answered
    state.link.mark_up()
    found, count = state.journal.find(JournalFilter())
    assert (count, [e.path for e in found]) == (1, ["/during"])
