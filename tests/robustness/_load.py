"""Bounded keep-alive load on a loopback server: wrk when installed, else a pool of Python threads."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

__all__ = ["CONNECTIONS", "LoadResult", "run_load"]

CONNECTIONS = 16
THREADS = 8  # The Python generator: enough to keep one server core busy from the other core.
TIMEOUT = 10


@dataclass(frozen=True)
class LoadResult:
    """What a load run did: requests answered, answers other than 2xx, connection errors, which tool."""

    requests: int
    non_2xx: int
    errors: int
    tool: str


def run_load(url: str, paths: Sequence[str], seconds: int, scratch: Path) -> LoadResult:
    """Send GETs of paths in turn for seconds over keep-alive connections, with wrk when it is installed."""
    wrk = shutil.which("wrk")
    if wrk is not None:
        return _wrk(wrk, url, paths, seconds, scratch)
    return _threads(url, paths, seconds)


def _wrk(wrk: str, url: str, paths: Sequence[str], seconds: int, scratch: Path) -> LoadResult:
    """Run wrk (one thread, CONNECTIONS connections) with a script cycling through the paths."""
    script = scratch / "paths.lua"
    quoted = ", ".join('"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"' for path in paths)
    script.write_text(
        f"local paths = {{{quoted}}}\n"
        "local i = 0\n"
        "request = function()\n"
        "  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\n'
        "end\n"
    )
    command = [wrk, "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", f"--timeout={TIMEOUT}s", "-s", str(script), url]
    output = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    done = re.search(r"(\d+) requests in", output)
    assert done, output
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return LoadResult(int(done.group(1)), int(non_2xx.group(1)) if non_2xx else 0, errors, "wrk")


def _threads(url: str, paths: Sequence[str], seconds: int) -> LoadResult:
    """Run THREADS threads, each over one keep-alive http.client connection, until the deadline."""
    parts = urlsplit(url)
    assert parts.hostname is not None
    host, port = parts.hostname, parts.port or 80
    deadline = time.monotonic() + seconds
    counts = [[0, 0, 0] for _ in range(THREADS)]  # requests, non-2xx, errors; one row per thread

    def work(row: list[int], offset: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        n = offset
        while time.monotonic() < deadline:
            n += 1
            try:
                connection.request("GET", paths[n % len(paths)])
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                row[2] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
                continue
            row[0] += 1
            row[1] += not 200 <= response.status < 300
        connection.close()

    workers = [threading.Thread(target=work, args=(row, i * 7)) for i, row in enumerate(counts)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return LoadResult(sum(r[0] for r in counts), sum(r[1] for r in counts), sum(r[2] for r in counts), "python")
