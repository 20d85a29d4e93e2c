"""Benchmark the mock's state backends: one instance on the local state against one on Redis; propagation.

    python -m bench.state [--duration S] [--rounds N] [--samples N]

Throughput: `sendstat mock --workers 1 --quiet` pinned to core 0, wrk (one thread, 16 connections) on
core 1, redis-server beside wrk; a cached view (the same request again: the answer cache) and an uncached
one (the cache turned off: every request selected, built and journalled); one server at a time, rounds
interleaved, medians.
Beside each Redis figure: Redis's read events per request and per second (INFO stats
total_reads_processed: about one per round trip of any client, the watchers' polls of both Redis-backed
mocks and the journal's batches included; a large batch may take a few), which shows that no request
waits on Redis: the traffic is the polls' and batches', whatever the request rate.

Propagation: three instances on one Redis; when a change written into Redis is served by all three
(between the last request answered from the old state and the first answer of the new one, as sent and
received by a client polling each instance), and how long a control call (which returns once every
instance serves its change) takes, against the same call on the local state.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests

from bench._redis import RedisServer
from bench._servers import Running, start_process
from bench._wrk import ensure_wrk, run_wrk
from bench.run import pins, say

CONNECTIONS = 16
INDEX = "/mailer/sendstatistics"
VIEW = f"{INDEX}/2?fields=" + quote(
    '["id","common","open_time","click_statistic","domain_statistic","errors"]', safe=""
)


@dataclass(frozen=True)
class Figure:
    """One measured configuration: state, path (cached or not), requests per second, p99 ms, Redis round trips."""

    state: str
    path: str
    rps: float
    p99_ms: float
    trips_per_request: float | None
    trips_per_second: float | None


def mock(name: str, pin: Sequence[str], state: str, *, cached: bool, extra: Sequence[str] = ()) -> Running:
    """Start one mock on a free port with the given state."""
    command = [*pin, sys.executable, "-m", "sendstat", "mock", "--port", "0", "--quiet", "--state", state, *extra]
    env = {} if cached else {"SENDSTAT_ANSWER_CACHE_BYTES": "0"}
    return start_process(name, command, env=env, ready_path="/health")


def trips(server: RedisServer) -> int:
    """Return how many read events (client round trips) Redis has processed so far."""
    with server.client() as client:
        return int(client.info("stats")["total_reads_processed"])


def throughput(
    wrk: str, server: RedisServer, pin: tuple[list[str], list[str]], seconds: float, rounds: int
) -> list[Figure]:
    """Measure cached and uncached views on the local state and on Redis; medians of interleaved rounds."""
    samples: dict[tuple[str, str], list[tuple[float, float, float | None, float | None]]] = {}
    configurations = [
        (state, url, path, cached)
        for state, url in (("local", "local"), ("redis", server.url()))
        for path, cached in (("cached", True), ("uncached", False))
    ]
    for turn in range(rounds):
        # One server at a time (started for its run, then stopped), in an order reversed every round.
        for state, url, path, cached in configurations if turn % 2 == 0 else reversed(configurations):
            running = mock(f"state-{state}-{path}", pin[0], url, cached=cached)
            try:
                requests.get(running.url + VIEW, timeout=30)  # warm: the first build, the cache
                before = trips(server)
                result = run_wrk(wrk, running.url + VIEW, seconds, connections=CONNECTIONS, pin=pin[1])
                after = trips(server)
            finally:
                running.stop()
            if result.errors or result.non_2xx:
                raise RuntimeError(f"{state} {path}: {result.errors} errors, {result.non_2xx} non-2xx answers")
            share = (after - before) / result.requests if state == "redis" else None
            rate = (after - before) / (result.requests / result.rps) if state == "redis" else None
            samples.setdefault((state, path), []).append((result.rps, result.p99_ms, share, rate))
            say(f"  {state:5} {path:8} round {turn + 1}: {result.rps:,.0f} req/s, p99 {result.p99_ms:.2f} ms")
    figures = []
    for (state, path), found in samples.items():
        shares = [share for _, _, share, _ in found if share is not None]
        rates = [rate for _, _, _, rate in found if rate is not None]
        figures.append(
            Figure(
                state,
                path,
                statistics.median(rps for rps, _, _, _ in found),
                statistics.median(p99 for _, p99, _, _ in found),
                statistics.median(shares) if shares else None,
                statistics.median(rates) if rates else None,
            )
        )
    return figures


@contextmanager
def three(server: RedisServer, pin: Sequence[str]) -> Iterator[list[Running]]:
    """Three instances on one Redis (one worker each)."""
    with ExitStack() as stack:
        started = []
        for number in range(3):
            running = mock(f"state-three-{number}", pin, server.url(), cached=True)
            stack.callback(running.stop)
            started.append(running)
        yield started


def until(mock: Running, now: int, changed: float) -> tuple[float, float]:
    """Poll a mock's clock until it shows now: (when the last old answer's request was sent, when the first new
    answer was received), in seconds after the change."""
    last_old = 0.0
    with requests.Session() as session:
        while True:
            sent = time.monotonic()
            shown = session.get(f"{mock.url}/__mock/clock", timeout=30).json()["now"]
            if shown == now:
                return last_old, time.monotonic() - changed
            last_old = sent - changed
            time.sleep(0.002)  # a poll's pause: leave the mocks the CPU


def propagation(server: RedisServer, pin: Sequence[str], samples: int) -> dict[str, float]:
    """Measure, over three instances: a change written into Redis until all serve it; a control call's time."""
    old: list[float] = []
    new: list[float] = []
    with three(server, pin) as mocks, server.client() as client, ThreadPoolExecutor(3) as pool:
        for number in range(samples):
            now = 1_000_000 + number
            pipe = client.pipeline(transaction=True)
            pipe.hset("sendstat:state", "clock", json.dumps({"now": now}))
            pipe.hincrby("sendstat:state", "version", 1)
            changed = time.monotonic()
            pipe.execute()
            found = list(pool.map(lambda m, now=now, changed=changed: until(m, now, changed), mocks))
            old.append(max(last for last, _ in found))
            new.append(max(first for _, first in found))
        shared = control_calls(mocks[0], samples)
    with ExitStack() as stack:
        alone = mock("state-local-alone", pin, "local", cached=True)
        stack.callback(alone.stop)
        local = control_calls(alone, samples)
    return {
        "old_p50_ms": 1000 * statistics.median(old),
        "old_max_ms": 1000 * max(old),
        "new_p50_ms": 1000 * statistics.median(new),
        "new_max_ms": 1000 * max(new),
        "control_redis_p50_ms": 1000 * statistics.median(shared),
        "control_redis_max_ms": 1000 * max(shared),
        "control_local_p50_ms": 1000 * statistics.median(local),
        "control_local_max_ms": 1000 * max(local),
    }


