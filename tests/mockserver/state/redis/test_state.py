"""Opening the Redis state: strict at start (one line when Redis is wrong), lenient in a worker (last state serves)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bench._redis import RedisServer
from mockserver.errors import ConfigError
from mockserver.state.backend import open_state
from mockserver.state.config import StateSettings
from mockserver.state.records import Snapshot
from tests.mockserver.state.redis.conftest import OpenWorker

LOADED = (
    "import sys; from mockserver.http.app import create_app, close_app; "
    "close_app(create_app({'SENDSTAT_STATE': sys.argv[1], 'SENDSTAT_RELOAD_INTERVAL': None})); "
    "print(sorted(name for name in ('redis', 'mockserver.state.redis.state') if name in sys.modules))"
)


def test_the_local_state_loads_no_redis_client(redis_url: str) -> None:
    """An app on the default state never imports the Redis client (start-up time); one on Redis does."""
    for where, loaded in (("local", "[]"), (redis_url, "['mockserver.state.redis.state', 'redis']")):
        done = subprocess.run([sys.executable, "-c", LOADED, where], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == loaded


def test_a_redis_that_is_not_there_at_start_is_one_line() -> None:
    """Strict (the server's start): ConfigError naming the URL and the reason."""
    with pytest.raises(ConfigError, match=r"^--state redis://127.0.0.1:1/0: cannot use Redis: .*refused"):
        open_state(StateSettings(url="redis://127.0.0.1:1/0"))


def test_a_worker_starts_from_the_last_state_when_redis_is_gone(
    own_redis: RedisServer, open_worker: OpenWorker
) -> None:
    """Not strict (a forked worker): it serves the snapshot handed over, says degraded, and reconnects."""
    url = own_redis.url()
    first = open_worker(url)
    first.store.set_active("flaky")
    own_redis.stop()
    worker = open_worker(url, first.store.snapshot(), strict=False)
    assert worker.store.snapshot().active == "flaky"
    assert not worker.store.health().connected


def test_a_reopened_state_keeps_what_it_served(redis_url: str, open_worker: OpenWorker) -> None:
    """reopen() (a forked worker) connects anew and serves the same state."""
    state = open_worker(redis_url)
    state.store.set_active("empty")
    state.close()
    reopened = state.reopen()
    try:
        assert reopened.store.snapshot().active == "empty"
        reopened.store.set_active("single")
        assert reopened.store.snapshot().active == "single"
    finally:
        reopened.close()


def test_a_new_worker_joins_the_state_already_there(redis_url: str, open_worker: OpenWorker) -> None:
    """A worker that starts later reads the state as it is, not a fresh one."""
    open_worker(redis_url).store.put_session("qa", None, None)
    assert set(open_worker(redis_url, Snapshot(0)).store.snapshot().sessions) == {"qa"}
