"""A real PHP backend, written as the vendor writes PHP, passes `sendstat check --strict`: no false alarm.

The suite's expectations come from contract/php, our model of PHP; here PHP itself answers (index.php under
`php -S`), so a rule that our model gets wrong fails this test. The data is exported from a scenario.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
import requests

from sendstat.cli import main
from tests.contract.php_backend.serve import export, serving

pytestmark = pytest.mark.slow


@pytest.fixture
def php_backend(tmp_path: Path) -> Iterator[Any]:
    """Start `php -S` on index.php over a scenario's exported mailings; yield a starter returning the base URL."""
    with ExitStack() as stack:

        def start(scenario: str) -> tuple[str, int]:
            data = tmp_path / f"{scenario}.json"
            count = export(scenario, data)
            return stack.enter_context(serving(data)), count

        yield start


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
