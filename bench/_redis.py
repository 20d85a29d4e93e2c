"""A real redis-server for the tests and benchmarks: on a free port (picked, retried on a clash), in a folder.

redis-server cannot take port 0, so a port is picked free and bound by Redis a moment later; when another
program took it meanwhile, Redis exits at once and another port is tried. Readiness is a PING poll with a
deadline. stop() and start() again (same port) let tests take Redis away under a running mock.
"""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path

import redis

__all__ = ["RedisServer"]

START_SECONDS = 20.0
_ATTEMPTS = 5


def _free_port() -> int:
    """Return a loopback port free right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class RedisServer:
    """One redis-server process on 127.0.0.1, without persistence (a restart comes back empty)."""

    def __init__(self, executable: str, directory: Path, pin: Sequence[str] = ()) -> None:
        self.executable = executable
        self.directory = directory
        self.pin = tuple(pin)  # a taskset prefix, or nothing
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        """Return the URL of database db."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self) -> redis.Redis:
        """Return a client of database 0."""
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> RedisServer:
        """Start on a free port (a new one for each attempt that finds it taken); return self once it answers."""
        for _ in range(_ATTEMPTS):
            self.port = _free_port()
            if self._launch():
                return self
        raise AssertionError(f"redis-server did not start in {_ATTEMPTS} attempts; see {self._log}")

    def restart(self) -> None:
        """Start again on the same port after stop() (empty: nothing is persisted)."""
        deadline = time.monotonic() + START_SECONDS
        while not self._launch():  # the port may linger a moment after the stop: try again, bounded
            assert time.monotonic() < deadline, f"redis-server did not start again on {self.port}; see {self._log}"
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server (SIGTERM) and wait for it to exit."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=START_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def flush(self) -> None:
        """Empty every database."""
        with self.client() as client:
            client.flushall()

    @property
    def _log(self) -> Path:
        return self.directory / "redis.log"

    def _launch(self) -> bool:
        """Run redis-server on self.port and wait until it answers; False when it exits first (port taken)."""
        command = [
            *self.pin,
            self.executable,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.directory),
            "--logfile",
            str(self._log),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.process = None
                return False
            try:
                with self.client() as client:
                    if client.ping():
                        return True
            except redis.ConnectionError:
                time.sleep(0.01)  # a readiness poll, bounded by the deadline
        self.stop()
        raise AssertionError(f"redis-server on port {self.port} did not answer within {START_SECONDS} s")
