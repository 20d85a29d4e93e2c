"""`sendstat check` against the real `sendstat mock` (a subprocess on port 0): bounded and reproducible runs.

The mock is run as users run it, under granian, so that its latency and fault holds are real; the check
runs in-process. contract/ itself never imports mockserver/.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sendstat.cli import main

pytestmark = pytest.mark.slow

SCENARIOS = sorted(path.stem for path in (Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
# Accepted by the auth-required scenario; ignored by the others.
KEY = "X-Estis-Auth: qa-key-1"
# A budget well under the ci profile's 60 s keeps the suite short; where a run ends does not depend on it.
BUDGET = 6
# Reporting after the budget ran out (cross-request checks, latency, the report itself).
REPORT_SECONDS = 1.5
READY_ATTEMPTS = 100
STOP_SECONDS = 15


@pytest.fixture(scope="module")
def mock() -> Iterator[str]:
    """`sendstat mock --port 0` in a subprocess, polled until it answers; its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sendstat", "mock", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    try:
        found = re.search(r"serving (http://\S+)", process.stdout.readline())
        assert found is not None, "sendstat mock did not say where it serves"
        url = found.group(1)
        _wait_until_ready(url)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()  # a fault's hold keeps a worker busy for up to 10 s
            process.wait()
        process.stdout.close()


def _wait_until_ready(url: str) -> None:
    """Poll /health until the mock answers."""
    for _ in range(READY_ATTEMPTS):
        try:
            if requests.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            continue
    raise RuntimeError(f"{url} never answered")


def check(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    """Run `sendstat check` (ci profile) in-process; return its exit status and JSON report."""
    report = tmp_path / "report.json"
    report.unlink(missing_ok=True)
    code = main(["check", "--base-url", url, "--header", KEY, "--seed", "7", "--quiet", "--json", str(report), *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(report.read_text(encoding="utf-8"))


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_ci_profile_keeps_its_budget(
    scenario: str, mock: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Against every shipped scenario, slow and flaky included, the ci profile gives a verdict within its budget."""
    code, report = check(mock, tmp_path, capsys, "--header", f"X-Mock-Scenario: {scenario}", "--budget", str(BUDGET))
    assert code in (0, 1)
    assert report["duration_seconds"] <= BUDGET + REPORT_SECONDS
    assert "index" in report["latency"]
    if report["duration_seconds"] >= BUDGET:
        assert "budget" in {finding["rule"] for finding in report["findings"]}


def test_same_seed_same_requests_and_findings(mock: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Twice the same seed against the reset flaky mock: the same requests sent, the same findings.

    The 1 s timeout is shorter than the mock's 10 s timeout holds, so which faults the mock holds and which it
    drops at once (it holds at most two) depends on timing; the checker's requests must not.
    """
    journals: list[Counter[tuple[Any, ...]]] = []
    results: list[tuple[Any, ...]] = []
    for run in ("run-1", "run-2"):
        requests.post(f"{mock}/__mock/reset", timeout=10).raise_for_status()
        requests.put(f"{mock}/__mock/sessions/{run}", json={"scenario": "flaky"}, timeout=10).raise_for_status()
        code, report = check(mock, tmp_path, capsys, "--header", f"X-Mock-Session: {run}", "--timeout", "1")
        assert "budget" not in {finding["rule"] for finding in report["findings"]}, report["duration_seconds"]
        journal = requests.get(f"{mock}/__mock/journal", params={"session": run, "limit": 10000}, timeout=10).json()
        # A held timeout fault is journalled when its hold ends, maybe after this read: compare the others.
        journals.append(
            Counter(
                (e["path"], e["query"], e["status"], e["fault"]) for e in journal["entries"] if e["fault"] != "timeout"
            )
        )
        findings = [(finding["rule"], finding["title"], finding["count"]) for finding in report["findings"]]
        results.append((code, report["requests"], findings))
    assert results[0] == results[1]
    assert journals[0] == journals[1]
    assert sum(journals[0].values()) > 50  # the journal saw the run's requests
