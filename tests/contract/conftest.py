"""Fixtures of the contract suite's tests: the matrix server, and `sendstat check` run in-process."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from mockserver.http.app import create_app as create_mock
from sendstat.cli import main
from tests.contract.faults.catalogue import CASES
from tests.contract.faults.serve import AUTH, Running, build, serving

# Small budgets keep the matrix fast; the seed keeps it reproducible.
FAST = ("--profile", "ci", "--max-examples", "5", "--seed", "7", "--quiet")


@dataclass(frozen=True)
class Outcome:
    """The result of one `sendstat check`: exit status, the JSON report, stdout and stderr."""

    exit: int
    report: dict[str, Any]
    stdout: str
    stderr: str

    @property
    def rules(self) -> dict[str, str]:
        """Each rule id of the report with its most severe severity."""
        found: dict[str, str] = {}
        for finding in self.report.get("findings", []):
            if found.get(finding["rule"]) != "error":
                found[finding["rule"]] = finding["severity"]
        return found


Check = Callable[..., Outcome]


@pytest.fixture(scope="session")
def matrix() -> Iterator[Running]:
    """Every server of the fault matrix, and the real mock under /mock, on one port-0 server."""
    with serving(build(CASES, {"mock": create_mock({"SENDSTAT_WARNINGS": True})})) as running:
        yield running


@pytest.fixture
def check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Check:
    """Run `sendstat check` in-process against a base URL with the test key; return the Outcome."""

    def run(base_url: str, *args: str, auth: bool = True) -> Outcome:
        report = tmp_path / "report.json"
        report.unlink(missing_ok=True)
        header = [f"--header=X-Estis-Auth: {AUTH['X-Estis-Auth']}"] if auth else []
        code = main(["check", "--base-url", base_url, *header, *FAST, "--json", str(report), *args])
        captured = capsys.readouterr()
        data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
        return Outcome(code, data, captured.out, captured.err)

    return run
