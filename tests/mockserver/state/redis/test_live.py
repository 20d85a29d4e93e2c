"""Three real `sendstat mock --state redis://...` processes on three ports share one real Redis.

A switch, a session and a clock move made through one are served by the others; the journal read from
any of them holds every instance's requests, in one order; under concurrent load across the three nothing
is lost and no answer is torn; with Redis stopped they answer from the last state, say degraded and refuse
control calls, and recover by themselves once it is back. Readiness polls and bounded waits only.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
import redis
import requests

from bench._redis import RedisServer
from mockserver.state.redis.layout import KEYS
from tests._tools import require_tool
from tests.conftest import REDIS_WHY
from tests.robustness._mock import MockProcess, start_mock

pytestmark = pytest.mark.slow

INDEX = "/mailer/sendstatistics"
TIMEOUT = 30
# The documented bound (docs/deploy.md): a change is served by every worker within this many seconds, on a
# loaded machine too (typically 20-40 ms: a worker polls every 20 ms, then waits its turn for the CPU).
BOUND = 0.2
DEADLINE = 30.0


@dataclass(frozen=True)
class Cluster:
    """The Redis and the three mocks on it (the first with two workers)."""

    redis: RedisServer
    mocks: tuple[MockProcess, ...]

    def control(self, index: int, method: str, path: str, body: Any = None) -> Any:
        """Call the control API of one mock; return its JSON (None for a 204)."""
        response = requests.request(method, f"{self.mocks[index].url}/__mock{path}", json=body, timeout=TIMEOUT)
        assert response.status_code in (200, 201, 204), response.text
        return response.json() if response.content else None


def wait_for(condition: Callable[[], bool], what: str) -> None:
    """Poll a condition until it holds (a readiness poll), failing after DEADLINE seconds."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {DEADLINE} s waiting until {what}"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A redis-server and three mocks on it, each on its own free port; stopped at the end of the module."""
    scratch = tmp_path_factory.mktemp("cluster")
    server = RedisServer(require_tool("redis-server", REDIS_WHY), scratch).start()
    with ExitStack() as stack:
        stack.callback(server.stop)
        mocks = []
        for number, workers in enumerate((2, 1, 1)):
            args = ["--state", server.url(), "--workers", str(workers), "--quiet", "--scenario", "single"]
            running = start_mock(args, scratch / f"mock-{number}.log")
            stack.callback(running.stop)
            mocks.append(running)
        yield Cluster(server, tuple(mocks))


@pytest.fixture(autouse=True)
def fresh(cluster: Cluster) -> None:
    """Each test starts from the start state, with an empty journal, Redis running."""
    cluster.control(0, "POST", "/reset")


def get(mock: MockProcess, path: str = INDEX, **headers: str) -> requests.Response:
    """GET on a fresh connection (any worker of the mock may answer)."""
    return requests.get(f"{mock.url}{path}", headers=headers, timeout=TIMEOUT)


def test_a_switch_a_session_and_a_clock_are_served_everywhere_once_made(cluster: Cluster) -> None:
    """A change made through one mock is served by the others as soon as its control call returns."""
    first, second, third = cluster.mocks
    cluster.control(1, "PUT", "/scenario", {"name": "empty"})
    assert {get(mock).status_code for mock in (first, third) for _ in range(4)} == {204}
    cluster.control(2, "PUT", "/sessions/qa", {"scenario": "default"})
    assert {get(mock, **{"X-Mock-Session": "qa"}).headers["X-Mock-Scenario"] for mock in (first, second)} == {"default"}
    cluster.control(0, "PUT", "/clock", {"now": "2024-12-05T10:00:00Z"})
    for index in (1, 2):
        assert cluster.control(index, "GET", "/clock")["now"] == 1733392800
        assert cluster.control(index, "GET", "/sessions/qa")["clock"]["now"] == 1733392800


def watch(mock: MockProcess, now: int, changed: float) -> list[float]:
    """Ask a mock for its clock until it shows `now`; return when each stale answer's request was sent."""
    stale: list[float] = []
    with requests.Session() as session:
        while True:
            sent = time.monotonic()
            if session.get(f"{mock.url}/__mock/clock", timeout=TIMEOUT).json()["now"] == now:
                return stale
            stale.append(sent)
            assert sent - changed < DEADLINE, "the change was never served"
            time.sleep(0.002)  # a poll's pause: the client leaves the mock the CPU to do its work


def test_a_change_made_in_redis_is_served_within_the_bound(cluster: Cluster) -> None:
    """A change written straight into Redis (no waiting) is served by every mock within BOUND seconds.

    Each mock is asked over and over; the bound is broken only by a stale answer to a request sent later
    than BOUND after the change (a request sent earlier may be answered late, under load, and prove nothing).
    """
    with cluster.redis.client() as client:
        for now in range(1_000_000, 1_000_010):
            pipe = client.pipeline(transaction=True)
            pipe.hset(KEYS.state, "clock", f'{{"now": {now}}}')
            pipe.hincrby(KEYS.state, "version", 1)
            changed = time.monotonic()
            pipe.execute()
            with ThreadPoolExecutor(3) as pool:
                stale_sent = [
                    sent
                    for found in pool.map(partial(watch, now=now, changed=changed), cluster.mocks)
                    for sent in found
                ]
            late = [sent - changed for sent in stale_sent if sent - changed > BOUND]
            assert late == [], f"stale answers to requests sent {late} s after the change"


