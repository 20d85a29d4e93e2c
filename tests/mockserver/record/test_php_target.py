"""The real PHP backend (index.php under `php -S`) behind the proxy and recorded: no finding, the same bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from mockserver.proxy.app import VIOLATIONS_HEADER, create_proxy_app
from mockserver.proxy.cli import PassingHandler
from tests.contract.php_backend.serve import export, serving
from tests.mockserver.record.test_cli import assert_same_bytes, record, requests_of
from tests.mockserver.threaded import served

pytestmark = pytest.mark.slow
READY_SECONDS = 10.0


@pytest.fixture(scope="module")
def php_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`php -S` over the unicode-and-extremes scenario's mailings; yields its base URL."""
    data = tmp_path_factory.mktemp("php") / "mailings.json"
    export("unicode-and-extremes", data)
    with serving(data) as url:
        yield url


def test_the_proxy_passes_php_answers_on_without_a_finding(php_target: str) -> None:
    """Every answer of the PHP backend passes through the proxy unchanged and without a finding."""
    with served(create_proxy_app({"SENDSTAT_PROXY_TARGET": php_target}), PassingHandler) as proxy:
        for path in [*requests_of(php_target), "/mailer/sendstatistics/1?fields=7", "/mailer/sendstatistics/999"]:
            direct = requests.get(php_target + path, timeout=10)
            through = requests.get(proxy + path, timeout=10)
            assert (through.status_code, through.content) == (direct.status_code, direct.content), path
            assert VIOLATIONS_HEADER not in through.headers, through.headers.get(VIOLATIONS_HEADER)


def test_a_recording_of_php_serves_its_bytes(php_target: str, tmp_path: Path) -> None:
    """The mock serving a recording of the PHP backend answers each recorded request as PHP did."""
    out = tmp_path / "php.yaml"
    assert record(php_target, out, "--no-anonymise") == 0
    assert assert_same_bytes(php_target, out) > 1
