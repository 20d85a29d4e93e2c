"""Runs wrk against one URL and reads its summary: requests, req/s, latency percentiles, errors."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["WrkResult", "ensure_wrk", "run_wrk"]

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
PATHS_SCRIPT = Path(__file__).resolve().parent / "paths.lua"


@dataclass(frozen=True)
class WrkResult:
    """One wrk run: requests done, requests per second, p50 and p99 latency (ms), errors, non-2xx answers."""

    requests: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    non_2xx: int


def ensure_wrk(say: Callable[[str], None]) -> str | None:
    """Return wrk's path, installing the Debian package when missing and possible; None (with a note) if not."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if apt is None:
        say("note: wrk is not installed and there is no apt-get: the throughput table is skipped")
        return None
    say("note: wrk is missing: running `apt-get update && apt-get install -y wrk`")
    for command in ([apt, "update", "-qq"], [apt, "install", "-y", "-qq", "wrk"]):
        if subprocess.run(command, capture_output=True, check=False, timeout=600).returncode != 0:
            say(f"note: `{' '.join(command)}` failed: the throughput table is skipped")
            return None
    return shutil.which("wrk")


def _ms(text: str) -> float:
    """Read a wrk duration such as 1.23ms or 850.00us as milliseconds."""
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m|h)", text)
    assert match, text
    return float(match.group(1)) * _UNITS[match.group(2)]


def parse(output: str) -> WrkResult:
    """Read wrk --latency output."""
    done = re.search(r"(\d+) requests in", output)
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not (done and rps and p50 and p99):
        raise ValueError(f"unexpected wrk output:\n{output}")
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(
        requests=int(done.group(1)),
        rps=float(rps.group(1)),
        p50_ms=_ms(p50.group(1)),
        p99_ms=_ms(p99.group(1)),
        errors=sum(int(n) for n in socket_errors.groups()) if socket_errors else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
    )


def run_wrk(
    wrk: str,
    url: str,
    seconds: float,
    *,
    connections: int,
    headers: Sequence[str] = (),
    pin: Sequence[str] = (),
    targets: Path | None = None,
) -> WrkResult:
    """Load url with one wrk thread for seconds; pin is a taskset prefix (or empty).

    targets: a file of request targets (one per line) sent in order instead of url's own (bench/paths.lua).
    """
    command = [*pin, wrk, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency", "--timeout=10s"]
    for header in headers:
        command += ["-H", header]
    env = None
    if targets is not None:
        command += ["-s", str(PATHS_SCRIPT)]
        env = {**os.environ, "PATHS": str(targets)}
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60, env=env)
    return parse(output.stdout)