def test_the_journal_of_any_mock_holds_every_mocks_requests(cluster: Cluster) -> None:
    """Requests spread over the three are all in the journal read from each, in one order."""
    sent = [f"m={index}&n={n}" for index in range(3) for n in range(15)]
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda q: get(cluster.mocks[int(q[2])], f"{INDEX}?{q}"), sent))
    assert {answer.status_code for answer in answers} == {200}
    views = [cluster.control(index, "GET", "/journal?limit=1000") for index in range(3)]
    for view in views:
        assert view["count"] == len(sent)
        assert sorted(entry["query"] for entry in view["entries"]) == sorted(sent)
    assert views[0]["entries"] == views[1]["entries"] == views[2]["entries"]
    seqs = [entry["seq"] for entry in views[0]["entries"]]
    assert len(set(seqs)) == len(seqs)


def test_under_load_across_the_three_nothing_is_lost_or_torn(cluster: Cluster) -> None:
    """Readers on all three while the scenario is switched through each: whole answers, every request journalled."""
    reference = {name: get(cluster.mocks[0], **{"X-Mock-Scenario": name}).content for name in ("single", "default")}
    reference["empty"] = b""
    cluster.control(0, "DELETE", "/journal")
    done = threading.Event()
    counted = [0]
    lock = threading.Lock()

    def read(seed: int) -> None:
        rng = random.Random(seed)
        with requests.Session() as session:
            for _ in range(60):
                mock = rng.choice(cluster.mocks)
                response = session.get(f"{mock.url}{INDEX}", timeout=TIMEOUT)
                length = response.headers.get("Content-Length")
                assert length is None or int(length) == len(response.content)
                name = response.headers["X-Mock-Scenario"]
                assert response.content == reference[name], f"a torn or mixed answer of {name}"
                with lock:
                    counted[0] += 1

    def switch() -> None:
        names = ("default", "empty", "single")
        turn = 0
        while not done.is_set():
            cluster.control(turn % 3, "PUT", "/scenario", {"name": names[turn % 3]})
            turn += 1

    switcher = threading.Thread(target=switch)
    switcher.start()
    try:
        with ThreadPoolExecutor(6) as pool:
            list(pool.map(read, range(6)))
    finally:
        done.set()
        switcher.join(timeout=TIMEOUT)
    assert counted[0] == 360
    for index in range(3):
        assert cluster.control(index, "GET", "/journal/count") == {"count": 360}


def health(mock: MockProcess) -> dict[str, Any]:
    """The mock's /health answer (it must be 200 whatever the state)."""
    response = requests.get(f"{mock.url}/health", timeout=TIMEOUT)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def live_workers(cluster: Cluster) -> int:
    """Count the workers registered in Redis with a live key (each joins again once it reconnects)."""
    with cluster.redis.client() as client:
        return sum(1 for worker in client.smembers(KEYS.workers) if client.exists(KEYS.worker_key(worker.decode())))


def test_without_redis_the_mocks_serve_the_last_state_and_recover(cluster: Cluster) -> None:
    """Redis stopped: same answers, degraded health with the reason, control calls 503; restarted: all recover."""
    cluster.control(1, "PUT", "/scenario", {"name": "default"})
    before = [get(mock).content for mock in cluster.mocks]
    offsets = [mock.log_offset() for mock in cluster.mocks]
    cluster.redis.stop()
    try:
        wait_for(lambda: all(health(mock)["status"] == "degraded" for mock in cluster.mocks), "all say degraded")
        for mock, body in zip(cluster.mocks, before, strict=True):
            assert "refused" in health(mock)["state"]["reason"].lower()
            assert [get(mock).content for _ in range(5)] == [body] * 5
            refused = requests.put(f"{mock.url}/__mock/scenario", json={"name": "empty"}, timeout=TIMEOUT)
            assert refused.status_code == 503
            assert "does not answer" in refused.json()["message"]
    finally:
        cluster.redis.restart()
    wait_for(lambda: live_workers(cluster) == 4, "every worker is back in the registry")
    assert all(health(mock)["status"] == "ok" for mock in cluster.mocks)
    assert cluster.control(2, "GET", "/scenario")["name"] == "default"  # written back into the emptied Redis
    cluster.control(2, "PUT", "/scenario", {"name": "empty"})
    assert {get(mock).status_code for mock in cluster.mocks} == {204}
    assert cluster.control(0, "GET", "/journal/count")["count"] >= 15  # the outage's requests, written after
    for mock, offset, workers in zip(cluster.mocks, offsets, (2, 1, 1), strict=True):
        log = mock.log_since(offset)
        assert log.count("does not answer") == workers, log
        assert log.count("answers again") == workers, log
        assert "Traceback" not in log


def test_the_state_in_redis_is_the_mocks_own_keys(cluster: Cluster) -> None:
    """Everything the mocks keep in Redis is under the sendstat: prefix (a database may hold other data)."""
    get(cluster.mocks[0])
    cluster.control(0, "GET", "/journal/count")
    with redis.Redis(host="127.0.0.1", port=cluster.redis.port) as client:
        assert all(key.startswith(b"sendstat:") for key in client.keys("*"))


def test_the_mocks_wrote_no_traceback(cluster: Cluster) -> None:
    """After all the above, every mock still runs and has written no traceback."""
    for mock in cluster.mocks:
        assert mock.process.poll() is None
        assert "Traceback" not in mock.log_path.read_text()
