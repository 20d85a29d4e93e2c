"""Starts `sendstat mock` as a real subprocess on a free port, waits until it answers, and stops it."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import requests

from bench._procs import process_tree, rss_bytes

__all__ = ["STARTUP_SECONDS", "MockProcess", "start_mock"]

STARTUP_SECONDS = 60
# The banner's URL; the rest of the line may change as options are added.
_BANNER_URL = re.compile(r"serving (http://\S+?)[\s,;)]")


@dataclass
class MockProcess:
    """A running `sendstat mock`: its process, base URL and access log file."""

    process: subprocess.Popen[bytes]
    url: str
    log_path: Path
    stdout: list[str] = field(default_factory=list)

    @property
    def host(self) -> str:
        """The address it listens on."""
        return self.url.removeprefix("http://").rsplit(":", 1)[0].strip("[]")

    @property
    def port(self) -> int:
        """The TCP port it listens on."""
        return int(self.url.rsplit(":", 1)[1])

    def pids(self) -> list[int]:
        """The server process and its workers."""
        return process_tree(self.process.pid)

    def rss(self) -> int:
        """Resident memory of the whole process tree, in bytes."""
        return rss_bytes(self.pids())

    def log_offset(self) -> int:
        """The current size of the access log, to read what comes after it."""
        return self.log_path.stat().st_size

    def log_since(self, offset: int) -> str:
        """Return what the server wrote to stderr after offset."""
        with self.log_path.open("rb") as handle:
            handle.seek(offset)
            return handle.read().decode("utf-8", "replace")

    def answers(self, timeout: float = 10) -> bool:
        """Whether the health probe answers 200 within timeout."""
        try:
            return requests.get(f"{self.url}/health", timeout=timeout).status_code == 200
        except requests.RequestException:
            return False

    def stop(self) -> int:
        """Stop it with SIGTERM (SIGKILL to the group if it does not exit) and return its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STARTUP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode


def _pump(stream: IO[bytes], into: queue.Queue[str], keep: list[str]) -> None:
    """Copy a stream's lines into a queue and a list until it closes."""
    for raw in stream:
        line = raw.decode("utf-8", "replace")
        keep.append(line)
        into.put(line)


def start_mock(args: Sequence[str], log_path: Path) -> MockProcess:
    """Run `sendstat mock --port 0 ARGS`, read its URL from the banner, and poll /health until it answers."""
    log = log_path.open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "sendstat", "mock", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=log,
        start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    log.close()
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    kept: list[str] = []
    threading.Thread(target=_pump, args=(process.stdout, lines, kept), daemon=True).start()
    deadline = time.monotonic() + STARTUP_SECONDS
    try:
        url = _read_url(lines, deadline, log_path)
        running = MockProcess(process, url, log_path, kept)
        _wait_until_answers(running, deadline)
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    return running


def _read_url(lines: queue.Queue[str], deadline: float, log_path: Path) -> str:
    """Return the URL of the banner line, failing with the server's stderr when none comes."""
    while True:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            raise AssertionError(f"sendstat mock printed no URL; stderr:\n{log_path.read_text()[-4000:]}") from None
        match = _BANNER_URL.search(line)
        if match:
            return match.group(1)


def _wait_until_answers(running: MockProcess, deadline: float) -> None:
    """Poll the health probe until it answers 200 (a readiness poll with a deadline, not a fixed sleep)."""
    while not running.answers(timeout=2):
        if running.process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"sendstat mock did not answer; stderr:\n{running.log_path.read_text()[-4000:]}")
        time.sleep(0.02)