def control_calls(running: Running, samples: int) -> list[float]:
    """Time PUT /__mock/scenario, switching between two scenarios."""
    took = []
    with requests.Session() as session:
        for number in range(samples):
            started = time.monotonic()
            answer = session.put(
                f"{running.url}/__mock/scenario", json={"name": ("single", "default")[number % 2]}, timeout=30
            )
            took.append(time.monotonic() - started)
            assert answer.status_code == 200, answer.text
    return took


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its tables."""
    parser = argparse.ArgumentParser(prog="python -m bench.state", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds of each wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--samples", type=int, default=50, help="changes timed for propagation (default 50)")
    args = parser.parse_args(argv)
    wrk = ensure_wrk(say)
    if wrk is None:
        return 1
    pin = pins()
    with tempfile.TemporaryDirectory(prefix="bench-state-") as scratch:
        server = RedisServer(_redis_server(), Path(scratch), pin[1]).start()  # beside wrk, off the mock's core
        try:
            figures = throughput(wrk, server, pin, args.duration, args.rounds)
            moved = propagation(server, pin[0], args.samples)
        finally:
            server.stop()
    print(f"\nOne instance, 1 worker, GET {VIEW} ({CONNECTIONS} connections, medians of {args.rounds} rounds)\n")
    print("| state | answer | req/s | p99 ms | Redis round trips per request | per second |")
    print("|---|---|---:|---:|---:|---:|")
    for figure in sorted(figures, key=lambda f: (f.path, f.state)):
        per = "-" if figure.trips_per_request is None else f"{figure.trips_per_request:.4f}"
        rate = "-" if figure.trips_per_second is None else f"{figure.trips_per_second:,.0f}"
        print(f"| {figure.state} | {figure.path} | {figure.rps:,.0f} | {figure.p99_ms:.2f} | {per} | {rate} |")
    print(f"\nThree instances on one Redis ({args.samples} changes)\n")
    print("| what | p50 ms | max ms |")
    print("|---|---:|---:|")
    shown = (
        ("a change written into Redis: the last old answer's request, sent", "old"),
        ("the same change: the first new answer of all three, received", "new"),
        ("PUT /__mock/scenario on Redis (returns once all serve it)", "control_redis"),
        ("PUT /__mock/scenario on the local state", "control_local"),
    )
    for what, key in shown:
        print(f"| {what} | {moved[key + '_p50_ms']:.1f} | {moved[key + '_max_ms']:.1f} |")
    return 0


def _redis_server() -> str:
    """Return redis-server's path (it is a Debian package: apt-get install redis-server)."""
    found = shutil.which("redis-server")
    if found is None:
        raise SystemExit("bench.state: redis-server is not installed (apt-get install redis-server)")
    return found


if __name__ == "__main__":
    raise SystemExit(main())
