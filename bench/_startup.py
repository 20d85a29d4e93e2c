"""Start-up and memory of `sendstat mock`: time to the first answers, RSS before and after 10,000 requests."""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

import requests

from bench._servers import Running, start_process

__all__ = ["ALL_FIELDS", "INDEX", "CheckTiming", "Startup", "measure_startup", "time_check"]

INDEX = "/mailer/sendstatistics"
ALL_FIELDS = quote('["id","common","open_time","click_statistic","domain_statistic","errors"]', safe="")
REQUESTS = 10_000
INDEX_REQUESTS = 2  # Of the 10,000; the rest are views of distinct listed mailings.
THREADS = 4


@dataclass(frozen=True)
class Startup:
    """One start of the mock: seconds from process start to /health, to a whole index, a first view."""

    scenario: str
    to_health: float
    to_index: float
    index_seconds: float
    index_bytes: int
    view_seconds: float
    rss_started: int
    rss_after: int
    requests: int
    load_seconds: float


@dataclass(frozen=True)
class CheckTiming:
    """`sendstat check --profile ci` against a fresh mock: wall time and exit status."""

    seconds: float
    exit_status: int
    summary: str


def mock_command(pin: Sequence[str], scenario: str | None) -> list[str]:
    """The mock in its default layout, optionally on another start scenario."""
    return [
        *pin,
        sys.executable,
        "-m",
        "sendstat",
        "mock",
        "--port",
        "0",
        *(["--scenario", scenario] if scenario else []),
    ]


def _load(url: str, paths: Sequence[str]) -> None:
    """Send every path once over THREADS keep-alive connections."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    assert parts.port is not None
    host, port = parts.hostname, parts.port

    def work(mine: Sequence[str]) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=120)
        for path in mine:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"GET {path}: {response.status}")
        connection.close()

    threads = [threading.Thread(target=work, args=(paths[n::THREADS],)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure_startup(pin: Sequence[str], scenario: str | None) -> Startup:
    """Start the mock, time its first answers, then send 10,000 index and view requests and read RSS again."""
    running: Running = start_process(
        f"mock-startup-{scenario or 'default'}", mock_command(pin, scenario), ready_path="/health"
    )
    try:
        to_health = time.monotonic() - running.started
        began = time.monotonic()
        index = requests.get(running.url + INDEX, timeout=600)
        index_seconds = time.monotonic() - began
        to_index = time.monotonic() - running.started
        ids = [entry["id"] for entry in index.json()["statistics"]]
        began = time.monotonic()
        requests.get(f"{running.url}{INDEX}/{ids[0]}?fields={ALL_FIELDS}", timeout=60).raise_for_status()
        view_seconds = time.monotonic() - began
        rss_started = running.rss()
        views = [f"{INDEX}/{ids[n % len(ids)]}?fields={ALL_FIELDS}" for n in range(REQUESTS - INDEX_REQUESTS)]
        began = time.monotonic()
        _load(running.url, [*views, *[INDEX] * (INDEX_REQUESTS - 1)])
        load_seconds = time.monotonic() - began
        return Startup(
            scenario=scenario or "default",
            to_health=to_health,
            to_index=to_index,
            index_seconds=index_seconds,
            index_bytes=len(index.content),
            view_seconds=view_seconds,
            rss_started=rss_started,
            rss_after=running.rss(),
            requests=REQUESTS,
            load_seconds=load_seconds,
        )
    finally:
        running.stop()


def time_check(pin_server: Sequence[str], pin_check: Sequence[str]) -> CheckTiming:
    """Run `sendstat check --base-url URL --profile ci` against a fresh default mock."""
    running = start_process("mock-check", mock_command(pin_server, None), ready_path="/health")
    try:
        command = [*pin_check, sys.executable, "-m", "sendstat", "check", "--base-url", running.url, "--profile", "ci"]
        began = time.monotonic()
        done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=1800)
        seconds = time.monotonic() - began
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        return CheckTiming(seconds, done.returncode, lines[-1] if lines else done.stderr.strip()[-200:])
    finally:
        running.stop()
