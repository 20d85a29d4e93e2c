"""A real PHP backend, written as the vendor writes PHP, passes `sendstat check --strict`: no false alarm.

The suite's expectations come from contract/php, our model of PHP; here PHP itself answers (index.php under
`php -S`), so a rule that our model gets wrong fails this test. The data is exported from a scenario.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests

from mockserver.http.app import create_app
from sendstat.cli import main
from tests._tools import require_tool

ROUTER = Path(__file__).with_name("index.php")
ALL_FIELDS = quote(json.dumps(["id", "common", "open_time", "click_statistic", "domain_statistic", "errors"]))
READY_SECONDS = 10.0
pytestmark = pytest.mark.slow


def export(scenario: str, path: Path) -> int:
    """Write a scenario's mailings as the PHP backend reads them (each one's sections as the mock sends them)."""
    client = create_app({"SENDSTAT_SCENARIO": scenario, "SENDSTAT_RELOAD_INTERVAL": None}).test_client()
    index = client.get("/mailer/sendstatistics")
    listed = index.get_json()["statistics"] if index.status_code == 200 else []
    mailings: list[dict[str, Any]] = []
    for entry in listed:
        sections = client.get(f"/mailer/sendstatistics/{entry['id']}?fields={ALL_FIELDS}").get_json()
        mailings.append({"id": entry["id"], "letter_title": entry["letter_title"], "sections": sections})
    path.write_text(json.dumps({"scenario": scenario, "mailings": mailings}), encoding="utf-8")
    return len(mailings)


def free_port() -> int:
    """A loopback port nobody listens on now (PHP's built-in server cannot take port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def php_backend(tmp_path: Path) -> Iterator[Any]:
    """Start `php -S` on index.php over a scenario's exported mailings; yield a starter returning the base URL."""
    php = require_tool("php", "to run a real PHP backend (install php-cli)")
    started: list[subprocess.Popen[bytes]] = []

    def start(scenario: str) -> tuple[str, int]:
        data = tmp_path / f"{scenario}.json"
        count = export(scenario, data)
        url = f"http://127.0.0.1:{free_port()}"
        process = subprocess.Popen(
            [php, "-n", "-d", "display_errors=0", "-S", url.removeprefix("http://"), str(ROUTER)],
            env={**os.environ, "MAILINGS_JSON": str(data)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        deadline = time.monotonic() + READY_SECONDS
        while True:
            try:
                requests.get(f"{url}/mailer/sendstatistics", timeout=1)
                return url, count
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"php -S did not start on {url}") from None
                time.sleep(0.05)  # polling for readiness, not synchronising

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def strict_check(base_url: str, capsys: pytest.CaptureFixture[str], report: Path, *args: str) -> dict[str, Any]:
    """Run `sendstat check --strict` in-process and return the JSON report (the exit code in it)."""
    code = main(["check", "--base-url", base_url, "--strict", "--seed", "7", "--quiet", "--json", str(report), *args])
    output = capsys.readouterr().out
    found: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    assert code == found["exit_code"], output
    found["human"] = output
    return found


@pytest.mark.parametrize("scenario", ["default", "all-error-codes", "unicode-and-extremes", "php-empty-maps"])
def test_a_php_backend_with_mailings_passes_strictly(
    php_backend: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path, scenario: str
) -> None:
    """Every rule, inferred ones included, holds for PHP's own answers over a full account."""
    url, count = php_backend(scenario)
    assert count > 0
    report = strict_check(url, capsys, tmp_path / "report.json")
    assert report["exit_code"] == 0, report["human"]
    assert report["findings"] == [], report["human"]


def test_a_php_backend_with_an_empty_account_passes_strictly(
    php_backend: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """An empty account (204 for the index, 404 for every id) keeps the contract too."""
    url, count = php_backend("empty")
    assert count == 0
    assert requests.get(f"{url}/mailer/sendstatistics", timeout=5).status_code == 204
    report = strict_check(url, capsys, tmp_path / "report.json")
    assert report["exit_code"] == 0, report["human"]
    assert report["findings"] == [], report["human"]
