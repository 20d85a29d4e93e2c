"""Start-up and memory of `sendstat mock`: time to the first answer, the first large index, RSS after many views."""

from __future__ import annotations

import compileall
import http.client
import os
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench._loads import INDEX, view_targets
from bench._servers import BENCH, Running, start_process

__all__ = [
    "CheckTiming",
    "FirstIndex",
    "Memory",
    "StartTimes",
    "ensure_bytecode",
    "first_answers",
    "first_index",
    "memory_after_views",
    "mock_command",
    "mock_env",
    "time_check",
]

ROOT = BENCH.parent
THREADS = 4
_BANNER = re.compile(r"serving http://([0-9.]+):([0-9]+)")
_POLL = 0.002


@dataclass(frozen=True)
class StartTimes:
    """Seconds from exec of `sendstat mock` to its first API answer, over several starts."""

    seconds: tuple[float, ...]

    @property
    def p50(self) -> float:
        """The median."""
        return statistics.median(self.seconds)

    @property
    def p90(self) -> float:
        """The 90th percentile (nearest rank)."""
        ordered = sorted(self.seconds)
        return ordered[max(0, -(-9 * len(ordered) // 10) - 1)]


@dataclass(frozen=True)
class FirstIndex:
    """The first index of a fresh mock: request to last byte, its size, the server's CPU for it."""

    scenario: str
    seconds: float
    cpu_seconds: float
    size: int


@dataclass(frozen=True)
class Memory:
    """RSS of the mock's process tree after start and after views of distinct mailings."""

    scenario: str
    views: int
    rss_started: int
    rss_after: int
    seconds: float


@dataclass(frozen=True)
class CheckTiming:
    """`sendstat check --profile ci` against a fresh mock: wall time and exit status."""

    seconds: float
    exit_status: int
    summary: str


def mock_command(pin: Sequence[str], scenario: str | None, scenario_dirs: Sequence[Path] = ()) -> list[str]:
    """The mock in its default layout, optionally on another start scenario and with more scenario directories."""
    command = [*pin, sys.executable, "-m", "sendstat", "mock", "--port", "0"]
    for directory in scenario_dirs:
        command += ["--scenario-dir", str(directory)]
    return command + (["--scenario", scenario] if scenario else [])


def mock_env(checkout: Path | None) -> dict[str, str]:
    """The environment that runs the mock of another checkout (run in that directory too); {}: this one."""
    return {} if checkout is None else {"PYTHONPATH": str(checkout)}


def ensure_bytecode(root: Path = ROOT) -> None:
    """Compile the kit's modules, as pip does on install (PYTHONDONTWRITEBYTECODE would leave them to each start)."""
    for package in ("contract", "mockserver", "sendstat"):
        compileall.compile_dir(str(root / package), quiet=2)


def first_answers(pin: Sequence[str], starts: int, mailing_id: int, checkout: Path | None = None) -> StartTimes:
    """Start the default mock `starts` times; time exec to its first answer of a view (polled every 2 ms)."""
    found = []
    for _ in range(starts):
        began = time.monotonic()
        process = subprocess.Popen(
            mock_command(pin, None),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env={**os.environ, **mock_env(checkout)},
            cwd=checkout,
        )
        try:
            host, port = _banner(process)
            found.append(_first_answer(host, port, f"{INDEX}/{mailing_id}", began))
        finally:
            _stop(process)
    return StartTimes(tuple(found))


def _banner(process: subprocess.Popen[bytes]) -> tuple[str, int]:
    """Read the mock's stdout until its `serving http://host:port` line."""
    assert process.stdout is not None
    for raw in process.stdout:
        match = _BANNER.search(raw.decode("utf-8", "replace"))
        if match:
            return match.group(1), int(match.group(2))
    raise RuntimeError(f"the mock exited ({process.wait()}) before printing its URL")


def _first_answer(host: str, port: int, target: str, began: float) -> float:
    """Poll target until it answers below 500; return the seconds since began."""
    deadline = began + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(host, port, timeout=5)
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status < 500:
                return time.monotonic() - began
        except OSError:
            pass
        time.sleep(_POLL)
    raise RuntimeError("the mock gave no answer within 60 s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the mock's process group and wait."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    if process.stdout is not None:
        process.stdout.close()


def first_index(pin: Sequence[str], scenario: str, checkout: Path | None = None) -> FirstIndex:
    """Start a fresh mock on scenario and time its first whole index, request to last byte."""
    command = mock_command(pin, scenario)
    name = f"mock-index-{scenario}"
    running = start_process(name, command, ready_path="/health", env=mock_env(checkout), cwd=checkout)
    try:
        host, port = _address(running)
        before = running.cpu()
        began = time.monotonic()
        connection = http.client.HTTPConnection(host, port, timeout=600)
        connection.request("GET", INDEX)
        size = len(connection.getresponse().read())
        seconds = time.monotonic() - began
        connection.close()
        return FirstIndex(scenario, seconds, running.cpu() - before, size)
    finally:
        running.stop()


def memory_after_views(pin: Sequence[str], scenario: str, ids: Sequence[int], views: int) -> Memory:
    """Start a mock on scenario, read its RSS, send `views` views of distinct mailings, read its RSS again."""
    running = start_process(f"mock-memory-{scenario}", mock_command(pin, scenario), ready_path="/health")
    try:
        rss_started = running.rss()
        targets = view_targets(ids, seed=3)[:views]
        began = time.monotonic()
        _send(running, targets)
        seconds = time.monotonic() - began
        return Memory(scenario, len(targets), rss_started, running.rss(), seconds)
    finally:
        running.stop()


def _address(running: Running) -> tuple[str, int]:
    """The host and port of a running server's URL."""
    host, _, port = running.url.removeprefix("http://").partition(":")
    return host, int(port)


def _send(running: Running, targets: Sequence[str]) -> None:
    """Send every target once over THREADS keep-alive connections; any answer but 200 is an error."""
    host, port = _address(running)
    failures: list[str] = []

    def work(mine: Sequence[str]) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=120)
        for target in mine:
            connection.request("GET", target)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                failures.append(f"GET {target}: {response.status}")
        connection.close()

    threads = [threading.Thread(target=work, args=(targets[n::THREADS],)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise RuntimeError(f"{len(failures)} answers were not 200, the first: {failures[0]}")


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
