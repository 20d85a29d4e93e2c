"""Plain schemathesis, every check, against a real `sendstat mock` with the document the mock serves: no failure.

The tool reads `servers` and `security` from /openapi.yaml: the mock's own URL, and no key for the
default scenario. Before, it was sent to production and reported six failures about auth.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.robustness._mock import MockProcess, start_mock

pytestmark = pytest.mark.slow

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"
# The one failure left is being fixed on another branch: the mock reading `fields` as a JSON object
# (its values are the names, `{}` the default), as the document's Fields schema allows.


@pytest.fixture
def mock(tmp_path: Path) -> Iterator[MockProcess]:
    """The mock with its defaults, on a free port."""
    running = start_mock(["--quiet"], tmp_path / "stderr.log")
    try:
        yield running
    finally:
        running.stop()


def failures_of(report: Path) -> list[tuple[str, str]]:
    """Return (check code, text) of every failure in a JUnit report."""
    root = ET.parse(report).getroot()  # noqa: S314 - our own tool's report, written in this test
    return [(failure.get("message") or "", failure.text or "") for failure in root.iter("failure")]


def test_schemathesis_with_every_check_finds_no_failure(mock: MockProcess, tmp_path: Path) -> None:
    """`schemathesis run URL/openapi.yaml --checks all` finds nothing (but the pending `fields` object rule)."""
    report = tmp_path / "junit.xml"
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{mock.url}/openapi.yaml",
            "--checks",
            "all",
            "--seed",
            "20261130",
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        check=False,
    )
    assert report.is_file(), result.stdout[-4000:] + result.stderr[-2000:]
    failures = failures_of(report)
    assert "Tested: 2" in result.stdout or "Selected: 2/2" in result.stdout, result.stdout[-3000:]
    tested = f"{mock.host}:{mock.port}"
    assert tested in result.stdout or not failures  # requests went to the mock, not to production
    assert "estismail" not in result.stdout
    assert failures == [], "\n\n".join(text for _, text in failures)[:6000]
    assert result.returncode == 0, result.stdout[-4000:]
