"""`sendstat check` against hostile servers: every run ends within its budget, in bounded memory, with a verdict.

Each run is a `sendstat check` process that writes its own peak RSS (VmHWM of /proc/self/status) when it ends:
the kernel's ru_maxrss of a child also counts the pages of the forking pytest process before exec, which grows
as the session runs. The test's own timer kills a run only if it overruns by far (then the test fails).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.contract.hostile import Hostile, hostile_server

pytestmark = pytest.mark.slow

BUDGET = 5
TIMEOUT = 1
# Interpreter start-up and imports come before the budget's clock starts; on a loaded machine a few seconds.
START_UP = 12
MAX_RSS_MIB = 300
# Runs `sendstat check` and, however it ends, writes the process's peak resident set (kB) to argv[1].
MEASURED = """
import sys
from pathlib import Path
from sendstat.cli import main
peak = Path(sys.argv[1])
try:
    code = main(sys.argv[2:])
finally:
    status = Path("/proc/self/status").read_text()
    peak.write_text(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
raise SystemExit(code)
"""


@dataclass(frozen=True)
class Finished:
    """A finished `sendstat check` process: exit status, wall time, peak RSS, output and the JSON report."""

    exit: int
    seconds: float
    rss_mib: float
    stdout: str
    stderr: str
    report: dict[str, object]


@pytest.fixture(scope="module")
def hostile() -> Iterator[Hostile]:
    """The hostile servers, on one port-0 socket."""
    with hostile_server() as running:
        yield running


def check_process(base_url: str, tmp_path: Path) -> Finished:
    """Run `sendstat check` in its own process and measure it."""
    report = tmp_path / "report.json"
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    peak = tmp_path / "peak-kb.txt"
    command = [sys.executable, "-c", MEASURED, str(peak), "check", "--base-url", base_url, "--budget", str(BUDGET),
               "--timeout", str(TIMEOUT), "--seed", "1", "--quiet", "--json", str(report)]  # fmt: skip
    started = time.monotonic()
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)
        # A safety net, not synchronisation: a run that hangs is killed, and fails the test below.
        killer = threading.Timer(BUDGET + START_UP + 30, process.kill)
        killer.start()
        _, status, _ = os.wait4(process.pid, 0)
        killer.cancel()
    process.returncode = os.waitstatus_to_exitcode(status)
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return Finished(
        process.returncode,
        time.monotonic() - started,
        int(peak.read_text()) / 1024 if peak.exists() else float("inf"),
        out.read_text(encoding="utf-8"),
        err.read_text(encoding="utf-8"),
        data,
    )


@pytest.mark.parametrize(
    ("kind", "exit_code", "rule"),
    [
        ("huge", 1, "body-size"),
        ("bomb", 1, "body-size"),
        ("trickle", 1, "no-answer"),
        ("silence", 1, "no-answer"),
        ("big-header", 1, "no-answer"),
    ],
)
def test_hostile_server_gets_a_verdict_in_time_and_memory(
    kind: str, exit_code: int, rule: str, hostile: Hostile, tmp_path: Path
) -> None:
    """A 2 GiB body, a gzip bomb, a trickle, silence or a 1 MB header: a finding, no traceback, bounded time and RSS."""
    finished = check_process(hostile.url(kind), tmp_path)
    assert finished.exit == exit_code, finished.stdout + finished.stderr
    assert "Traceback" not in finished.stderr
    rules = {finding["rule"] for finding in finished.report.get("findings", [])}  # type: ignore[attr-defined]
    assert rule in rules, finished.stdout
    assert finished.report["duration_seconds"] <= BUDGET + 1  # type: ignore[operator]
    assert finished.seconds <= BUDGET + START_UP
    assert finished.rss_mib < MAX_RSS_MIB
